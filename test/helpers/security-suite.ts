import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { revokeApiKey } from '../../src/modules/api-keys/api-keys.service.js';
import { generateApiKey } from '../../src/lib/api-key.js';
import { call, seedOrg, type SeededOrg, type TestContext } from './app.js';

export interface RouteUnderTest {
  method: 'GET' | 'POST';
  /** The path for an org (its own resources); called again with another org for the cross-tenant check. */
  path: (org: SeededOrg, ctx: TestContext) => Promise<string> | string;
  body?: (org: SeededOrg, ctx: TestContext) => Promise<unknown> | unknown;
  /** Does the path name a resource of the org (so another org's key must get 404)? */
  ownsResource?: boolean;
  /**
   * The same request naming a resource that does not exist anywhere: another org's resource must answer the
   * same bytes (but for the request id), so a caller cannot tell "someone else's" from "no such thing".
   */
  unknown?: (org: SeededOrg, ctx: TestContext) => Promise<{ path: string; body?: unknown }> | { path: string; body?: unknown };
}

const withoutRequestId = (body: any) => {
  const copy = structuredClone(body);
  delete copy.error.request_id;
  return copy;
};

/**
 * The shared security suite every /v1 route runs (Unkey-style): no header, empty bearer, wrong scheme,
 * malformed key, bad checksum, unknown key, revoked key (revoked while the server runs), read key on a
 * mutation, another org's key → 404.
 */
export function securitySuite(name: string, ctx: () => TestContext, route: RouteUnderTest): void {
  let org: SeededOrg;
  let path: string;
  let body: unknown;
  before(async () => {
    org = await seedOrg(ctx().database);
    path = await route.path(org, ctx());
    body = route.body ? await route.body(org, ctx()) : undefined;
  });
  const send = (headers: Record<string, string>) =>
    call(ctx().app, { method: route.method, url: path, headers, ...(body !== undefined ? { payload: body as object } : {}) });

  test(`${name}: no Authorization header → 401 missing_api_key`, async () => {
    const res = await send({});
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'missing_api_key');
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="setora"');
  });

  test(`${name}: empty bearer, wrong scheme, malformed, bad checksum, unknown and revoked keys → identical 401 invalid_api_key`, async () => {
    const good = generateApiKey();
    const badChecksum = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    const variants = {
      empty: 'Bearer ',
      scheme: `Basic ${org.readKey}`,
      token: `Token ${org.readKey}`,
      malformed: 'Bearer sk_live_not-a-key',
      checksum: `Bearer ${badChecksum}`,
      unknown: `Bearer ${generateApiKey()}`,
    };
    const bodies: string[] = [];
    for (const [what, header] of Object.entries(variants)) {
      const res = await send({ authorization: header });
      assert.equal(res.status, 401, what);
      assert.deepEqual(withoutRequestId(res.body), {
        error: { code: 'invalid_api_key', message: 'The provided API key is invalid or has been revoked.', param: 'Authorization' },
      }, what);
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="setora", error="invalid_token"', what);
      bodies.push(JSON.stringify(withoutRequestId(res.body)));
    }
    // revoked while the server runs: the very next request fails
    const extra = await seedOrg(ctx().database);
    const ok = await call(ctx().app, { method: 'GET', url: '/v1/locations', key: extra.readKey });
    assert.equal(ok.status, 200);
    await revokeApiKey(ctx().database, extra.orgId, extra.readKeyId);
    const revoked = await send({ authorization: `Bearer ${extra.readKey}` });
    assert.equal(revoked.status, 401);
    bodies.push(JSON.stringify(withoutRequestId(revoked.body)));
    assert.equal(new Set(bodies).size, 1, 'every refusal is the same bytes');
  });

  test(`${name}: scheme is case-insensitive`, async () => {
    const res = await send({ authorization: `bEaReR ${route.method === 'GET' ? org.readKey : org.writeKey}` });
    assert.ok(res.status !== 401, `got ${res.status}`);
  });

  if (route.method !== 'GET') {
    test(`${name}: read key on a mutation → 403 insufficient_scope before the body is validated`, async () => {
      const res = await call(ctx().app, { method: route.method, url: path, key: org.readKey, payload: { not_a_field: 1 } });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'insufficient_scope');
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="setora", error="insufficient_scope"');
    });
  }

  if (route.ownsResource) {
    test(`${name}: another org's key → 404 resource_not_found, byte for byte like an unknown id`, async () => {
      const other = await seedOrg(ctx().database);
      const res = await call(ctx().app, { method: route.method, url: path, key: other.writeKey, ...(body !== undefined ? { payload: body as object } : {}) });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'resource_not_found');
      if (route.unknown) {
        const u = await route.unknown(org, ctx());
        const missing = await call(ctx().app, { method: route.method, url: u.path, key: other.writeKey, ...(u.body !== undefined ? { payload: u.body as object } : {}) });
        assert.equal(missing.status, 404, missing.raw);
        assert.equal(JSON.stringify(withoutRequestId(res.body)), JSON.stringify(withoutRequestId(missing.body)));
        assert.deepEqual(Object.keys(res.headers).sort(), Object.keys(missing.headers).sort());
      }
    });
  }
}

export function registerCleanup(getCtx: () => TestContext | undefined): void {
  after(async () => {
    await getCtx()?.close();
  });
}
