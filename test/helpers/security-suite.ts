import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import FindMyWay from 'find-my-way';
import { createApiKey, revokeApiKey } from '../../src/modules/api-keys/api-keys.service.js';
import { FINE_SCOPES, ROUTE_SCOPES, type FineScope } from '../../src/http/scopes.js';
import { generateApiKey } from '../../src/lib/api-key.js';
import { call, seedOrg, type SeededOrg, type TestContext } from './app.js';
import { seedShop, type TestShop } from './shop.js';

export interface RouteUnderTest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
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

// The scope table as a router: which scope a concrete path needs.
const scopeRouter = FindMyWay();
for (const [key, scope] of Object.entries(ROUTE_SCOPES)) {
  const [method, url] = key.split(' ') as ['GET', string];
  scopeRouter.on(method, url, () => undefined, { scope });
}
export function scopeOf(method: string, path: string): FineScope {
  const found = scopeRouter.find(method as 'GET', path.split('?')[0]!);
  if (!found) throw new Error(`no scope for ${method} ${path}`);
  return (found.store as { scope: FineScope }).scope;
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

  test(`${name}: a key with every scope but the route's gets 403 insufficient_scope naming it; with just that scope it passes`, async () => {
    const needed = scopeOf(route.method, path);
    const lacking = FINE_SCOPES.filter((s) => s !== needed && s !== needed.replace(/:read$/, ':write'));
    const without = await createApiKey(ctx().database, org.orgId, { label: 'lacks one', scopes: lacking });
    const res = await call(ctx().app, { method: route.method, url: path, key: without.plaintext, ...(body !== undefined ? { payload: body as object } : {}) });
    assert.equal(res.status, 403, res.raw);
    assert.equal(res.body.error.code, 'insufficient_scope');
    assert.ok(res.body.error.message.includes(`\`${needed}\``), res.body.error.message);
    assert.equal(res.body.error.param, 'Authorization');
    const only = await createApiKey(ctx().database, org.orgId, { label: 'just it', scopes: [needed] });
    const ok = await call(ctx().app, { method: route.method, url: path, key: only.plaintext, ...(body !== undefined ? { payload: body as object } : {}) });
    assert.notEqual(ok.status, 403, ok.raw);
    assert.notEqual(ok.status, 401, ok.raw);
  });

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

/**
 * Location-limited keys (API.md §3): a key limited to one location gets 404 for another location, its
 * availability, bookings and staff, does not see them in lists (nor their events), cannot book or change a
 * booking there, and still sees clients (org-wide).
 */
export function locationLimitSuite(name: string, ctx: () => TestContext): void {
  let org: SeededOrg;
  let a: TestShop;
  let b: TestShop;
  let key: string;
  let refs: { a: string; b: string };
  const firstSlot = async (shop: TestShop) => {
    const res = await call(ctx().app, { method: 'GET', url: `/v1/locations/${shop.location.slug}/availability?service=${shop.haircut.id}&from=${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}&to=${new Date(Date.now() + 8 * 86_400_000).toISOString().slice(0, 10)}`, key: org.readKey });
    return res.body.slots[0] as { starts_at: string; staff_id: string };
  };
  const book = async (shop: TestShop) => {
    const slot = await firstSlot(shop);
    const res = await call(ctx().app, { method: 'POST', url: '/v1/bookings', key: org.writeKey, payload: { location: shop.location.slug, service: shop.haircut.id, staff: slot.staff_id, starts_at: slot.starts_at, client: shop.client.id } });
    assert.equal(res.status, 201, res.raw);
    return res.body.reference as string;
  };
  before(async () => {
    org = await seedOrg(ctx().database);
    a = await seedShop(ctx().database, org.orgId, Date.now());
    b = await seedShop(ctx().database, org.orgId, Date.now());
    refs = { a: await book(a), b: await book(b) };
    key = (await createApiKey(ctx().database, org.orgId, { label: 'A only', scope: 'read_write', locations: [a.location.slug] })).plaintext;
  });
  const get = (url: string) => call(ctx().app, { method: 'GET', url, key });

  test(`${name}: another location, its availability, staff and bookings answer 404 like unknown ones`, async () => {
    for (const url of [`/v1/locations/${b.location.slug}`, `/v1/locations/${b.location.slug}/availability?service=${b.haircut.id}`, `/v1/staff/${b.alex.id}`,
      `/v1/bookings/${refs.b}`, `/v1/bookings?location=${b.location.slug}`, `/v1/staff?location=${b.location.slug}`, `/v1/bookings?staff=${b.blake.id}`]) {
      const res = await get(url);
      assert.equal(res.status, 404, url);
      assert.equal(res.body.error.code, 'resource_not_found', url);
    }
    const unknown = await get('/v1/bookings/ZZZZ-ZZZZ');
    const other = await get(`/v1/bookings/${refs.b}`);
    assert.equal(other.body.error.message.replace(refs.b, 'X'), unknown.body.error.message.replace('ZZZZ-ZZZZ', 'X'));
    for (const url of [`/v1/locations/${a.location.slug}`, `/v1/locations/${a.location.slug}/availability?service=${a.haircut.id}`, `/v1/staff/${a.alex.id}`, `/v1/bookings/${refs.a}`]) {
      assert.equal((await get(url)).status, 200, url);
    }
  });

  test(`${name}: lists leave the other location out; clients are org-wide`, async () => {
    assert.deepEqual((await get('/v1/locations')).body.data.map((l: any) => l.slug), [a.location.slug]);
    assert.deepEqual((await get('/v1/staff')).body.data.map((s: any) => s.id).sort(), [a.alex.id, a.blake.id].sort());
    assert.deepEqual((await get('/v1/bookings')).body.data.map((x: any) => x.reference), [refs.a]);
    const page1 = await get('/v1/bookings?limit=1');
    assert.equal(page1.body.has_more, false, 'pages are computed after the limit, not cut short');
    const events = (await get('/v1/events?type=booking.*')).body.data;
    assert.deepEqual(events.map((e: any) => e.data.object.reference), [refs.a]);
    const clients = (await get('/v1/clients')).body.data.map((c: any) => c.id);
    assert.ok(clients.includes(a.client.id) && clients.includes(b.client.id));
  });

  test(`${name}: cannot book, reschedule or cancel at the other location; webhooks need an all-locations key`, async () => {
    const slot = await firstSlot(b);
    const create = await call(ctx().app, { method: 'POST', url: '/v1/bookings', key, payload: { location: b.location.slug, service: b.haircut.id, starts_at: slot.starts_at, client: b.client.id } });
    assert.equal(create.status, 404);
    assert.equal(create.body.error.param, 'location');
    for (const action of ['cancel', 'reschedule']) {
      const res = await call(ctx().app, { method: 'POST', url: `/v1/bookings/${refs.b}/${action}`, key, payload: action === 'cancel' ? {} : { starts_at: slot.starts_at } });
      assert.equal(res.status, 404, action);
    }
    const hooks = await get('/v1/webhook_endpoints');
    assert.equal(hooks.status, 403);
    assert.equal(hooks.body.error.code, 'insufficient_scope');
  });
}
