import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';

forEachEngine('HTTPS policy', (engine) => {
  let ctx: TestContext;
  let proxied: TestContext;
  let strict: TestContext;
  let org: SeededOrg;
  before(async () => {
    ctx = await startTestApp(engine);
    proxied = await startTestApp(engine, { TRUST_PROXY: 'true' });
    strict = await startTestApp(engine, { ALLOW_LOOPBACK_HTTP: 'false' });
    org = await seedOrg(ctx.database);
  });
  after(async () => {
    await ctx.close();
    await proxied.close();
    await strict.close();
  });

  test('plain HTTP from a non-loopback peer → 403 https_required, key never looked up or logged', async () => {
    const before = ctx.database.queryCount();
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/locations', remoteAddress: '203.0.113.9', headers: { authorization: `Bearer ${org.readKey}` } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'https_required');
    assert.equal(ctx.database.queryCount(), before);
    assert.ok(!ctx.logs.join('').includes(org.readKey.slice(8)));
  });

  test('loopback plain HTTP is allowed, unless switched off', async () => {
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/locations', key: org.readKey })).status, 200);
    const s = await seedOrg(strict.database);
    const res = await call(strict.app, { method: 'GET', url: '/v1/locations', key: s.readKey });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'https_required');
  });

  test('proxy mode: X-Forwarded-Proto decides; http is refused even from loopback', async () => {
    const p = await seedOrg(proxied.database);
    const viaTls = await proxied.app.inject({ method: 'GET', url: '/v1/locations', remoteAddress: '10.1.2.3', headers: { authorization: `Bearer ${p.readKey}`, 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' } });
    assert.equal(viaTls.statusCode, 200);
    assert.match(String(viaTls.headers['strict-transport-security']), /max-age=\d+/);
    const plain = await proxied.app.inject({ method: 'GET', url: '/v1/locations', headers: { authorization: `Bearer ${p.readKey}`, 'x-forwarded-proto': 'http' } });
    assert.equal(plain.statusCode, 403);
    assert.equal(plain.json().error.code, 'https_required');
    const noHeaderRemote = await proxied.app.inject({ method: 'GET', url: '/v1/locations', remoteAddress: '10.1.2.3', headers: { authorization: `Bearer ${p.readKey}` } });
    assert.equal(noHeaderRemote.statusCode, 403);
    // ops probes stay reachable over plain HTTP
    assert.equal((await proxied.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.1.2.3' })).statusCode, 200);
  });
});

forEachEngine('rate limits and last_used_at', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  const t0 = Date.parse('2026-11-30T09:00:00Z');
  before(async () => {
    ctx = await startTestApp(engine, { RATE_LIMIT_PER_MINUTE: '5' }, { now: t0 });
    org = await seedOrg(ctx.database, t0 - 3_600_000);
  });
  after(() => ctx.close());

  test('per-key limit with RateLimit-* headers, then 429 rate_limited with Retry-After; other keys unaffected', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call(ctx.app, { method: 'GET', url: '/v1/locations', key: org.readKey });
      assert.equal(res.status, 200);
      assert.equal(res.headers['ratelimit-limit'], '5');
      remaining.push(String(res.headers['ratelimit-remaining']));
      assert.ok(Number(res.headers['ratelimit-reset']) >= 1);
    }
    assert.deepEqual(remaining, ['4', '3', '2', '1', '0']);
    const limited = await call(ctx.app, { method: 'GET', url: '/v1/locations', key: org.readKey });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/locations', key: org.writeKey })).status, 200);
    ctx.clock.now += 61_000;
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/locations', key: org.readKey })).status, 200);
  });

  test('last_used_at is coalesced: at most one write per key per minute, flushed at shutdown', async () => {
    const o = await seedOrg(ctx.database, t0 - 3_600_000);
    const tracker = ctx.app.lastUsed;
    const start = tracker.writes();
    const read = async () => (await ctx.database.db.selectFrom('api_keys').select('last_used_at').where('id', '=', o.writeKeyId).executeTakeFirstOrThrow()).last_used_at;
    const burst = async (n: number) => {
      for (let i = 0; i < n; i++) {
        assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/locations', key: o.writeKey })).status, 200);
        ctx.clock.now += 1000;
      }
    };
    const firstUse = ctx.clock.now;
    await burst(4);
    assert.equal(tracker.writes() - start, 1, 'one write for a burst within a minute');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(await read(), firstUse);
    ctx.clock.now += 60_000;
    await burst(3);
    assert.equal(tracker.writes() - start, 2);
    const lastUse = ctx.clock.now - 1000;
    await tracker.flushDue(true);
    assert.equal(tracker.writes() - start, 3, 'pending value flushed at shutdown');
    assert.equal(await read(), lastUse);
  });
});
