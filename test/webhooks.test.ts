import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { forEachEngine } from './helpers/engines.js';
import { call, seedOrg, startTestApp, type SeededOrg, type TestContext } from './helpers/app.js';
import { snapshot } from './helpers/snapshot.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';
import { RETRY_WINDOW_MS } from '../src/modules/webhooks/delivery-schedule.js';

const NOW = Date.parse('2026-12-07T08:00:00Z');

/** Runs the worker until it has nothing left to do now. */
async function drain(ctx: TestContext): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const done = await ctx.app.webhookWorker.runOnce();
    if (!done.fannedOut && !done.attempted) return;
  }
  throw new Error('worker did not settle');
}

/**
 * Runs the worker until `done` holds. On PostgreSQL the outbox hands out an event only once every older
 * transaction has ended, cluster-wide: another suite's long transaction can hold it back for a moment.
 */
async function workUntil(ctx: TestContext, done: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await drain(ctx);
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const newClient = (ctx: TestContext, org: SeededOrg, n: number) =>
  call(ctx.app, { method: 'POST', url: '/v1/clients', key: org.writeKey, payload: { first_name: `C${n}`, email: `c${n}-${Math.random()}@example.com` } });

async function createEndpoint(ctx: TestContext, org: SeededOrg, url: string, enabled_events: string[] = ['*']) {
  const res = await call(ctx.app, { method: 'POST', url: '/v1/webhook_endpoints', key: org.writeKey, payload: { url, enabled_events, description: 'test' } });
  assert.equal(res.status, 201, res.raw);
  return res.body as { id: string; secret: string };
}

const attemptsOf = (ctx: TestContext, endpointId: string) =>
  ctx.database.db.selectFrom('webhook_attempts').selectAll().where('endpoint_id', '=', endpointId).orderBy('attempted_at').orderBy('attempt').execute();

forEachEngine('webhook endpoints', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  before(async () => {
    ctx = await startTestApp(engine, { WEBHOOK_ALLOW_PRIVATE_URLS: 'false' });
    org = await seedOrg(ctx.database);
  });
  after(() => ctx.close());

  test('create shows the secret once; get, list, patch, rotate and delete; another org gets 404', async () => {
    const created = await createEndpoint(ctx, org, 'https://example.com/hooks', ['booking.*', 'client.created']);
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
    const got = await call(ctx.app, { method: 'GET', url: `/v1/webhook_endpoints/${created.id}`, key: org.readKey });
    assert.equal(got.status, 200);
    assert.equal(got.body.secret, undefined);
    assert.deepEqual(got.body.enabled_events, ['booking.*', 'client.created']);
    const listed = await call(ctx.app, { method: 'GET', url: '/v1/webhook_endpoints', key: org.readKey });
    assert.ok(listed.body.data.some((e: any) => e.id === created.id));
    assert.ok(!listed.raw.includes('whsec_'), 'no secret in lists');

    const patched = await call(ctx.app, { method: 'PATCH', url: `/v1/webhook_endpoints/${created.id}`, key: org.writeKey, payload: { status: 'disabled', description: null } });
    assert.equal(patched.status, 200, patched.raw);
    assert.equal(patched.body.status, 'disabled');
    assert.equal(patched.body.disabled_reason, 'manual');
    assert.equal(patched.body.description, null);

    const rotated = await call(ctx.app, { method: 'POST', url: `/v1/webhook_endpoints/${created.id}/rotate_secret`, key: org.writeKey });
    assert.equal(rotated.status, 200, rotated.raw);
    assert.notEqual(rotated.body.secret, created.secret);
    assert.ok(rotated.body.previous_secret_expires_at);

    const other = await seedOrg(ctx.database);
    for (const [method, url] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['POST', '/rotate_secret']] as const) {
      const res = await call(ctx.app, { method, url: `/v1/webhook_endpoints/${created.id}${url}`, key: other.writeKey, ...(method === 'PATCH' ? { payload: { description: 'x' } } : {}) });
      assert.equal(res.status, 404, `${method} ${url}`);
      assert.equal(res.body.error.code, 'resource_not_found');
    }
    const deleted = await call(ctx.app, { method: 'DELETE', url: `/v1/webhook_endpoints/${created.id}`, key: org.writeKey });
    assert.deepEqual(deleted.body, { object: 'webhook_endpoint', id: created.id, deleted: true });
    assert.equal((await call(ctx.app, { method: 'GET', url: `/v1/webhook_endpoints/${created.id}`, key: org.readKey })).status, 404);
  });

  test('bad input: URL rules and enabled_events, the envelope, nothing stored', async () => {
    const before = await snapshot(ctx.database, org.orgId);
    const long = `https://example.com/${'a'.repeat(2048)}`;
    const urls = ['http://example.com/hooks', 'https://user:pw@example.com/', long, 'https://127.0.0.1/x', 'https://10.1.2.3/x', 'https://169.254.169.254/latest',
      'https://[::1]/x', 'https://[fd00:ec2::254]/x', 'https://localhost/x', 'https://100.100.100.200/', 'https://[::ffff:192.168.0.1]/', 'not a url', 'ftp://example.com/'];
    for (const url of urls) {
      const res = await call(ctx.app, { method: 'POST', url: '/v1/webhook_endpoints', key: org.writeKey, payload: { url, enabled_events: ['*'] } });
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error.code, 'parameter_invalid', url);
      assert.equal(res.body.error.param, 'url', url);
    }
    const cases: [unknown, string, string][] = [
      [{ enabled_events: ['*'] }, 'parameter_missing', 'url'],
      [{ url: 'https://example.com/' }, 'parameter_missing', 'enabled_events'],
      [{ url: 42, enabled_events: ['*'] }, 'parameter_invalid', 'url'],
      [{ url: 'https://example.com/', enabled_events: 'booking.*' }, 'parameter_invalid', 'enabled_events'],
      [{ url: 'https://example.com/', enabled_events: ['booking.exploded'] }, 'parameter_invalid', 'enabled_events.0'],
      [{ url: 'https://example.com/', enabled_events: ['*', 'bookings.*'] }, 'parameter_invalid', 'enabled_events.1'],
      [{ url: 'https://example.com/', enabled_events: [] }, 'parameter_invalid', 'enabled_events'],
      [{ url: 'https://example.com/', enabled_events: ['*'], secret: 'whsec_mine' }, 'parameter_unknown', 'secret'],
      [{ url: 'https://example.com/', enabled_events: ['*'], status: 'disabled' }, 'parameter_unknown', 'status'],
    ];
    for (const [payload, code, param] of cases) {
      const res = await call(ctx.app, { method: 'POST', url: '/v1/webhook_endpoints', key: org.writeKey, payload: payload as object });
      assert.equal(res.body.error?.code, code, JSON.stringify(payload));
      assert.equal(res.body.error.param, param, JSON.stringify(payload));
    }
    const mine = await createEndpoint(ctx, org, 'https://example.com/mine');
    const mid = await snapshot(ctx.database, org.orgId);
    for (const [payload, code, param] of [
      [{ url: 'https://192.168.1.1/' }, 'parameter_invalid', 'url'],
      [{ status: 'paused' }, 'parameter_invalid', 'status'],
      [{ enabled_events: ['nope'] }, 'parameter_invalid', 'enabled_events.0'],
      [{ org_id: 'org_x' }, 'parameter_unknown', 'org_id'],
      [{ description: 7 }, 'parameter_invalid', 'description'],
    ] as const) {
      const res = await call(ctx.app, { method: 'PATCH', url: `/v1/webhook_endpoints/${mine.id}`, key: org.writeKey, payload });
      assert.equal(res.body.error?.code, code, JSON.stringify(payload));
      assert.equal(res.body.error.param, param);
    }
    assert.deepEqual(await snapshot(ctx.database, org.orgId), mid, 'refused changes leave the data as it was');
    assert.notDeepEqual(before, mid);
  });
});

