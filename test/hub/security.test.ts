import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { forEachEngine } from '../helpers/engines.js';
import { startTestApp, type TestContext } from '../helpers/app.js';
import { hubRoutes } from '../../src/modules/hub/index.js';
import { memoryRateLimiter } from '../../src/http/rate-limit.js';
import { cursorCodec } from '../../src/http/pagination.js';
import { validatorCompiler } from '../../src/http/validation.js';
import { serializerCompiler } from '../../src/http/serializer.js';
import { hub, memberOf, setUpShop, signUp, type HubSession } from './hub-helpers.js';

type Access = 'anonymous' | 'optional' | 'member' | 'admin';
interface Row { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; access: Access }

/**
 * Every /hub/api route with who may call it. The first test checks this table against the routes the Hub
 * actually registers, so a new endpoint can't skip the shared checks below.
 */
const ROUTES: Row[] = [
  { method: 'POST', url: '/signup', access: 'anonymous' },
  { method: 'POST', url: '/signin', access: 'anonymous' },
  { method: 'GET', url: '/session', access: 'member' },
  { method: 'POST', url: '/signout', access: 'member' },
  { method: 'POST', url: '/password', access: 'member' },
  { method: 'POST', url: '/session/org', access: 'member' },
  { method: 'GET', url: '/team', access: 'admin' },
  { method: 'PATCH', url: '/team/members/:userId', access: 'admin' },
  { method: 'DELETE', url: '/team/members/:userId', access: 'admin' },
  { method: 'POST', url: '/team/invitations', access: 'admin' },
  { method: 'DELETE', url: '/team/invitations/:id', access: 'admin' },
  { method: 'GET', url: '/invitations/:token', access: 'optional' },
  { method: 'POST', url: '/invitations/:token/accept', access: 'optional' },
  { method: 'GET', url: '/keys', access: 'admin' },
  { method: 'POST', url: '/keys', access: 'admin' },
  { method: 'DELETE', url: '/keys/:id', access: 'admin' },
  { method: 'GET', url: '/locations', access: 'member' },
  { method: 'GET', url: '/locations/:id', access: 'member' },
  { method: 'POST', url: '/locations', access: 'admin' },
  { method: 'PATCH', url: '/locations/:id', access: 'admin' },
  { method: 'POST', url: '/locations/:id/closures', access: 'admin' },
  { method: 'DELETE', url: '/locations/:id/closures/:childId', access: 'admin' },
  { method: 'GET', url: '/services', access: 'member' },
  { method: 'POST', url: '/services', access: 'admin' },
  { method: 'PATCH', url: '/services/:id', access: 'admin' },
  { method: 'GET', url: '/staff', access: 'member' },
  { method: 'GET', url: '/staff/:id', access: 'member' },
  { method: 'POST', url: '/staff', access: 'admin' },
  { method: 'PATCH', url: '/staff/:id', access: 'admin' },
  { method: 'POST', url: '/staff/:id/exceptions', access: 'admin' },
  { method: 'DELETE', url: '/staff/:id/exceptions/:childId', access: 'admin' },
  { method: 'GET', url: '/diary', access: 'member' },
  { method: 'GET', url: '/week', access: 'member' },
  { method: 'GET', url: '/affected-bookings', access: 'member' },
  { method: 'POST', url: '/affected-bookings/cancel', access: 'member' },
  { method: 'GET', url: '/availability', access: 'member' },
  { method: 'GET', url: '/bookings/:reference', access: 'member' },
  { method: 'POST', url: '/bookings', access: 'member' },
  { method: 'POST', url: '/bookings/:reference/reschedule', access: 'member' },
  { method: 'POST', url: '/bookings/:reference/cancel', access: 'member' },
  { method: 'POST', url: '/bookings/:reference/outcome', access: 'member' },
  { method: 'GET', url: '/clients', access: 'member' },
  { method: 'POST', url: '/clients', access: 'member' },
  { method: 'GET', url: '/clients/:id', access: 'member' },
  { method: 'PATCH', url: '/clients/:id', access: 'member' },
  { method: 'GET', url: '/clients/:id/export', access: 'admin' },
  { method: 'POST', url: '/clients/:id/erase', access: 'admin' },
  { method: 'GET', url: '/clients/:id/messages', access: 'member' },
  { method: 'GET', url: '/online-booking', access: 'admin' },
  { method: 'PATCH', url: '/online-booking/locations/:id', access: 'admin' },
  { method: 'PATCH', url: '/online-booking/services/:id', access: 'admin' },
  { method: 'PATCH', url: '/online-booking/staff/:id', access: 'admin' },
  { method: 'GET', url: '/messages', access: 'admin' },
  { method: 'GET', url: '/webhooks', access: 'admin' },
  { method: 'POST', url: '/webhooks', access: 'admin' },
  { method: 'PATCH', url: '/webhooks/:id', access: 'admin' },
  { method: 'DELETE', url: '/webhooks/:id', access: 'admin' },
  { method: 'POST', url: '/webhooks/:id/rotate_secret', access: 'admin' },
  { method: 'GET', url: '/webhooks/:id/attempts', access: 'admin' },
  { method: 'POST', url: '/webhooks/:id/resend', access: 'admin' },
  { method: 'POST', url: '/webhooks/:id/replay', access: 'admin' },
];

