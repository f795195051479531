import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PG_OK, freshTarget } from './helpers/engines.js';
import { openDatabase, type Database } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { seedOrg, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { post } from './helpers/http.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { revokeApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';
import { addDays } from '../src/lib/zoned-date.js';

type Server = ServerProcess;

/**
 * One of the three instances (the server process, test/helpers/server-process.ts). Shedding off: three
 * processes on a busy two-core machine lag past 200 ms and would answer 503s that these tests do not count.
 */
const startServer = (databaseUrl: string): Promise<Server> => startServerProcess(databaseUrl, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', SHED_MAX_EVENT_LOOP_DELAY_MS: '0' });

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** The date `weeks` weeks ahead on `weekday` (0 = Sunday), as YYYY-MM-DD. */
function dayAhead(weeks: number, weekday: number): string {
  const d = new Date();
  const today = d.toISOString().slice(0, 10);
  return addDays(today, ((weekday - d.getUTCDay() + 7) % 7 || 7) + 7 * weeks);
}

interface Slot { starts_at: string; ends_at: string; staff_id: string }

describe('three server processes on one PostgreSQL', { skip: PG_OK ? false : 'PostgreSQL unavailable' }, () => {
  let database: Database;
  let drop: () => Promise<void>;
  let servers: Server[] = [];
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
    await Promise.all(servers.map((s) => s.stop('SIGTERM')));
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

  describe('a change made on one instance is in the availability the other two serve on their very next request', () => {
    let hubSession: { cookie: string; csrf: string; base: string };

    /** Blake's haircut slots on `date` from one instance. */
    async function slots(server: Server, date: string): Promise<Slot[]> {
      const res = await fetch(`${server.base}/v1/locations/${shop.location.slug}/availability?service=${shop.haircut.id}&staff=${shop.blake.id}&from=${date}&to=${date}`, {
        headers: { authorization: `Bearer ${org.readKey}` },
      });
      assert.equal(res.status, 200);
      return ((await res.json()) as { slots: Slot[] }).slots;
    }

    /** Every instance answers (and so remembers) the day first; all agree. */
    async function warm(date: string): Promise<Slot[]> {
      const answers = await Promise.all(servers.map((s) => slots(s, date)));
      for (const a of answers.slice(1)) assert.deepEqual(a, answers[0]);
      assert.ok(answers[0]!.length > 0, `Blake has slots on ${date}`);
      return answers[0]!;
    }

    /** The other two instances' very next answers, after a change made through `changer`. */
    async function othersAfter(changer: number, date: string): Promise<Slot[][]> {
      return Promise.all([1, 2].map((k) => slots(servers[(changer + k) % 3]!, date)));
    }

    async function hubCall(server: Server, method: 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown) {
      const res = await fetch(`${server.base}/hub/api${path}`, {
        method,
        headers: { cookie: hubSession.cookie, origin: server.base, 'x-csrf-token': hubSession.csrf, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text);
    }

    before(async () => {
      const owner = await database.db.selectFrom('users').select('email').where('id', '=', org.ownerId).executeTakeFirstOrThrow();
      const base = servers[0]!.base;
      const res = await fetch(`${base}/hub/api/signin`, { method: 'POST', headers: { origin: base, 'content-type': 'application/json' }, body: JSON.stringify({ email: owner.email, password: 'correct horse battery' }) });
      assert.equal(res.status, 200);
      hubSession = { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as { csrf_token: string }).csrf_token, base };
    });

    test('booking, reschedule and cancel (API)', async () => {
      const date = dayAhead(2, 3);
      const before = await warm(date);
      const first = before[0]!;
      const booked = await post(servers[0]!.base, '/v1/bookings', org.writeKey, { location: shop.location.slug, service: shop.haircut.id, staff: shop.blake.id, client: shop.client.id, starts_at: first.starts_at });
      assert.equal(booked.status, 201, booked.text);
      for (const answer of await othersAfter(0, date)) assert.ok(!answer.some((s) => s.starts_at === first.starts_at), 'the booked slot is gone');

      const later = before[before.length - 1]!;
      await warm(date);
      const moved = await post(servers[1]!.base, `/v1/bookings/${booked.body.reference}/reschedule`, org.writeKey, { starts_at: later.starts_at });
      assert.equal(moved.status, 200, moved.text);
      for (const answer of await othersAfter(1, date)) {
        assert.ok(!answer.some((s) => s.starts_at === later.starts_at), 'the new time is taken');
        assert.ok(answer.some((s) => s.starts_at === first.starts_at), 'the old time is free again');
      }

      await warm(date);
      const cancelled = await post(servers[2]!.base, `/v1/bookings/${booked.body.reference}/cancel`, org.writeKey, {});
      assert.equal(cancelled.status, 200, cancelled.text);
      for (const answer of await othersAfter(2, date)) assert.deepEqual(answer, before, 'everything is free again');
    });

    test('staff hours, time off, a closure and a service edit (Hub)', async () => {
      // Hours: Blake's day shortened to 10:00–12:00 through instance 0.
      const hoursDay = dayAhead(3, 4);
      const before = await warm(hoursDay);
      const week = Object.fromEntries(WEEKDAYS.map((d, i) => [d, i >= 2 && i <= 6 ? [{ opens: '10:00', closes: i === 4 ? '12:00' : '18:00' }] : []]));
      await hubCall(servers[0]!, 'PATCH', `/staff/${shop.blake.id}`, { hours: { [shop.location.id]: week } });
      for (const answer of await othersAfter(0, hoursDay)) {
        assert.ok(answer.length > 0 && answer.length < before.length, `fewer slots (${answer.length} < ${before.length})`);
        assert.ok(answer.every((s) => before.some((b) => b.starts_at === s.starts_at)));
      }

      // Time off: Blake away all day, through instance 1.
      const offDay = dayAhead(4, 3);
      await warm(offDay);
      await hubCall(servers[1]!, 'POST', `/staff/${shop.blake.id}/exceptions`, { date: offDay, kind: 'off', all_day: true });
      for (const answer of await othersAfter(1, offDay)) assert.deepEqual(answer, []);

      // Closure: the location closed for a day, through instance 2.
      const closedDay = dayAhead(5, 3);
      await warm(closedDay);
      await hubCall(servers[2]!, 'POST', `/locations/${shop.location.id}/closures`, { starts_on: closedDay, ends_on: closedDay, reason: 'Refit' });
      for (const answer of await othersAfter(2, closedDay)) assert.deepEqual(answer, []);

      // Service edit: the haircut becomes 60 minutes, through instance 0.
      const editDay = dayAhead(6, 3);
      await warm(editDay);
      await hubCall(servers[0]!, 'PATCH', `/services/${shop.haircut.id}`, { duration_minutes: 60 });
      for (const answer of await othersAfter(0, editDay)) {
        assert.ok(answer.length > 0);
        for (const s of answer) assert.equal(Date.parse(s.ends_at) - Date.parse(s.starts_at), 60 * 60_000);
      }
    });
  });

  test('a key revoked through one instance fails on every instance at once', async () => {
    const locations = (s: Server) => fetch(`${s.base}/v1/locations`, { headers: { authorization: `Bearer ${org.readKey}` } });
    for (const s of servers) assert.equal((await locations(s)).status, 200);
    const owner = await database.db.selectFrom('users').select('email').where('id', '=', org.ownerId).executeTakeFirstOrThrow();
    const base = servers[1]!.base;
    const signin = await fetch(`${base}/hub/api/signin`, { method: 'POST', headers: { origin: base, 'content-type': 'application/json' }, body: JSON.stringify({ email: owner.email, password: 'correct horse battery' }) });
    const revoke = await fetch(`${base}/hub/api/keys/${org.readKeyId}`, {
      method: 'DELETE',
      headers: { cookie: signin.headers.get('set-cookie')!.split(';')[0]!, origin: base, 'x-csrf-token': ((await signin.json()) as { csrf_token: string }).csrf_token },
    });
    assert.equal(revoke.status, 200);
    const statuses = await Promise.all(servers.map(async (s) => (await locations(s)).status));
    assert.deepEqual(statuses, [401, 401, 401]);
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
    // Attempts are recorded in batches just after they are answered: wait until every one is.
    const recorded = () => database.db.selectFrom('webhook_deliveries').select(['attempts', 'status']).where('org_id', '=', org.orgId).execute();
    let deliveries = await recorded();
    for (let i = 0; i < 200 && deliveries.some((d) => d.status !== 'succeeded'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      deliveries = await recorded();
    }
    assert.equal(deliveries.length, N, 'one delivery per event and endpoint');
    assert.deepEqual(deliveries.filter((d) => d.status !== 'succeeded' || d.attempts !== 1), [], 'each delivered by one attempt of one instance');
  });
});