forEachEngine('webhook delivery to a real receiver', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  let receiver: Receiver;
  before(async () => {
    ctx = await startTestApp(engine, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }, { now: NOW, webhooks: { timeoutMs: 400, random: () => 0.5 } });
    org = await seedOrg(ctx.database, NOW);
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await ctx.close();
  });

  test('every event arrives signed per Standard Webhooks and verifies with the standardwebhooks package', async () => {
    const endpoint = await createEndpoint(ctx, org, receiver.url, ['client.*']);
    receiver.state.secrets = [endpoint.secret];
    for (let i = 0; i < 5; i++) assert.equal((await newClient(ctx, org, i)).status, 201);
    await workUntil(ctx, () => receiver.ids().size >= 5, 'five deliveries');
    const events = await call(ctx.app, { method: 'GET', url: '/v1/events?type=client.created', key: org.readKey });
    const expected = events.body.data.map((e: any) => e.id);
    assert.equal(expected.length, 5);
    assert.deepEqual([...receiver.ids()].sort(), [...expected].sort());
    assert.ok(receiver.received.every((r) => r.verified), 'every delivery verifies');
    const first = receiver.received[0]!;
    assert.equal(first.body.object, 'event');
    assert.equal(first.body.id, first.headers['webhook-id']);
    assert.deepEqual(first.body, events.body.data.find((e: any) => e.id === first.id), 'the body is the event object');
    const attempts = await attemptsOf(ctx, endpoint.id);
    assert.equal(attempts.length, 5);
    assert.ok(attempts.every((a) => a.outcome === 'succeeded' && a.status_code === 200 && a.response_excerpt === '{"received":true}'));

    // Rotation: for 24 hours both secrets sign, so a receiver holding either verifies.
    const rotated = await call(ctx.app, { method: 'POST', url: `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, key: org.writeKey });
    receiver.state.secrets = [endpoint.secret, rotated.body.secret];
    receiver.received.length = 0;
    await newClient(ctx, org, 99);
    await workUntil(ctx, () => receiver.received.length >= 1, 'a delivery');
    assert.equal(receiver.received.length, 1);
    assert.ok(receiver.received[0]!.verified, 'signed by the old and the new secret');
    assert.equal(String(receiver.received[0]!.headers['webhook-signature']).split(' ').length, 2);
    ctx.clock.now += 24 * 3_600_000 + 1;
    receiver.received.length = 0;
    await newClient(ctx, org, 100);
    await workUntil(ctx, () => receiver.received.length >= 1, 'a delivery');
    assert.equal(String(receiver.received[0]!.headers['webhook-signature']).split(' ').length, 1, 'after 24 hours only the new secret signs');
    assert.doesNotThrow(() => new Webhook(rotated.body.secret).verify(JSON.stringify(receiver.received[0]!.body), receiver.received[0]!.headers as Record<string, string>));
    await call(ctx.app, { method: 'DELETE', url: `/v1/webhook_endpoints/${endpoint.id}`, key: org.writeKey });
  });

  test('a receiver that is down: failed attempts recorded, retries on the schedule, then every event arrives', async () => {
    const down = await startReceiver();
    const port = down.port;
    const endpoint = await createEndpoint(ctx, org, down.url, ['client.created']);
    await down.close();
    for (let i = 0; i < 3; i++) await newClient(ctx, org, 200 + i);
    await workUntil(ctx, async () => (await attemptsOf(ctx, endpoint.id)).length >= 3, 'three failed attempts');
    let attempts = await attemptsOf(ctx, endpoint.id);
    assert.equal(attempts.length, 3);
    assert.ok(attempts.every((a) => a.outcome === 'failed' && a.error === 'connection_failed' && a.status_code === null));
    const pending = await ctx.database.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpoint.id).execute();
    assert.ok(pending.every((d) => d.status === 'pending' && d.next_attempt_at === ctx.clock.now + 5_000), 'next try in 5 s (jitter at its middle)');

    ctx.clock.now += 5_000;
    await drain(ctx); // still down: the 2nd attempt fails, the next is 5 minutes later
    ctx.clock.now += 60_000;
    await drain(ctx);
    assert.equal((await attemptsOf(ctx, endpoint.id)).length, 6, 'nothing is tried before it is due');

    const up = await startReceiver(port);
    up.state.secrets = [endpoint.secret];
    ctx.clock.now += 4 * 60_000;
    await drain(ctx);
    assert.equal(up.ids().size, 3, 'every event arrives once the receiver is back');
    assert.ok(up.received.every((r) => r.verified));
    attempts = await attemptsOf(ctx, endpoint.id);
    assert.deepEqual(attempts.map((a) => a.outcome), ['failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'succeeded', 'succeeded', 'succeeded']);
    const endpointRow = await ctx.database.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', endpoint.id).executeTakeFirstOrThrow();
    assert.equal(endpointRow.failing_since, null, 'a success clears the failure record');
    await up.close();
    await call(ctx.app, { method: 'DELETE', url: `/v1/webhook_endpoints/${endpoint.id}`, key: org.writeKey });
  });

  test('500, a hang past the timeout and a redirect are failed attempts, never a crash; 3 days of failures disable the endpoint', async () => {
    const bad = await startReceiver();
    const endpoint = await createEndpoint(ctx, org, bad.url, ['client.created']);
    for (const [i, mode] of (['fail', 'hang', 'redirect'] as const).entries()) {
      bad.state.mode = mode;
      await newClient(ctx, org, 300);
      await workUntil(ctx, async () => (await attemptsOf(ctx, endpoint.id)).length >= i + 1, `attempt ${i + 1}`);
    }
    const attempts = await attemptsOf(ctx, endpoint.id);
    assert.deepEqual(attempts.map((a) => [a.status_code, a.error]), [[500, 'http_status'], [null, 'timeout'], [302, 'redirect_not_followed']]);
    assert.equal(attempts[0]!.response_excerpt, 'Internal trouble at the receiver');
    assert.ok(attempts[1]!.latency_ms >= 350, 'the attempt ran to the timeout');

    // Keep failing, moving the clock to each due time: after 3 days the deliveries give up and the endpoint is disabled.
    bad.state.mode = 'fail';
    for (let i = 0; i < 40; i++) {
      const next = await ctx.database.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('t'))
        .where('endpoint_id', '=', endpoint.id).where('status', '=', 'pending').executeTakeFirst();
      if (next?.t == null) break;
      ctx.clock.now = Math.max(ctx.clock.now, Number(next.t));
      await drain(ctx);
    }
    const row = await ctx.database.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', endpoint.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'disabled');
    assert.equal(row.disabled_reason, 'failing');
    const deliveries = await ctx.database.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpoint.id).execute();
    assert.ok(deliveries.every((d) => d.status === 'failed' || d.status === 'pending'));
    assert.ok(row.disabled_at! - row.failing_since! >= RETRY_WINDOW_MS * 0.9, 'after about 3 days of failures');
    const perDelivery = await attemptsOf(ctx, endpoint.id);
    assert.ok(perDelivery.length >= 3 * 9, `retried on the schedule (${perDelivery.length} attempts)`);
    const view = await call(ctx.app, { method: 'GET', url: `/v1/webhook_endpoints/${endpoint.id}`, key: org.readKey });
    assert.equal(view.body.disabled_reason, 'failing');
    await bad.close();
  });

  test('a private address without the development switch is refused at delivery (a name that resolves inside)', async () => {
    const strict = await startTestApp(engine, { WEBHOOK_ALLOW_PRIVATE_URLS: 'false' }, { now: NOW, webhooks: { timeoutMs: 400 } });
    try {
      const o = await seedOrg(strict.database, NOW);
      const target = await startReceiver();
      // Saved as a public name; now resolving to loopback ("localhost" stands for a name whose DNS changed).
      const created = await createEndpoint(strict, o, 'https://hooks.example.com/x', ['client.created']);
      await strict.database.db.updateTable('webhook_endpoints').set({ url: `https://localhost:${target.port}/x` }).where('id', '=', created.id).execute();
      await newClient(strict, o, 1);
      await workUntil(strict, async () => (await attemptsOf(strict, created.id)).length >= 1, 'an attempt');
      const attempts = await attemptsOf(strict, created.id);
      assert.equal(attempts.length, 1);
      assert.equal(attempts[0]!.error, 'private_address');
      assert.equal(target.received.length, 0, 'nothing was sent');
      await target.close();
    } finally {
      await strict.close();
    }
  });

  test('shutdown: an attempt in flight is recorded whole or not at all', async () => {
    const slow = await startReceiver();
    slow.state.mode = 'hang';
    const app = await startTestApp(engine, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }, { workers: true, webhooks: { pollMs: 20, timeoutMs: 5_000, stopGraceMs: 100 } });
    const o = await seedOrg(app.database);
    const endpoint = await createEndpoint(app, o, slow.url, ['client.created']);
    await newClient(app, o, 1);
    for (let i = 0; i < 100 && slow.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(slow.received.length, 0, 'hang mode records nothing until answered');
    await new Promise((r) => setTimeout(r, 100));
    const database = app.database;
    await app.app.close(); // stops the worker first: the attempt in flight is aborted after the grace
    const deliveries = await database.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpoint.id).execute();
    const attempts = await database.db.selectFrom('webhook_attempts').selectAll().where('endpoint_id', '=', endpoint.id).execute();
    assert.equal(deliveries.length, 1);
    assert.equal(attempts.length, deliveries[0]!.attempts, 'attempt count and log agree');
    assert.equal(deliveries[0]!.status, 'pending');
    assert.ok(deliveries[0]!.next_attempt_at! <= Date.now(), 'released for the next instance at once');
    await app.close();
    await slow.close();
  });
});
