import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { buildApp, type AppDeps } from '../../src/app.js';
import { createOrgWithOwner } from '../../src/modules/orgs/orgs.service.js';
import { createApiKey } from '../../src/modules/api-keys/api-keys.service.js';
import { createLocation } from '../../src/modules/locations/locations.service.js';
import { randomString } from '../../src/lib/ids.js';
import { freshTarget, type Engine } from './engines.js';
import { systemActor } from '../../src/modules/events/actor.js';

export interface TestContext {
  app: FastifyInstance;
  database: Database;
  config: Config;
  logs: string[];
  clock: { now: number };
  close(): Promise<void>;
}

/** A fresh database on the engine, migrated, and an app on it (no demo seed; tests make their own orgs). */
/**
 * `opts.workers`: run the background workers in loops (by default they are not started: tests drive them with
 * `app.webhookWorker.runOnce()` and `app.messages.tick()`); `opts.webhooks`: the delivery worker's test knobs.
 */
export async function startTestApp(engine: Engine, env: Record<string, string> = {}, opts: { now?: number; workers?: boolean; webhooks?: AppDeps['webhooks'] } = {}): Promise<TestContext> {
  const { target, drop } = await freshTarget(engine);
  const config = loadConfig({ LOG_LEVEL: 'info', SEED_DEMO: 'false', SHED_MAX_EVENT_LOOP_DELAY_MS: '0', RATE_LIMIT_PER_MINUTE: '100000', AUTH_FAILURES_PER_MINUTE: '100000', ...env, DATABASE_URL: target.kind === 'postgres' ? target.url : `sqlite:${target.file}` });
  const database = openDatabase(target);
  await migrate(database);
  const logs: string[] = [];
  const logStream = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const clock = { now: opts.now ?? Date.now() };
  const useFixedClock = opts.now !== undefined;
  const app = await buildApp({ config, database, logStream, clock: useFixedClock ? () => clock.now : undefined, workers: opts.workers ?? false, webhooks: opts.webhooks });
  await app.ready();
  return {
    app, database, config, logs, clock,
    async close() {
      await app.close();
      await database.close();
      await drop();
    },
  };
}

export interface SeededOrg {
  orgId: string;
  slug: string;
  ownerId: string;
  writeKey: string;
  readKey: string;
  writeKeyId: string;
  readKeyId: string;
  locationSlug: string;
}

/** A fresh organisation per test: owner, a read_write key, a read key and one location. */
export async function seedOrg(database: Database, now = Date.now()): Promise<SeededOrg> {
  const tag = randomString(6).toLowerCase();
  const { org, owner } = await createOrgWithOwner(database, { name: `Shop ${tag}`, ownerEmail: `owner-${tag}@example.com`, ownerPassword: 'correct horse battery' }, now);
  const rw = await createApiKey(database, org.id, { label: 'rw', scope: 'read_write' }, now);
  const ro = await createApiKey(database, org.id, { label: 'ro', scope: 'read' }, now);
  await createLocation(database, systemActor(org.id, now), {
    slug: `high-street-${tag}`,
    name: 'High Street',
    timeZone: 'Europe/London',
    address: { line1: '1 High Street', city: 'London', postcode: 'N1 1AA', country: 'GB' },
    openingHours: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday: weekday as 1, start: 9 * 60, end: 18 * 60 })),
  });
  return { orgId: org.id, slug: org.slug, ownerId: owner.id, writeKey: rw.plaintext, readKey: ro.plaintext, writeKeyId: rw.key.id, readKeyId: ro.key.id, locationSlug: `high-street-${tag}` };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export async function call(app: FastifyInstance, opts: InjectOptions & { key?: string }) {
  const { key, ...rest } = opts;
  const res = await app.inject({ ...rest, headers: { ...(key ? bearer(key) : {}), ...(rest.headers ?? {}) } });
  let body: any;
  try { body = res.body ? JSON.parse(res.body) : undefined; } catch { body = res.body; }
  return { status: res.statusCode, headers: res.headers, body, raw: res.body };
}
