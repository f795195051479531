/**
 * A benchmark target in its own process (so the load generator doesn't share its event loop):
 * `BENCH_MODE=app` serves Setora on a fresh database with a seeded org; `BENCH_MODE=bare` serves a plain
 * Fastify route returning the same JSON with no auth and no database. Prints one JSON line when ready.
 */
import Fastify from 'fastify';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { buildApp, LISTEN_BACKLOG } from '../src/app.js';
import { seedBenchData } from './seed.js';

const mode = process.env.BENCH_MODE ?? 'app';
const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', RATE_LIMIT_PER_MINUTE: '100000000' });

if (mode === 'bare') {
  const body = JSON.parse(process.env.BENCH_BODY ?? '{}');
  const app = Fastify();
  app.get('/v1/locations', async () => body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  console.log(JSON.stringify({ port: address.port }));
} else {
  const database = openDatabase(config.database);
  await migrate(database);
  const seeded = await seedBenchData(database, process.env.BENCH_SEED ?? 'locations');
  // Background workers (webhook deliveries, client messages) run as in production unless BENCH_WORKERS=off.
  const app = await buildApp({ config, database, workers: process.env.BENCH_WORKERS !== 'off' });
  await app.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG }); // as src/main.ts
  const address = app.server.address() as { port: number };
  console.log(JSON.stringify({ port: address.port, ...seeded }));
}
process.on('SIGTERM', () => process.exit(0));
