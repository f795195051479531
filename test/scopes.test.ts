import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { call, seedOrg, startTestApp, type TestContext } from './helpers/app.js';
import { locationLimitSuite } from './helpers/security-suite.js';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { ROUTE_SCOPES } from '../src/http/scopes.js';
import { insufficientScope } from '../src/http/auth.js';

forEachEngine('per-resource scopes', (engine) => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp(engine); });
  after(() => ctx.close());

  describe('location-limited keys', () => locationLimitSuite('location-limited key', () => ctx));

  test('every /v1 route declares its scope in the one table, and the OpenAPI document shows it', async () => {
    const doc = (await call(ctx.app, { method: 'GET', url: '/v1/openapi.json' })).body;
    const seen: string[] = [];
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const key = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        assert.ok(ROUTE_SCOPES[key], `${key} has a scope`);
        assert.deepEqual(op.security, [{ bearerAuth: [ROUTE_SCOPES[key]] }], key);
        seen.push(key);
      }
    }
    assert.deepEqual(seen.sort(), Object.keys(ROUTE_SCOPES).sort(), 'the table lists exactly the routes');
  });

  test('the presets keep their published refusal byte for byte', async () => {
    const org = await seedOrg(ctx.database);
    const res = await call(ctx.app, { method: 'POST', url: '/v1/webhook_endpoints', key: org.readKey, payload: { nope: 1 } });
    assert.equal(res.status, 403);
    const expected = insufficientScope('read').body(res.body.error.request_id);
    assert.equal(res.raw, JSON.stringify(expected));
    assert.equal(res.body.error.message, 'This API key has the `read` scope, which does not permit this request. Use a `read_write` key.');
    // A read key still reads everything, the events feed and webhook endpoints included.
    for (const url of ['/v1/locations', '/v1/events', '/v1/webhook_endpoints', '/v1/clients', '/v1/bookings']) {
      assert.equal((await call(ctx.app, { method: 'GET', url, key: org.readKey })).status, 200, url);
    }
  });

  test('a :write scope includes its :read; keys refuse unknown scopes, unknown locations and webhooks with locations', async () => {
    const org = await seedOrg(ctx.database);
    const key = await createApiKey(ctx.database, org.orgId, { label: 'w', scopes: ['bookings:write'] });
    assert.deepEqual(key.key.scopes, ['bookings:read', 'bookings:write']);
    assert.equal(key.key.scope, null);
    assert.equal(key.key.locations, null);
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/bookings', key: key.plaintext })).status, 200);
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/clients', key: key.plaintext })).status, 403);
    const limited = await createApiKey(ctx.database, org.orgId, { label: 'l', scopes: ['catalog:read'], locations: [org.locationSlug] });
    assert.deepEqual(limited.key.locations, [org.locationSlug]);
    for (const [input, param] of [
      [{ scopes: ['bookings:admin'] }, 'scopes'],
      [{ scopes: [] }, 'scopes'],
      [{ scope: 'read', scopes: ['catalog:read'] }, 'scopes'],
      [{ scopes: ['catalog:read'], locations: ['nowhere'] }, 'locations'],
      [{ scopes: ['webhooks:write'], locations: [org.locationSlug] }, 'scopes'],
    ] as const) {
      await assert.rejects(createApiKey(ctx.database, org.orgId, { label: 'x', ...(input as object) }), (err: any) => err.code === 'parameter_invalid' && err.param === param, JSON.stringify(input));
    }
  });
});
