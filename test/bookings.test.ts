import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';

const NOW = Date.parse('2026-11-23T08:00:00Z'); // Monday 08:00 in London (GMT)

forEachEngine('bookings', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  let shop: TestShop;
  const create = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    call(ctx.app, { method: 'POST', url: '/v1/bookings', key: org.writeKey, payload, headers });
  const base = () => ({ location: shop.location.slug, service: shop.haircut.id, client: shop.client.id });
  before(async () => {
    ctx = await startTestApp(engine, {}, { now: NOW });
    org = await seedOrg(ctx.database, NOW - 1000);
    shop = await seedShop(ctx.database, org.orgId, NOW - 1000);
  });
  after(() => ctx.close());


  test('create with a staff member: 201 with the booking as booked', async () => {
    const res = await create({ ...base(), staff: shop.alex.id, starts_at: '2026-11-24T09:00:00+00:00', notes: 'Window seat' });
    assert.equal(res.status, 201);
    const b = res.body;
    assert.match(b.reference, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    assert.equal(b.status, 'confirmed');
    assert.equal(b.location, shop.location.slug);
    assert.deepEqual(b.service, { id: shop.haircut.id, name: 'Haircut' });
    assert.deepEqual(b.staff, { id: shop.alex.id, display_name: 'Alex' });
    assert.equal(b.starts_at, '2026-11-24T09:00:00Z');
    assert.equal(b.ends_at, '2026-11-24T09:30:00Z');
    assert.deepEqual([b.duration_minutes, b.buffer_minutes, b.price], [30, 10, { amount: 2500, currency: 'GBP' }]);
    assert.equal(b.source, 'api');
    assert.equal(b.notes, 'Window seat');
    assert.equal(b.cancelled_at, null);
    const got = await call(ctx.app, { method: 'GET', url: `/v1/bookings/${b.reference}`, key: org.readKey });
    assert.deepEqual(got.body, b);
  });

  test('without a staff member: the least-booked free one that day is picked', async () => {
    await create({ ...base(), staff: shop.alex.id, starts_at: '2026-11-25T10:00:00Z' });
    const res = await create({ ...base(), starts_at: '2026-11-25T14:00:00Z' });
    assert.equal(res.status, 201);
    assert.equal(res.body.staff.id, shop.blake.id, 'Alex already has a booking that day');
    const next = await create({ ...base(), starts_at: '2026-11-25T15:00:00Z' });
    assert.equal(next.status, 201);
  });

  test('inline client: matched by email, else by phone with the same name, else created in the same transaction', async () => {
    const email = `new-${Date.now()}@example.com`;
    const first = await create({ ...base(), starts_at: '2026-11-26T10:00:00Z', client: { first_name: 'Sam', last_name: 'Lee', email: email.toUpperCase(), phone: '07700 900456' } });
    assert.equal(first.status, 201);
    const clientId = first.body.client.id;
    assert.match(clientId, /^cli_/);
    const client = await call(ctx.app, { method: 'GET', url: `/v1/clients/${clientId}`, key: org.readKey });
    assert.equal(client.body.email, email);
    assert.equal(client.body.phone, '+447700900456');
    // The same phone and the same name (any case): the same client.
    const byPhone = await create({ ...base(), starts_at: '2026-11-26T11:00:00Z', client: { first_name: 'SAM', last_name: 'lee', phone: '+447700900456' } });
    assert.equal(byPhone.body.client.id, clientId);
    // The same phone, another name: a family member booking from one number is a client of their own.
    const child = await create({ ...base(), starts_at: '2026-11-26T14:00:00Z', client: { first_name: 'Mia', last_name: 'Lee', phone: '07700 900456' } });
    assert.equal(child.status, 201);
    assert.notEqual(child.body.client.id, clientId);
    assert.equal(child.body.client.name, 'Mia Lee');
    // An email wins over everything else: emails are personal.
    const byEmail = await create({ ...base(), starts_at: '2026-11-26T14:45:00Z', client: { first_name: 'S', email } });
    assert.equal(byEmail.body.client.id, clientId);
    // A new email with a known phone and name is a new client (email decides when it is given).
    const other = await create({ ...base(), starts_at: '2026-11-26T15:30:00Z', client: { first_name: 'Sam', last_name: 'Lee', email: `other-${email}`, phone: '07700 900456' } });
    assert.notEqual(other.body.client.id, clientId);
    // A walk-in may leave neither.
    const walkIn = await create({ ...base(), starts_at: '2026-11-26T16:15:00Z', client: { first_name: 'Jo' } });
    assert.equal(walkIn.status, 201);
    assert.equal(walkIn.body.client.name, 'Jo');
  });

  test('409 slot_unavailable with each typed reason', async () => {
    assert.equal((await create({ ...base(), staff: shop.blake.id, starts_at: '2026-11-27T10:00:00Z' })).status, 201);
    const cases: [Record<string, unknown>, string][] = [
      [{ staff: shop.blake.id, starts_at: '2026-11-27T10:15:00Z' }, 'overlaps_booking'],
      [{ staff: shop.blake.id, starts_at: '2026-11-27T09:35:00Z' }, 'not_on_slot_grid'],
      [{ staff: shop.blake.id, starts_at: '2026-11-27T10:30:00Z' }, 'overlaps_booking'], // inside the 10-minute buffer after 10:00–10:30
      [{ staff: shop.blake.id, starts_at: '2026-11-27T09:30:00Z' }, 'outside_working_hours'], // Blake starts at 10:00
      [{ staff: shop.alex.id, starts_at: '2026-11-27T12:15:00Z' }, 'outside_working_hours'],
      [{ staff: shop.alex.id, starts_at: '2026-11-29T10:00:00Z' }, 'outside_working_hours'],
      [{ starts_at: '2026-11-23T08:30:00Z' }, 'too_soon'],
      [{ starts_at: '2027-03-01T10:00:00Z' }, 'beyond_horizon'],
      [{ service: shop.colour.id, staff: shop.blake.id, starts_at: '2026-11-27T12:00:00Z' }, 'staff_does_not_offer_service'],
    ];
    for (const [patch, reason] of cases) {
      const res = await create({ ...base(), ...patch });
      assert.equal(res.status, 409, `${JSON.stringify(patch)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'slot_unavailable');
      assert.equal(res.body.error.reason, reason, JSON.stringify(patch));
    }
  });

  test('reschedule keeps the reference; its own old time does not block; cancelled or past → booking_not_modifiable', async () => {
    const b = (await create({ ...base(), staff: shop.alex.id, starts_at: '2026-11-30T09:00:00Z' })).body;
    const moved = await call(ctx.app, { method: 'POST', url: `/v1/bookings/${b.reference}/reschedule`, key: org.writeKey, payload: { starts_at: '2026-11-30T09:15:00Z' } });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.reference, b.reference);
    assert.equal(moved.body.starts_at, '2026-11-30T09:15:00Z');
    const toBlake = await call(ctx.app, { method: 'POST', url: `/v1/bookings/${b.reference}/reschedule`, key: org.writeKey, payload: { starts_at: '2026-12-01T10:00:00Z', staff: shop.blake.id } });
    assert.equal(toBlake.status, 200);
    assert.equal(toBlake.body.staff.id, shop.blake.id);
    const slots = await call(ctx.app, { method: 'GET', url: `/v1/locations/${shop.location.slug}/availability?service=${shop.haircut.id}&staff=${shop.alex.id}&from=2026-11-30&to=2026-11-30`, key: org.readKey });
    assert.ok(slots.body.slots.some((s: any) => s.starts_at === '2026-11-30T09:15:00Z'), 'old time freed');
    const clash = await create({ ...base(), staff: shop.blake.id, starts_at: '2026-12-01T11:00:00Z' });
    const blocked = await call(ctx.app, { method: 'POST', url: `/v1/bookings/${clash.body.reference}/reschedule`, key: org.writeKey, payload: { starts_at: '2026-12-01T10:15:00Z' } });
    assert.equal(blocked.status, 409);
    assert.equal(blocked.body.error.reason, 'overlaps_booking');

    const cancelled = await call(ctx.app, { method: 'POST', url: `/v1/bookings/${b.reference}/cancel`, key: org.writeKey, payload: { reason: 'Client is unwell' } });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(cancelled.body.cancellation_reason, 'Client is unwell');
    assert.equal(cancelled.body.cancelled_via, 'api');
    assert.equal(cancelled.body.cancelled_at, '2026-11-23T08:00:00Z');
    for (const [path, payload] of [['cancel', {}], ['reschedule', { starts_at: '2026-12-02T10:00:00Z' }]] as const) {
      const again = await call(ctx.app, { method: 'POST', url: `/v1/bookings/${b.reference}/${path}`, key: org.writeKey, payload });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'booking_not_modifiable');
    }
    // the time is free again at once
    assert.equal((await create({ ...base(), staff: shop.blake.id, starts_at: '2026-12-01T10:00:00Z' })).status, 201);
    // past bookings can't be changed
    const past = (await create({ ...base(), staff: shop.alex.id, starts_at: '2026-11-24T15:00:00Z' })).body;
    ctx.clock.now = Date.parse('2026-11-24T15:05:00Z');
    try {
      const late = await call(ctx.app, { method: 'POST', url: `/v1/bookings/${past.reference}/cancel`, key: org.writeKey });
      assert.equal(late.status, 409);
      assert.equal(late.body.error.code, 'booking_not_modifiable');
    } finally {
      ctx.clock.now = NOW;
    }
  });

  test('a booking keeps its duration, buffer and price when the service later changes', async () => {
    const b = (await create({ ...base(), staff: shop.alex.id, starts_at: '2026-12-02T09:00:00Z' })).body;
    await ctx.database.db.updateTable('services').set({ duration_minutes: 60, buffer_minutes: 0, price_amount: 9900 }).where('id', '=', shop.haircut.id).execute();
    try {
      const got = await call(ctx.app, { method: 'GET', url: `/v1/bookings/${b.reference}`, key: org.readKey });
      assert.deepEqual([got.body.duration_minutes, got.body.buffer_minutes, got.body.price.amount, got.body.ends_at], [30, 10, 2500, '2026-12-02T09:30:00Z']);
      const moved = await call(ctx.app, { method: 'POST', url: `/v1/bookings/${b.reference}/reschedule`, key: org.writeKey, payload: { starts_at: '2026-12-02T10:00:00Z' } });
      assert.equal(moved.body.ends_at, '2026-12-02T10:30:00Z');
    } finally {
      await ctx.database.db.updateTable('services').set({ duration_minutes: 30, buffer_minutes: 10, price_amount: 2500 }).where('id', '=', shop.haircut.id).execute();
    }
  });
});
