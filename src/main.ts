import fs from 'node:fs';
import { loadConfig } from './config.js';
import { openDatabase } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { buildApp, LISTEN_BACKLOG } from './app.js';
import pino from 'pino';
import { seedDemoIfEmpty, printDemoBanner } from './modules/demo/demo.service.js';

/** The process: config → db → migrate → (first start: demo) → app → listen → graceful close. */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = openDatabase(config.database);
  await migrate(database);
  const demo = config.seedDemo ? await seedDemoIfEmpty(database) : undefined;

  // Buffered, asynchronous log writes: one write call per few kB of lines instead of one per request.
  const logStream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => logStream.flush(), 1000).unref(); // and never more than a second late
  const https = config.tls ? { cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) } : undefined;
  const app = await buildApp({ config, database, logStream, https, workers: true });
  // A deep accept queue: a burst of connections is queued (and shed quickly if need be) rather than refused and
  // retried by the clients' TCP stacks seconds later (the kernel caps it at net.core.somaxconn).
  await app.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });

  console.log(`\nSetora is running on ${config.publicUrl} (${database.dialect === 'sqlite' ? `SQLite: ${config.database.kind === 'sqlite' ? config.database.file : ''}` : 'PostgreSQL'})`);
  if (demo) printDemoBanner(demo, config.publicUrl);
  else console.log(`  Hub:  ${config.publicUrl}/\n  API reference: ${config.publicUrl}/docs\n  (Create a demo shop and key with \`npx setora demo\`.)\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await database.close();
    logStream.flushSync();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(`setora: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
