import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { call, startTestApp, type TestContext } from './helpers/app.js';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { hub, setUpShop, signUp, type HubSession, type HubShop } from './hub/hub-helpers.js';

const NOW = Date.parse('2026-12-07T08:00:00Z'); // a Monday, 08:00 in London

type Step = [label: string, run: () => Promise<{ status: number; raw: string; body: any }>, expected: string[]];

/**
 * The outbox from every door (API.md §8): each mutating /v1 and /hub/api route that changes a booking, client,
 * location, service or staff member records exactly one event of the right type (a booking that creates its
 * client: `client.created` too), and a refused request records none.
 */
forEachEngine('the outbox: one event per change, from every door', (engine) => {
  let ctx: TestContext;
  let owner: HubSession;
  let shop: HubShop;
  let key: string;
  const seen = async () => (await ctx.database.db.selectFrom('events').select(['type', 'source']).where('org_id', '=', owner.orgId).orderBy('tx').orderBy('seq').execute());
  async function runSteps(steps: Step[]): Promise<void> {
    for (const [label, run, expected] of steps) {
      const before = (await seen()).length;
      const res = await run();
      const added = (await seen()).slice(before);
      if (expected.length) assert.ok(res.status < 300, `${label}: ${res.status} ${res.raw}`);
      else assert.ok(res.status >= 400, `${label} should be refused: ${res.status}`);
      assert.deepEqual(added.map((e) => e.type).sort(), [...expected].sort(), label);
    }
  }
  before(async () => {
    ctx = await startTestApp(engine, {}, { now: NOW });
    owner = await signUp(ctx.app);
    shop = await setUpShop(ctx.app, owner);
    key = (await createApiKey(ctx.database, owner.orgId, { label: 'rw', scope: 'read_write' }, NOW)).plaintext;
  });
  after(() => ctx.close());

  test('/v1 routes', async () => {
    const v1 = (method: 'POST', url: string, payload: object) => call(ctx.app, { method, url, key, payload });
    let clientId = '';
    let reference = '';
    await runSteps([
      ['POST /v1/clients', async () => { const r = await v1('POST', '/v1/clients', { first_name: 'Ana', email: 'ana@example.com' }); clientId = r.body.id; return r; }, ['client.created']],
      ['POST /v1/clients, email on file', () => v1('POST', '/v1/clients', { first_name: 'Ana', email: 'ANA@example.com' }), []],
      ['POST /v1/clients, bad input', () => v1('POST', '/v1/clients', { first_name: '' }), []],
      ['POST /v1/bookings', async () => { const r = await v1('POST', '/v1/bookings', { location: shop.slug, service: shop.serviceId, starts_at: '2026-12-08T10:00:00Z', client: clientId }); reference = r.body.reference; return r; }, ['booking.created']],
      ['POST /v1/bookings, taken slot', () => v1('POST', '/v1/bookings', { location: shop.slug, service: shop.serviceId, staff: shop.staffId, starts_at: '2026-12-08T10:00:00Z', client: clientId }), []],
      ['POST /v1/bookings creating its client', () => v1('POST', '/v1/bookings', { location: shop.slug, service: shop.serviceId, starts_at: '2026-12-08T11:00:00Z', client: { first_name: 'Bo', email: 'bo@example.com' } }), ['booking.created', 'client.created']],
      ['POST /v1/bookings/{ref}/reschedule', () => v1('POST', `/v1/bookings/${reference}/reschedule`, { starts_at: '2026-12-08T12:00:00Z' }), ['booking.rescheduled']],
      ['POST /v1/bookings/{ref}/reschedule, off the grid', () => v1('POST', `/v1/bookings/${reference}/reschedule`, { starts_at: '2026-12-08T12:07:00Z' }), []],
      ['POST /v1/bookings/{ref}/cancel', () => v1('POST', `/v1/bookings/${reference}/cancel`, { reason: 'ill' }), ['booking.cancelled']],
      ['POST /v1/bookings/{ref}/cancel, again', () => v1('POST', `/v1/bookings/${reference}/cancel`, {}), []],
    ]);
    const events = await call(ctx.app, { method: 'GET', url: '/v1/events?type=booking.rescheduled', key });
    assert.deepEqual(Object.keys(events.body.data[0].data.previous_attributes).sort(), ['ends_at', 'starts_at']);
  });

  test('/hub/api routes', async () => {
    const h = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => hub(ctx.app, owner, { method, url: `/hub/api${url}`, payload });
    let clientId = '';
    let reference = '';
    let second = '';
    let closureId = '';
    let exceptionId = '';
    let locationId = '';
    await runSteps([
      ['POST /clients', async () => { const r = await h('POST', '/clients', { first_name: 'Cy' }); clientId = r.body.id; return r; }, ['client.created']],
      ['PATCH /clients/:id', () => h('PATCH', `/clients/${clientId}`, { last_name: 'Young' }), ['client.updated']],
      ['PATCH /clients/:id, bad email', () => h('PATCH', `/clients/${clientId}`, { email: 'not-an-email' }), []],
      ['POST /bookings', async () => { const r = await h('POST', '/bookings', { location: shop.slug, service: shop.serviceId, date: '2026-12-09', time: '10:00', client: clientId }); reference = r.body.reference; return r; }, ['booking.created']],
      ['POST /bookings, second', async () => { const r = await h('POST', '/bookings', { location: shop.slug, service: shop.serviceId, date: '2026-12-09', time: '11:00', client: { first_name: 'Di' } }); second = r.body.reference; return r; }, ['booking.created', 'client.created']],
      ['POST /bookings, overlap', () => h('POST', '/bookings', { location: shop.slug, service: shop.serviceId, staff: shop.staffId, date: '2026-12-09', time: '10:15', client: clientId }), []],
      ['POST /bookings/:ref/reschedule', () => h('POST', `/bookings/${reference}/reschedule`, { date: '2026-12-09', time: '14:00' }), ['booking.rescheduled']],
      ['POST /bookings/:ref/cancel', () => h('POST', `/bookings/${reference}/cancel`, {}), ['booking.cancelled']],
      ['POST /bookings/:ref/outcome, cancelled one', () => h('POST', `/bookings/${reference}/outcome`, { status: 'completed' }), []],
      ['POST /bookings/:ref/outcome (no-show)', async () => { ctx.clock.now = Date.parse('2026-12-09T12:00:00Z'); return h('POST', `/bookings/${second}/outcome`, { status: 'no_show' }); }, ['booking.no_show']],
      ['POST /clients/:id/erase', () => h('POST', `/clients/${clientId}/erase`), ['client.erased']],
      ['POST /locations', async () => {
        const r = await h('POST', '/locations', { name: 'Annex', slug: 'annex', time_zone: 'Europe/London', address: { line1: '2 High Street', city: 'London', postcode: 'N1 1AB' }, opening_hours: {} });
        locationId = r.body.id;
        return r;
      }, ['location.created']],
      ['POST /locations, slug taken', () => h('POST', '/locations', { name: 'Annex', slug: 'annex', time_zone: 'Europe/London', address: { line1: '2 High Street', city: 'London', postcode: 'N1 1AB' }, opening_hours: {} }), []],
      ['PATCH /locations/:id', () => h('PATCH', `/locations/${locationId}`, { name: 'The Annex' }), ['location.updated']],
      ['POST /locations/:id/closures', async () => { const r = await h('POST', `/locations/${locationId}/closures`, { starts_on: '2026-12-24', ends_on: '2026-12-26' }); closureId = r.body.closures?.find((c: any) => c.starts_on === '2026-12-24')?.id ?? r.body.id; return r; }, ['location.updated']],
      ['DELETE /locations/:id/closures/:id', () => h('DELETE', `/locations/${locationId}/closures/${closureId}`), ['location.updated']],
      ['POST /services', () => h('POST', '/services', { name: 'Shave', duration_minutes: 20, price: { amount: 1500, currency: 'GBP' }, location_ids: [shop.locationId] }), ['service.created']],
      ['PATCH /services/:id', () => h('PATCH', `/services/${shop.serviceId}`, { price: { amount: 2600, currency: 'GBP' } }), ['service.updated']],
      ['PATCH /services/:id, bad duration', () => h('PATCH', `/services/${shop.serviceId}`, { duration_minutes: -5 }), []],
      ['POST /staff', () => h('POST', '/staff', { display_name: 'Eve', location_ids: [shop.locationId], service_ids: [shop.serviceId] }), ['staff.created']],
      ['PATCH /staff/:id', () => h('PATCH', `/staff/${shop.staffId}`, { title: 'Senior barber' }), ['staff.updated']],
      ['POST /staff/:id/exceptions', async () => { const r = await h('POST', `/staff/${shop.staffId}/exceptions`, { date: '2026-12-30', all_day: true }); exceptionId = (r.body.exceptions ?? r.body.time_off)?.find((x: any) => x.date === '2026-12-30')?.id ?? r.body.id; return r; }, ['staff.updated']],
      ['DELETE /staff/:id/exceptions/:id', () => h('DELETE', `/staff/${shop.staffId}/exceptions/${exceptionId}`), ['staff.updated']],
    ]);
    const sources = new Set((await seen()).map((e) => e.source));
    assert.ok(sources.has('hub') && sources.has('api'));
  });
});
