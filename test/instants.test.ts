import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { snapshot } from './helpers/snapshot.js';
import { hub, setUpShop, signUp, type HubSession, type HubShop } from './hub/hub-helpers.js';
import { parseInstant, parseCalendarDate } from '../src/lib/instant.js';

const NOW = Date.parse('2026-11-23T08:00:00Z');

/** Instants that do not name a real moment, or not in the form API.md §5 takes. */
const BAD_INSTANTS = [
  '2026-11-31T10:00:00Z', // no 31 November (Date.parse rolls it to 1 December)
  '2026-02-29T10:00:00Z', // not a leap year
  '2026-12-08T24:00:00+10:00', // hour 24
  '2026-12-08T10:60:00Z',
  '2026-12-08T10:00:60Z', // a leap second
  '0000-12-08T10:00:00Z', '1999-12-31T23:59:00Z', '2200-01-01T00:00:00Z', '9999-12-08T10:00:00Z', // out of range
  '2026-12-08T10:00:00', // no offset
  '2026-12-08T10:00:00+24:00', '2026-12-08T10:00:00+05:60',
  '2026-12-08 10:00:00Z', '2026-12-08T10:00Z', '2026-12-8T10:00:00Z', '', ' 2026-12-08T10:00:00Z', 'tomorrow',
];
const BAD_DATES = ['2026-11-31', '2026-02-29', '0000-01-01', '9999-12-31', '2026-1-01', '20261201', '2026-12-01T00:00:00Z', ''];
const BAD_TIMES = ['24:00', '9:00', '09:60', '09:00:00', 'noon'];

test('the one parser: real instants and dates only; offsets applied; fractions below a millisecond dropped', () => {
  for (const text of BAD_INSTANTS) assert.equal(parseInstant(text).ok, false, text);
  for (const text of BAD_DATES) assert.equal(parseCalendarDate(text).ok, false, text);
  const ok = (t: string) => { const p = parseInstant(t); assert.ok(p.ok, t); return p.value; };
  assert.equal(ok('2026-12-08T10:00:00+10:00').ms, Date.parse('2026-12-08T00:00:00Z'));
  assert.equal(ok('2028-02-29t10:00:00z').ms, Date.parse('2028-02-29T10:00:00Z'));
  assert.equal(ok('2026-12-08T10:00:00.999999Z').ms, Date.parse('2026-12-08T10:00:00.999Z'));
  assert.equal(ok('2026-12-08T10:00:00.000Z').wholeMinute, true);
  assert.equal(ok('2026-12-08T10:00:00.5Z').wholeMinute, false);
  assert.equal(ok('2026-12-08T10:00:30Z').wholeMinute, false);
});

