import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { securitySuite, type RouteUnderTest } from './helpers/security-suite.js';
import { seedShop } from './helpers/shop.js';
import { v1Routes } from '../src/http/v1.js';
import { validatorCompiler } from '../src/http/validation.js';
import { serializerCompiler } from '../src/http/serializer.js';
import { cursorCodec } from '../src/http/pagination.js';
import { memoryRateLimiter } from '../src/http/rate-limit.js';

const NOW = Date.parse('2026-11-23T08:00:00Z'); // a Monday, 08:00 in London

interface Row { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; route: (ctx: () => TestContext) => RouteUnderTest }

const shopOf = (ctx: () => TestContext, o: SeededOrg) => seedShop(ctx().database, o.orgId, NOW - 1000);
let day = 0;
/** A booking of the org's own (each on its own day, so they never collide). */
async function bookingOf(ctx: () => TestContext, o: SeededOrg): Promise<string> {
  const s = await shopOf(ctx, o);
  // December 2026 days the salon is open (not Sundays), one per booking.
  const open = Array.from({ length: 28 }, (_, i) => i + 1).filter((d) => new Date(Date.UTC(2026, 11, d)).getUTCDay() !== 0);
  const starts = `2026-12-${String(open[day++ % open.length]).padStart(2, '0')}T10:00:00Z`;
  const b = await call(ctx().app, { method: 'POST', url: '/v1/bookings', key: o.writeKey, payload: { location: s.location.slug, service: s.haircut.id, client: s.client.id, starts_at: starts } });
  assert.equal(b.status, 201, b.raw);
  return b.body.reference;
}

/** A webhook endpoint of the org's own. */
async function endpointOf(ctx: () => TestContext, o: SeededOrg): Promise<string> {
  const res = await call(ctx().app, { method: 'POST', url: '/v1/webhook_endpoints', key: o.writeKey, payload: { url: 'https://example.com/hooks', enabled_events: ['*'] } });
  assert.equal(res.status, 201, res.raw);
  return res.body.id;
}

/**
 * Every /v1 route with how to call it for an org's own resources. The first test checks this table against
 * the routes /v1 actually registers, so a new endpoint cannot skip the shared security suite (API.md §2–§3:
 * no key, bad keys, revoked key, read key on a mutation, another org's id → the same 404 as an unknown one).
 */
