import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { PG_OK, freshTarget } from './helpers/engines.js';
import { openDatabase, type Database } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { seedOrg, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { post } from './helpers/http.js';
import { revokeApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), SEED_DEMO: 'false', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  // Up to 30 s: three processes compile TypeScript at once on a two-core machine.
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { child, base };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('server did not start');
}

describe('three server processes on one PostgreSQL', { skip: PG_OK ? false : 'PostgreSQL unavailable' }, () => {
  let database: Database;
  let drop: () => Promise<void>;
  let servers: { child: ChildProcess; base: string }[] = [];
  let org: SeededOrg;
  let shop: TestShop;
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
    const fresh = await freshTarget('postgres');
    drop = fresh.drop;
    database = openDatabase(fresh.target);
    await migrate(database);
    org = await seedOrg(database, Date.now());
    shop = await seedShop(database, org.orgId, Date.now());
    // Keep every server that did start, so `after` stops them even when another failed to.
    const started = await Promise.allSettled([1, 2, 3].map(() => startServer((fresh.target as { url: string }).url)));
    servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  });
  after(async () => {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)))));
    await receiver.close();
    await database.close();
    await drop();
  });

  function nextTuesday(hourUtc: number): string {
    const d = new Date();
    d.setUTCDate(d.getUTCDate() + ((9 - d.getUTCDay()) % 7 || 7) + 7);
    d.setUTCHours(hourUtc, 0, 0, 0);
    return d.toISOString();
  }

  test('60 requests for one slot spread over three instances: exactly one booking', async () => {
    const startsAt = nextTuesday(11);
    const body = { location: shop.location.slug, service: shop.haircut.id, staff: shop.blake.id, client: shop.client.id, starts_at: startsAt };
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => post(servers[i % 3]!.base, '/v1/bookings', org.writeKey, body)));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 59);
    const rows = await database.db.selectFrom('bookings').select('id').where('org_id', '=', org.orgId).where('status', '<>', 'cancelled').execute();
    assert.equal(rows.length, 1);
  });

  test('overlapping starts across instances never overlap in the database', async () => {
    const t0 = Date.parse(nextTuesday(12));
    const results = await Promise.all(Array.from({ length: 45 }, (_, i) => post(servers[i % 3]!.base, '/v1/bookings', org.writeKey, {
      location: shop.location.slug, service: shop.haircut.id, staff: shop.blake.id, client: shop.client.id, starts_at: new Date(t0 + (i % 15) * 15 * 60_000).toISOString(),
    })));
    assert.ok(results.every((r) => r.status === 201 || r.status === 409), JSON.stringify(results.map((r) => r.status)));
    const rows = await database.db.selectFrom('bookings').select(['start_ms', 'block_end_ms']).where('org_id', '=', org.orgId).where('staff_id', '=', shop.blake.id)
      .where('status', '<>', 'cancelled').orderBy('start_ms').execute();
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.block_end_ms <= rows[i]!.start_ms);
  });

  test('a key revoked through one instance fails on every instance at the next request', async () => {
    for (const s of servers) assert.equal((await fetch(`${s.base}/v1/locations`, { headers: { authorization: `Bearer ${org.readKey}` } })).status, 200);
    await revokeApiKey(database, org.orgId, org.readKeyId);
    for (const s of servers) assert.equal((await fetch(`${s.base}/v1/locations`, { headers: { authorization: `Bearer ${org.readKey}` } })).status, 401);
  });

  test('every event arrives, each attempt made by one instance; the duplicate rate is reported', async () => {
    const created = await post(servers[0]!.base, '/v1/webhook_endpoints', org.writeKey, { url: receiver.url, enabled_events: ['client.created'] });
    assert.equal(created.status, 201, created.text);
    receiver.state.secrets = [created.body.secret];
    const N = 60;
    await Promise.all(Array.from({ length: N }, (_, i) =>
      post(servers[i % 3]!.base, '/v1/clients', org.writeKey, { first_name: `M${i}`, email: `m${i}@example.com` }).then((r) => assert.equal(r.status, 201, r.text))));
    const deadline = Date.now() + 30_000;
    while (receiver.ids().size < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const events = await database.db.selectFrom('events').select('id').where('org_id', '=', org.orgId).where('type', '=', 'client.created').execute();
    assert.equal(events.length, N);
    assert.deepEqual([...receiver.ids()].sort(), events.map((e) => e.id).sort(), 'every event arrived');
    assert.ok(receiver.received.every((r) => r.verified), 'every delivery verifies');
    await new Promise((r) => setTimeout(r, 500)); // late duplicates, if any
    const duplicates = receiver.received.length - receiver.ids().size;
    console.log(`# webhook deliveries from 3 instances (each running its delivery worker): ${receiver.received.length} for ${N} events, ${duplicates} duplicates (${((duplicates / N) * 100).toFixed(1)}%)`);
    const deliveries = await database.db.selectFrom('webhook_deliveries').select(['attempts', 'status']).where('org_id', '=', org.orgId).execute();
    assert.equal(deliveries.length, N, 'one delivery per event and endpoint');
    assert.ok(deliveries.every((d) => d.status === 'succeeded' && d.attempts === 1), 'each attempt made by one instance');
  });
});