forEachEngine('impossible and out-of-range instants on every field that takes one', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  let shop: TestShop;
  let reference: string;
  let owner: HubSession;
  let hubShop: HubShop;
  let hubRef: string;
  before(async () => {
    ctx = await startTestApp(engine, {}, { now: NOW });
    org = await seedOrg(ctx.database, NOW - 1000);
    shop = await seedShop(ctx.database, org.orgId, NOW - 1000);
    const b = await call(ctx.app, { method: 'POST', url: '/v1/bookings', key: org.writeKey, payload: { location: shop.location.slug, service: shop.haircut.id, client: shop.client.id, starts_at: '2026-11-24T10:00:00Z' } });
    reference = b.body.reference;
    owner = await signUp(ctx.app);
    hubShop = await setUpShop(ctx.app, owner);
    const h = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/bookings', payload: { location: hubShop.slug, service: hubShop.serviceId, date: '2026-11-24', time: '10:00', client: { first_name: 'Ann' } } });
    assert.equal(h.status, 201, h.raw);
    hubRef = h.body.reference;
  });
  after(() => ctx.close());

  /** Every value must be a 400 parameter_invalid naming the field, and change nothing stored. */
  async function refusedEverywhere(send: (value: string) => Promise<{ status: number; body: any; raw: string }>, values: string[], param: string, orgId: string) {
    const before = await snapshot(ctx.database, orgId);
    for (const value of values) {
      const res = await send(value);
      assert.equal(res.status, 400, `${param}=${JSON.stringify(value)}: ${res.raw}`);
      assert.equal(res.body.error.code, 'parameter_invalid', `${param}=${JSON.stringify(value)}`);
      assert.equal(res.body.error.param, param, `${param}=${JSON.stringify(value)}`);
    }
    assert.equal(await snapshot(ctx.database, orgId), before, `${param}: nothing stored changed`);
  }
  const v1 = (method: 'GET' | 'POST', url: string, payload?: object) => call(ctx.app, { method, url, key: org.writeKey, ...(payload ? { payload } : {}) });
  const q = encodeURIComponent;

  test('/v1: starts_at (create, reschedule), from and to (availability), starts_after and starts_before (bookings)', async () => {
    const create = { location: shop.location.slug, service: shop.haircut.id, client: shop.client.id };
    await refusedEverywhere((v) => v1('POST', '/v1/bookings', { ...create, starts_at: v }), [...BAD_INSTANTS, '2026-11-24T10:00:00.999Z', '2026-11-24T10:00:30Z'], 'starts_at', org.orgId);
    await refusedEverywhere((v) => v1('POST', `/v1/bookings/${reference}/reschedule`, { starts_at: v }), BAD_INSTANTS, 'starts_at', org.orgId);
    const avail = `/v1/locations/${shop.location.slug}/availability?service=${shop.haircut.id}`;
    await refusedEverywhere((v) => v1('GET', `${avail}&from=${q(v)}`), BAD_DATES.filter(Boolean), 'from', org.orgId);
    await refusedEverywhere((v) => v1('GET', `${avail}&from=2026-12-01&to=${q(v)}`), BAD_DATES.filter(Boolean), 'to', org.orgId);
    await refusedEverywhere((v) => v1('GET', `/v1/bookings?starts_after=${q(v)}`), BAD_INSTANTS, 'starts_after', org.orgId);
    await refusedEverywhere((v) => v1('GET', `/v1/bookings?starts_before=${q(v)}`), BAD_INSTANTS, 'starts_before', org.orgId);
  });

  test('/v1: a whole-minute start with zero fractions is stored exactly and returned to the second', async () => {
    const res = await v1('POST', '/v1/bookings', { location: shop.location.slug, service: shop.haircut.id, client: shop.client.id, starts_at: '2026-11-24T13:00:00.000+00:00' });
    assert.equal(res.status, 201, res.raw);
    assert.equal(res.body.starts_at, '2026-11-24T13:00:00Z');
    const row = await ctx.database.db.selectFrom('bookings').select('start_ms').where('org_id', '=', org.orgId).where('reference', '=', res.body.reference).executeTakeFirstOrThrow();
    assert.equal(row.start_ms, Date.parse('2026-11-24T13:00:00Z'));
  });

  test('/hub/api: starts_at, date and time of bookings; the diary and availability date; closures; time off', async () => {
    const h = (method: 'GET' | 'POST', url: string, payload?: object) => hub(ctx.app, owner, { method, url, ...(payload ? { payload } : {}) });
    const create = { location: hubShop.slug, service: hubShop.serviceId, client: { first_name: 'Ann' } };
    await refusedEverywhere((v) => h('POST', '/hub/api/bookings', { ...create, starts_at: v }), BAD_INSTANTS, 'starts_at', owner.orgId);
    await refusedEverywhere((v) => h('POST', '/hub/api/bookings', { ...create, date: v, time: '10:00' }), BAD_DATES, 'date', owner.orgId);
    await refusedEverywhere((v) => h('POST', '/hub/api/bookings', { ...create, date: '2026-11-24', time: v }), BAD_TIMES, 'time', owner.orgId);
    await refusedEverywhere((v) => h('POST', `/hub/api/bookings/${hubRef}/reschedule`, { date: v, time: '11:00' }), BAD_DATES, 'date', owner.orgId);
    await refusedEverywhere((v) => h('POST', `/hub/api/bookings/${hubRef}/reschedule`, { starts_at: v }), BAD_INSTANTS, 'starts_at', owner.orgId);
    await refusedEverywhere((v) => h('GET', `/hub/api/diary?location=${hubShop.slug}&date=${q(v)}`), BAD_DATES.filter(Boolean), 'date', owner.orgId);
    await refusedEverywhere((v) => h('GET', `/hub/api/availability?location=${hubShop.slug}&service=${hubShop.serviceId}&date=${q(v)}`), BAD_DATES.filter(Boolean), 'date', owner.orgId);
    await refusedEverywhere((v) => h('POST', `/hub/api/locations/${hubShop.locationId}/closures`, { starts_on: v, ends_on: '2026-12-24' }), BAD_DATES, 'starts_on', owner.orgId);
    await refusedEverywhere((v) => h('POST', `/hub/api/locations/${hubShop.locationId}/closures`, { starts_on: '2026-12-24', ends_on: v }), BAD_DATES, 'ends_on', owner.orgId);
    await refusedEverywhere((v) => h('POST', `/hub/api/staff/${hubShop.staffId}/exceptions`, { date: v, all_day: true }), BAD_DATES, 'date', owner.orgId);
  });
});
