import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { createBooking } from '../src/modules/bookings/create-booking.js';

const NOW = Date.parse('2026-11-23T08:00:00Z'); // a Monday

function book(ctx: TestContext, org: SeededOrg, shop: TestShop, startsAt: string, staff?: string) {
  return createBooking(ctx.database, { orgId: org.orgId, source: 'api', now: NOW }, { location: shop.location.slug, service: shop.haircut.id, staff, start: { instant: startsAt }, client: shop.client.id });
}

forEachEngine('read API', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  let shop: TestShop;
  before(async () => {
    ctx = await startTestApp(engine, {}, { now: NOW });
    org = await seedOrg(ctx.database, NOW - 1000);
    shop = await seedShop(ctx.database, org.orgId, NOW - 1000);
  });
  after(() => ctx.close());


  test('services: fields, price, locations, filter by location; unknown location filter is a 404 naming it', async () => {
    const res = await call(ctx.app, { method: 'GET', url: '/v1/services', key: org.readKey });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data.map((s: any) => s.name), ['Haircut', 'Colour']);
    const hc = res.body.data[0];
    assert.deepEqual({ d: hc.duration_minutes, b: hc.buffer_minutes, i: hc.slot_interval_minutes, p: hc.price, l: hc.locations, a: hc.active },
      { d: 30, b: 10, i: 15, p: { amount: 2500, currency: 'GBP' }, l: [shop.location.slug], a: true });
    assert.match(hc.id, /^svc_/);
    const filtered = await call(ctx.app, { method: 'GET', url: `/v1/services?location=${org.locationSlug}`, key: org.readKey });
    assert.deepEqual(filtered.body.data, []);
    const bad = await call(ctx.app, { method: 'GET', url: '/v1/services?location=nowhere', key: org.readKey });
    assert.equal(bad.status, 404);
    assert.equal(bad.body.error.param, 'location');
    const one = await call(ctx.app, { method: 'GET', url: `/v1/services/${shop.colour.id}`, key: org.readKey });
    assert.equal(one.body.name, 'Colour');
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/services/svc_nope', key: org.readKey })).status, 404);
  });

  test('staff: locations, services, working hours with breaks; filters by location and service', async () => {
    const res = await call(ctx.app, { method: 'GET', url: `/v1/staff?service=${shop.colour.id}`, key: org.readKey });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data.map((s: any) => s.display_name), ['Alex']);
    const alex = res.body.data[0];
    assert.deepEqual(alex.working_hours[shop.location.slug].monday, [{ opens: '09:00', closes: '12:00' }, { opens: '13:00', closes: '17:00' }]);
    assert.deepEqual(alex.working_hours[shop.location.slug].saturday, []);
    const both = await call(ctx.app, { method: 'GET', url: `/v1/staff?location=${shop.location.slug}&service=${shop.haircut.id}`, key: org.readKey });
    assert.deepEqual(both.body.data.map((s: any) => s.display_name), ['Alex', 'Blake']);
    const badService = await call(ctx.app, { method: 'GET', url: '/v1/staff?service=svc_nope', key: org.readKey });
    assert.equal(badService.status, 404);
    assert.equal(badService.body.error.param, 'service');
  });

  test('clients: filters by email (any case), phone (normalised), name prefix; bad phone is parameter_invalid', async () => {
    const c = await call(ctx.app, { method: 'POST', url: '/v1/clients', key: org.writeKey, payload: { first_name: 'Priya', last_name: 'Shah', email: 'Priya.Shah@Example.com', phone: '07700 900123' } });
    assert.equal(c.status, 201);
    const byEmail = await call(ctx.app, { method: 'GET', url: '/v1/clients?email=PRIYA.SHAH@example.com', key: org.readKey });
    assert.deepEqual(byEmail.body.data.map((x: any) => x.id), [c.body.id]);
    const byPhone = await call(ctx.app, { method: 'GET', url: `/v1/clients?phone=${encodeURIComponent('+44 7700 900123')}`, key: org.readKey });
    assert.deepEqual(byPhone.body.data.map((x: any) => x.id), [c.body.id]);
    for (const q of ['pri', 'SHA', 'priya s']) {
      const r = await call(ctx.app, { method: 'GET', url: `/v1/clients?q=${encodeURIComponent(q)}`, key: org.readKey });
      assert.deepEqual(r.body.data.map((x: any) => x.id), [c.body.id], q);
    }
    assert.deepEqual((await call(ctx.app, { method: 'GET', url: '/v1/clients?q=%25', key: org.readKey })).body.data, []);
    const bad = await call(ctx.app, { method: 'GET', url: '/v1/clients?phone=123', key: org.readKey });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.param, 'phone');
  });

  test('bookings: list by starts_at with filters; get by reference (case and dash forgiving)', async () => {
    const b1 = await book(ctx, org, shop, '2026-11-25T14:00:00Z', shop.blake.id);
    const b2 = await book(ctx, org, shop, '2026-11-24T10:00:00Z', shop.alex.id);
    const res = await call(ctx.app, { method: 'GET', url: `/v1/bookings?location=${shop.location.slug}`, key: org.readKey });
    assert.deepEqual(res.body.data.map((b: any) => b.reference), [b2.reference, b1.reference]);
    const blake = await call(ctx.app, { method: 'GET', url: `/v1/bookings?staff=${shop.blake.id}`, key: org.readKey });
    assert.deepEqual(blake.body.data.map((b: any) => b.reference), [b1.reference]);
    const window = await call(ctx.app, { method: 'GET', url: '/v1/bookings?starts_after=2026-11-25T00:00:00Z&starts_before=2026-11-26T00:00:00%2B00:00', key: org.readKey });
    assert.deepEqual(window.body.data.map((b: any) => b.reference), [b1.reference]);
    const one = await call(ctx.app, { method: 'GET', url: `/v1/bookings/${b2.reference.toLowerCase().replace('-', '')}`, key: org.readKey });
    assert.equal(one.status, 200);
    assert.equal(one.body.reference, b2.reference);
    assert.equal(one.body.starts_at, '2026-11-24T10:00:00Z');
    assert.equal(one.body.ends_at, '2026-11-24T10:30:00Z');
    assert.deepEqual(one.body.client, { id: shop.client.id, name: 'Jo Bloggs' });
    for (const [q, param] of [['status=pending', 'status'], ['starts_after=2026-11-25', 'starts_after'], ['starts_after=2026-11-25T10:00:00', 'starts_after'], ['client=cli_nope', 'client']]) {
      const r = await call(ctx.app, { method: 'GET', url: `/v1/bookings?${q}`, key: org.readKey });
      assert.ok([400, 404].includes(r.status), q);
      assert.equal(r.body.error.param, param, q);
    }
  });
});
