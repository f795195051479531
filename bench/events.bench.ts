/**
 * Issue 10 figures: webhook event-to-delivery latency and deliveries/s with a healthy loopback receiver, and
 * `GET /v1/events?limit=100` requests/s. Server, worker, receiver and load generator share this process (and the
 * machine's two cores), so the figures are a floor.
 */
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { freshTarget } from '../test/helpers/engines.js';
import { seedOrg } from '../test/helpers/app.js';
import { startReceiver } from '../test/helpers/webhook-receiver.js';
import { load, type LoadResult } from './http.js';

export interface EventsBench { engine: string; events: number; latencyP50: number; latencyP99: number; deliveriesPerSecond: number; duplicates: number; feed: LoadResult }

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function benchEvents(engine: 'sqlite' | 'postgres', events = 600): Promise<EventsBench> {
  const { target, drop } = await freshTarget(engine);
  // No load shedding: the load generator and the receiver share this process, so its lag is theirs too.
  const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', RATE_LIMIT_PER_MINUTE: '100000000', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', SHED_MAX_EVENT_LOOP_DELAY_MS: '0', SHED_MAX_IN_FLIGHT: '0', DATABASE_URL: target.kind === 'postgres' ? target.url : `sqlite:${target.file}` });
  const database = openDatabase(target);
  await migrate(database);
  const org = await seedOrg(database);
  const app = await buildApp({ config, database, workers: true }); // the delivery worker runs as in the server process
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const receiver = await startReceiver();
  const arrivals = new Map<string, number>();
  const origPush = receiver.received.push.bind(receiver.received);
  receiver.received.push = (...items) => { for (const r of items) if (!arrivals.has(r.id)) arrivals.set(r.id, Date.now()); return origPush(...items); };
  const headers = { authorization: `Bearer ${org.writeKey}`, 'content-type': 'application/json' };
  const res = await fetch(`${base}/v1/webhook_endpoints`, { method: 'POST', headers, body: JSON.stringify({ url: receiver.url, enabled_events: ['*'] }) });
  receiver.state.secrets = [(await res.json() as { secret: string }).secret];

  // A burst of changes from 10 connections; each event is timed from its recording to its arrival.
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (next < events) {
      const i = next++;
      await fetch(`${base}/v1/clients`, { method: 'POST', headers, body: JSON.stringify({ first_name: `B${i}` }) });
    }
  }));
  const deadline = Date.now() + 120_000;
  while (arrivals.size < events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const seconds = (performance.now() - started) / 1000;
  const stored = await database.db.selectFrom('events').select(['id', 'created_at']).where('org_id', '=', org.orgId).execute();
  const latencies = stored.filter((e) => arrivals.has(e.id)).map((e) => arrivals.get(e.id)! - e.created_at);

  const feed = await load({ url: `${base}/v1/events?limit=100`, headers: { authorization: `Bearer ${org.readKey}` }, duration: 5, connections: 10 });
  await app.close();
  await receiver.close();
  await database.close();
  await drop();
  return { engine, events: arrivals.size, latencyP50: pct(latencies, 50), latencyP99: pct(latencies, 99), deliveriesPerSecond: Math.round(arrivals.size / seconds), duplicates: receiver.received.length - arrivals.size, feed };
}