const ROUTES: Row[] = [
  { method: 'GET', url: '/v1/locations', route: () => ({ method: 'GET', path: () => '/v1/locations' }) },
  { method: 'GET', url: '/v1/locations/:slug', route: () => ({ method: 'GET', path: (o) => `/v1/locations/${o.locationSlug}`, ownsResource: true, unknown: () => ({ path: '/v1/locations/no-such-branch' }) }) },
  {
    method: 'GET', url: '/v1/locations/:slug/availability', route: (ctx) => ({
      method: 'GET', ownsResource: true,
      path: async (o) => { const s = await shopOf(ctx, o); return `/v1/locations/${s.location.slug}/availability?service=${s.haircut.id}`; },
      unknown: async (o) => ({ path: `/v1/locations/no-such-branch/availability?service=${(await shopOf(ctx, o)).haircut.id}` }),
    }),
  },
  { method: 'GET', url: '/v1/services', route: () => ({ method: 'GET', path: () => '/v1/services' }) },
  {
    method: 'GET', url: '/v1/services/:id', route: (ctx) => ({
      method: 'GET', ownsResource: true, path: async (o) => `/v1/services/${(await shopOf(ctx, o)).haircut.id}`, unknown: () => ({ path: '/v1/services/svc_0000000000000000' }),
    }),
  },
  { method: 'GET', url: '/v1/staff', route: () => ({ method: 'GET', path: () => '/v1/staff' }) },
  {
    method: 'GET', url: '/v1/staff/:id', route: (ctx) => ({
      method: 'GET', ownsResource: true, path: async (o) => `/v1/staff/${(await shopOf(ctx, o)).alex.id}`, unknown: () => ({ path: '/v1/staff/stf_0000000000000000' }),
    }),
  },
  { method: 'GET', url: '/v1/clients', route: () => ({ method: 'GET', path: () => '/v1/clients' }) },
  {
    method: 'POST', url: '/v1/clients', route: () => ({ method: 'POST', path: () => '/v1/clients', body: () => ({ first_name: 'A', email: `a${Math.random()}@example.com` }) }),
  },
  {
    method: 'GET', url: '/v1/clients/:id', route: (ctx) => ({
      method: 'GET', ownsResource: true, path: async (o) => `/v1/clients/${(await shopOf(ctx, o)).client.id}`, unknown: () => ({ path: '/v1/clients/cli_0000000000000000' }),
    }),
  },
  { method: 'GET', url: '/v1/bookings', route: () => ({ method: 'GET', path: () => '/v1/bookings' }) },
  {
    method: 'POST', url: '/v1/bookings', route: (ctx) => {
      let shop: Awaited<ReturnType<typeof shopOf>>;
      return {
        method: 'POST', ownsResource: true, path: () => '/v1/bookings',
        body: async (o) => { shop = await shopOf(ctx, o); return { location: shop.location.slug, service: shop.haircut.id, client: shop.client.id, starts_at: '2026-11-24T10:00:00Z' }; },
        unknown: () => ({ path: '/v1/bookings', body: { location: 'no-such-branch', service: shop.haircut.id, client: shop.client.id, starts_at: '2026-11-24T10:00:00Z' } }),
      };
    },
  },
  {
    method: 'GET', url: '/v1/bookings/:reference', route: (ctx) => ({
      method: 'GET', ownsResource: true, path: async (o) => `/v1/bookings/${await bookingOf(ctx, o)}`, unknown: () => ({ path: '/v1/bookings/ZZZZ-ZZZZ' }),
    }),
  },
  {
    method: 'POST', url: '/v1/bookings/:reference/reschedule', route: (ctx) => ({
      method: 'POST', ownsResource: true, path: async (o) => `/v1/bookings/${await bookingOf(ctx, o)}/reschedule`,
      body: () => ({ starts_at: '2026-12-29T11:00:00Z' }), unknown: () => ({ path: '/v1/bookings/ZZZZ-ZZZZ/reschedule', body: { starts_at: '2026-12-29T11:00:00Z' } }),
    }),
  },
  {
    method: 'POST', url: '/v1/bookings/:reference/cancel', route: (ctx) => ({
      method: 'POST', ownsResource: true, path: async (o) => `/v1/bookings/${await bookingOf(ctx, o)}/cancel`, unknown: () => ({ path: '/v1/bookings/ZZZZ-ZZZZ/cancel' }),
    }),
  },
  { method: 'GET', url: '/v1/events', route: () => ({ method: 'GET', path: () => '/v1/events' }) },
  {
    method: 'GET', url: '/v1/events/:id', route: (ctx) => ({
      method: 'GET', ownsResource: true, unknown: () => ({ path: '/v1/events/evt_0000000000000000' }),
      path: async (o) => {
        await call(ctx().app, { method: 'POST', url: '/v1/clients', key: o.writeKey, payload: { first_name: 'E' } });
        return `/v1/events/${(await ctx().database.db.selectFrom('events').select('id').where('org_id', '=', o.orgId).executeTakeFirstOrThrow()).id}`;
      },
    }),
  },
  { method: 'GET', url: '/v1/webhook_endpoints', route: () => ({ method: 'GET', path: () => '/v1/webhook_endpoints' }) },
  { method: 'POST', url: '/v1/webhook_endpoints', route: () => ({ method: 'POST', path: () => '/v1/webhook_endpoints', body: () => ({ url: 'https://example.com/hooks', enabled_events: ['*'] }) }) },
  ...(['GET', 'PATCH', 'DELETE'] as const).map((method): Row => ({
    method, url: '/v1/webhook_endpoints/:id', route: (ctx) => ({
      method, ownsResource: true, path: async (o) => `/v1/webhook_endpoints/${await endpointOf(ctx, o)}`,
      ...(method === 'PATCH' ? { body: () => ({ description: 'changed' }) } : {}),
      unknown: () => ({ path: '/v1/webhook_endpoints/whe_0000000000000000', ...(method === 'PATCH' ? { body: { description: 'changed' } } : {}) }),
    }),
  })),
  {
    method: 'POST', url: '/v1/webhook_endpoints/:id/rotate_secret', route: (ctx) => ({
      method: 'POST', ownsResource: true, path: async (o) => `/v1/webhook_endpoints/${await endpointOf(ctx, o)}/rotate_secret`,
      unknown: () => ({ path: '/v1/webhook_endpoints/whe_0000000000000000/rotate_secret' }),
    }),
  },
];

test('the table lists every /v1 route (each then runs the shared security suite below)', async () => {
  const found: string[] = [];
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRoute', (r) => {
    for (const m of (Array.isArray(r.method) ? r.method : [r.method]).filter((x) => x !== 'HEAD')) found.push(`${m} ${r.url}`);
  });
  const limiter = memoryRateLimiter();
  await app.register(v1Routes({ database: {} as never, cursors: cursorCodec('x'), clock: Date.now, caches: {} as never, allowPrivateWebhookUrls: false }, {
    lookup: async () => undefined, lastUsed: { touch: () => undefined } as never, limiter, rateLimitPerMinute: 1, authFailuresPerMinute: 1, clock: Date.now,
  }), { prefix: '/v1' });
  await app.ready();
  assert.deepEqual(found.sort(), ROUTES.map((r) => `${r.method} ${r.url}`).sort());
  await app.close();
  await limiter.close();
});

forEachEngine('/v1 security suite', (engine) => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp(engine, {}, { now: NOW });
  });
  after(() => ctx.close());
  for (const row of ROUTES) {
    describe(`${row.method} ${row.url}`, () => securitySuite(`${row.method} ${row.url}`, () => ctx, row.route(() => ctx)));
  }
});