const concrete = (url: string) => `/hub/api${url.replace(/:token/, 'A'.repeat(43)).replace(/:reference/, 'ABCD-EFGH').replace(/:(\w+)/g, 'x_nosuchthing')}`;
const label = (r: Row) => `${r.method} /hub/api${r.url}`;

test('the table lists every /hub/api route, with the access its route declares', async () => {
  const found: Row[] = [];
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRoute', (r) => {
    const methods = (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD');
    if (r.url.startsWith('/hub/api')) for (const m of methods) found.push({ method: m as Row['method'], url: r.url.slice('/hub/api'.length), access: (r.config as { hubAccess?: Access })?.hubAccess ?? 'member' });
  });
  await app.register(hubRoutes({ config: { publicUrl: 'http://127.0.0.1:8080' } as never, database: {} as never, clock: Date.now, limiter: memoryRateLimiter(), cursors: cursorCodec('x'), caches: {} as never }));
  await app.ready();
  const key = (r: Row) => `${r.method} ${r.url} ${r.access}`;
  assert.deepEqual(found.map(key).sort(), ROUTES.map(key).sort());
  await app.close();
});

forEachEngine('hub security suite', (engine) => {
  let ctx: TestContext;
  let owner: HubSession;
  let staff: HubSession;
  before(async () => {
    ctx = await startTestApp(engine);
    owner = await signUp(ctx.app);
    await setUpShop(ctx.app, owner);
    staff = await memberOf(ctx.app, ctx.database, owner, 'staff');
  });
  after(() => ctx.close());

  test('no session → 401 not_authenticated on every route that needs one', async () => {
    for (const r of ROUTES.filter((x) => x.access === 'member' || x.access === 'admin')) {
      const res = await hub(ctx.app, undefined, { method: r.method, url: concrete(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      assert.equal(res.status, 401, label(r));
      assert.equal(res.body.error.code, 'not_authenticated', label(r));
    }
  });

  test('state-changing routes: missing or wrong CSRF token, foreign or missing Origin → 403 csrf_failed', async () => {
    for (const r of ROUTES.filter((x) => x.method !== 'GET')) {
      const payload = r.method === 'DELETE' ? undefined : {};
      const variants = [
        ...(r.access === 'anonymous' ? [] : [{ csrf: null }, { csrf: 'wrong'.repeat(9) }]),
        { origin: 'https://attacker.example' },
        { origin: null },
      ];
      for (const v of variants) {
        const res = await hub(ctx.app, owner, { method: r.method, url: concrete(r.url), payload, ...v });
        assert.equal(res.status, 403, `${label(r)} ${JSON.stringify(v)}`);
        assert.equal(res.body.error.code, 'csrf_failed', label(r));
      }
    }
  });

  test('staff → 403 forbidden on every owner/admin route (checked before the body or the id)', async () => {
    for (const r of ROUTES.filter((x) => x.access === 'admin')) {
      const res = await hub(ctx.app, staff, { method: r.method, url: concrete(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : { not_a_field: 1 } });
      assert.equal(res.status, 403, label(r));
      assert.equal(res.body.error.code, 'forbidden', label(r));
    }
  });

  test('unknown ids answer 404 resource_not_found on every route that names one', async () => {
    for (const r of ROUTES.filter((x) => x.url.includes(':') && x.access !== 'anonymous')) {
      const res = await hub(ctx.app, owner, { method: r.method, url: concrete(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : validBodyFor(r) });
      assert.equal(res.status, 404, `${label(r)}: ${res.raw}`);
      assert.equal(res.body.error.code, 'resource_not_found', label(r));
    }
  });

  test('errors use the API envelope; responses are no-store', async () => {
    const res = await hub(ctx.app, undefined, { url: '/hub/api/session' });
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.match(res.body.error.request_id, /^req_/);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  });
});

/** A body that passes validation, so that the 404 comes from the id. */
function validBodyFor(r: Row): unknown {
  if (r.url.startsWith('/team/members')) return { role: 'staff' };
  if (r.url.endsWith('/closures')) return { starts_on: '2099-01-01', ends_on: '2099-01-01' };
  if (r.url.endsWith('/exceptions')) return { date: '2099-01-01', all_day: true };
  if (r.url.endsWith('/reschedule')) return { starts_at: '2099-01-01T10:00:00Z' };
  if (r.url.endsWith('/outcome')) return { status: 'completed' };
  if (r.url.startsWith('/online-booking/services') || r.url.startsWith('/online-booking/staff')) return { online: false };
  if (r.url.endsWith('/resend')) return { event_id: 'evt_nosuchthing' };
  if (r.url.endsWith('/replay')) return { since: '2026-01-01T00:00:00Z' };
  return {};
}
