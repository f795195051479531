import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { generateApiKey } from '../src/lib/api-key.js';
import { createLocation } from '../src/modules/locations/locations.service.js';
import { systemActor } from '../src/modules/events/actor.js';

forEachEngine('foundation', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  before(async () => {
    ctx = await startTestApp(engine);
    org = await seedOrg(ctx.database);
  });
  after(() => ctx.close());


  test('the published curl example works: list of the org\'s locations', async () => {
    const res = await call(ctx.app, { method: 'GET', url: '/v1/locations', key: org.readKey, headers: { accept: 'application/json' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['x-request-id']), /^req_/);
    assert.equal(res.body.object, 'list');
    assert.equal(res.body.has_more, false);
    assert.equal(res.body.next_cursor, null);
    assert.deepEqual(res.body.data.map((l: any) => l.slug), [org.locationSlug]);
    const loc = res.body.data[0];
    assert.equal(loc.time_zone, 'Europe/London');
    assert.deepEqual(loc.opening_hours.monday, [{ opens: '09:00', closes: '18:00' }]);
    assert.deepEqual(loc.opening_hours.sunday, []);
  });

  test('a location by slug; an unknown slug and another org\'s slug get the same 404', async () => {
    const ok = await call(ctx.app, { method: 'GET', url: `/v1/locations/${org.locationSlug}`, key: org.readKey });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.object, 'location');
    const other = await seedOrg(ctx.database);
    await createLocation(ctx.database, systemActor(other.orgId), { slug: 'secret-branch', name: 'x', timeZone: 'Europe/London', address: { line1: 'a', city: 'b', postcode: 'c' }, openingHours: [] });
    const theirs = await call(ctx.app, { method: 'GET', url: '/v1/locations/secret-branch', key: org.readKey });
    const missing = await call(ctx.app, { method: 'GET', url: '/v1/locations/no-such-branch', key: org.readKey });
    assert.equal(theirs.status, 404);
    assert.equal(missing.status, 404);
    delete theirs.body.error.request_id;
    delete missing.body.error.request_id;
    assert.equal(theirs.body.error.code, 'resource_not_found');
    assert.deepEqual(theirs.body.error.code, missing.body.error.code);
    assert.ok(!JSON.stringify(theirs.body).includes(other.orgId));
  });

  test('caller\'s sane X-Request-Id is echoed and repeated in errors; an insane one is replaced', async () => {
    const mine = await call(ctx.app, { method: 'GET', url: '/v1/locations', headers: { 'x-request-id': 'my-trace-12345678' } });
    assert.equal(mine.headers['x-request-id'], 'my-trace-12345678');
    assert.equal(mine.body.error.request_id, 'my-trace-12345678');
    const bad = await call(ctx.app, { method: 'GET', url: '/v1/locations', headers: { 'x-request-id': 'x y <script>' } });
    assert.match(String(bad.headers["x-request-id"]), /^req_[a-z0-9]{16}$/);
  });

  test('pagination: limit edges, cursors across pages, tampered / foreign cursors', async () => {
    const p = await seedOrg(ctx.database);
    for (let i = 0; i < 4; i++) {
      await createLocation(ctx.database, systemActor(p.orgId, Date.now() + i + 1), { slug: `branch-${i}`, name: `B${i}`, timeZone: 'Europe/London', address: { line1: 'a', city: 'b', postcode: 'c' }, openingHours: [] });
    }
    for (const [limit, param] of [['0', 'limit'], ['101', 'limit'], ['abc', 'limit'], ['1.5', 'limit'], ['-1', 'limit']]) {
      const res = await call(ctx.app, { method: 'GET', url: `/v1/locations?limit=${limit}`, key: p.readKey });
      assert.equal(res.status, 400, `limit=${limit}`);
      assert.equal(res.body.error.code, 'parameter_invalid');
      assert.equal(res.body.error.param, param);
    }
    const seen: string[] = [];
    let url = '/v1/locations?limit=2';
    for (;;) {
      const res = await call(ctx.app, { method: 'GET', url, key: p.readKey });
      assert.equal(res.status, 200);
      seen.push(...res.body.data.map((l: any) => l.slug));
      if (!res.body.has_more) break;
      assert.equal(res.body.data.length, 2);
      url = `/v1/locations?limit=2&cursor=${encodeURIComponent(res.body.next_cursor)}`;
    }
    assert.deepEqual(seen, [p.locationSlug, 'branch-0', 'branch-1', 'branch-2', 'branch-3']);

    const first = await call(ctx.app, { method: 'GET', url: '/v1/locations?limit=1', key: p.readKey });
    const cursor: string = first.body.next_cursor;
    const [payload, mac] = cursor.split('.');
    const tampered = [`${payload}x.${mac}`, `${payload}.${mac!.slice(0, -2)}AA`, 'garbage', '', `${payload}`, `${payload}.${mac}.x`];
    for (const c of tampered) {
      const res = await call(ctx.app, { method: 'GET', url: `/v1/locations?cursor=${encodeURIComponent(c)}`, key: p.readKey });
      assert.equal(res.status, 400, `cursor ${c}`);
      assert.equal(res.body.error.param, 'cursor');
    }
    const foreign = await call(ctx.app, { method: 'GET', url: `/v1/locations?cursor=${encodeURIComponent(cursor)}`, key: org.readKey });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.error.code, 'parameter_invalid');
    assert.equal(foreign.body.error.param, 'cursor');
  });

  test('unknown query parameters are refused, not ignored', async () => {
    const res = await call(ctx.app, { method: 'GET', url: '/v1/locations?limt=5', key: org.readKey });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'parameter_unknown');
    assert.equal(res.body.error.param, 'limt');
  });

  test('unknown routes, wrong methods (with Allow) and HEAD', async () => {
    const nf = await call(ctx.app, { method: 'GET', url: '/v1/nope', key: org.readKey });
    assert.equal(nf.status, 404);
    assert.equal(nf.body.error.code, 'route_not_found');
    const wrong = await call(ctx.app, { method: 'DELETE', url: `/v1/locations/${org.locationSlug}`, key: org.writeKey });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.body.error.code, 'method_not_allowed');
    assert.equal(wrong.headers.allow, 'GET, HEAD');
    const put = await call(ctx.app, { method: 'PUT', url: '/v1/locations', key: org.writeKey, payload: {} });
    assert.equal(put.status, 405);
  });

  test('ops endpoints: healthz, readyz, metrics, openapi, docs', async () => {
    assert.equal((await call(ctx.app, { method: 'GET', url: '/healthz' })).status, 200);
    const ready = await call(ctx.app, { method: 'GET', url: '/readyz' });
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');
    await call(ctx.app, { method: 'GET', url: '/v1/locations', key: org.readKey });
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/locations', headers: { authorization: 'Bearer sk_live_nope' } })).status, 401);
    const metrics = await call(ctx.app, { method: 'GET', url: '/metrics' });
    assert.match(metrics.raw, /setora_http_request_duration_seconds_count\{route="\/v1\/locations",method="GET",status="200"\} \d+/);
    assert.match(metrics.raw, /setora_auth_failures_total\{code="invalid_api_key"\} [1-9]/);
    const spec = await call(ctx.app, { method: 'GET', url: '/v1/openapi.json' });
    assert.equal(spec.status, 200);
    assert.equal(spec.body.openapi, '3.1.0');
    const list = spec.body.paths['/v1/locations'].get;
    assert.ok(list.responses['200']);
    for (const s of ['400', '401', '403', '429', '500']) assert.ok(list.responses[s], `error response ${s} documented`);
    assert.ok(spec.body.paths['/v1/locations/{slug}'].get.responses['404']);
    const docs = await ctx.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
    assert.doesNotMatch(docs.body, /https?:\/\/(cdn|unpkg|fonts)\./);
  });

  test('a bad-checksum key costs zero database queries', async () => {
    const good = generateApiKey();
    const bad = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    const before = ctx.database.queryCount();
    for (const header of [`Bearer ${bad}`, 'Bearer sk_live_short', 'Basic abc', 'Bearer ']) {
      const res = await call(ctx.app, { method: 'GET', url: '/v1/locations', headers: { authorization: header } });
      assert.equal(res.status, 401);
    }
    assert.equal(ctx.database.queryCount() - before, 0);
    // and a well-formed unknown key costs exactly one (the digest lookup)
    await call(ctx.app, { method: 'GET', url: '/v1/locations', headers: { authorization: `Bearer ${good}` } });
    assert.equal(ctx.database.queryCount() - before, 1);
  });

  test('the plaintext key is nowhere in the database or the logs after creation (canary)', async () => {
    const { plaintext } = await createApiKey(ctx.database, org.orgId, { label: 'canary', scope: 'read' });
    for (let i = 0; i < 3; i++) assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/locations', key: plaintext })).status, 200);
    await call(ctx.app, { method: 'GET', url: '/v1/nope', key: plaintext });
    await call(ctx.app, { method: 'GET', url: `/v1/locations?cursor=${plaintext}`, key: plaintext });
    const body = plaintext.slice(8);
    assert.ok(!ctx.logs.join('').includes(body), 'key body in logs');
    assert.ok(ctx.logs.length > 0);
    if (engine === 'sqlite') {
      await ctx.app.lastUsed.flushDue(true);
      const file = (ctx.config.database as { file: string }).file;
      for (const f of [file, `${file}-wal`]) if (fs.existsSync(f)) assert.ok(!fs.readFileSync(f).includes(body), `key body in ${f}`);
    } else {
      const rows = await ctx.database.db.selectFrom('api_keys').selectAll().execute();
      assert.ok(!JSON.stringify(rows).includes(body));
    }
  });
});
