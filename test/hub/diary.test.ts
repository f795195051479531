import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { call, startTestApp, type TestContext } from '../helpers/app.js';
import { createApiKey } from '../../src/modules/api-keys/api-keys.service.js';
import { MONDAY_8AM, countRows, hub, memberOf, setUpShop, signUp, type HubSession, type HubShop } from './hub-helpers.js';

const MONDAY = '2026-12-07';

forEachEngine('hub diary', (engine) => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp(engine, {}, { now: MONDAY_8AM }); });
  after(() => ctx.close());

  async function shopWithKey(): Promise<{ owner: HubSession; shop: HubShop; key: string }> {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const { plaintext } = await createApiKey(ctx.database, owner.orgId, { label: 'test', scope: 'read_write' });
    return { owner, shop, key: plaintext };
  }
  const book = (session: HubSession, shop: HubShop, startsAt: string, client: unknown = { first_name: 'Jo', email: `jo-${Math.random().toString(36).slice(2)}@example.com` }) =>
    hub(ctx.app, session, { method: 'POST', url: '/hub/api/bookings', payload: { location: shop.slug, service: shop.serviceId, staff: shop.staffId, starts_at: startsAt, client } });

  test('the day: opening hours, a column per staff member with working time, bookings from the API and the Hub, services', async () => {
    const { owner, shop, key } = await shopWithKey();
    const viaApi = await call(ctx.app, { method: 'POST', url: '/v1/bookings', key, payload: { location: shop.slug, service: shop.serviceId, staff: shop.staffId, starts_at: '2026-12-07T10:00:00Z', client: { first_name: 'Api', email: 'api@example.com' } } });
    assert.equal(viaApi.status, 201, viaApi.raw);
    const viaHub = await book(owner, shop, '2026-12-07T11:00:00Z');
    assert.equal(viaHub.status, 201, viaHub.raw);
    assert.equal(viaHub.body.source, 'hub');

    const day = await hub(ctx.app, owner, { url: `/hub/api/diary?location=${shop.slug}&date=${MONDAY}` });
    assert.equal(day.status, 200, day.raw);
    assert.equal(day.body.date, MONDAY);
    assert.equal(day.body.day_starts_at, '2026-12-07T00:00:00Z');
    assert.equal(day.body.day_ends_at, '2026-12-08T00:00:00Z');
    assert.deepEqual(day.body.opening_hours, [{ starts_at: '2026-12-07T09:00:00Z', ends_at: '2026-12-07T18:00:00Z' }]);
    assert.deepEqual(day.body.staff.map((s: any) => [s.display_name, s.working]), [['Alex', [{ starts_at: '2026-12-07T09:00:00Z', ends_at: '2026-12-07T18:00:00Z' }]]]);
    assert.deepEqual(day.body.bookings.map((b: any) => [b.starts_at, b.source, b.buffer_minutes]), [['2026-12-07T10:00:00Z', 'api', 10], ['2026-12-07T11:00:00Z', 'hub', 10]]);
    assert.deepEqual(day.body.services.map((s: any) => s.name), ['Haircut']);
    const today = await hub(ctx.app, owner, { url: `/hub/api/diary?location=${shop.slug}` });
    assert.equal(today.body.date, MONDAY, 'the date defaults to today in the location\'s zone');
  });

  test('a clock-change day is 25 hours long and its hours land on the right instants', async () => {
    const { owner, shop } = await shopWithKey();
    const day = await hub(ctx.app, owner, { url: `/hub/api/diary?location=${shop.slug}&date=2026-10-26` });
    assert.equal(day.body.day_starts_at, '2026-10-26T00:00:00Z');
    const sunday = await hub(ctx.app, owner, { url: `/hub/api/diary?location=${shop.slug}&date=2026-10-25` });
    assert.equal(sunday.body.day_starts_at, '2026-10-24T23:00:00Z');
    assert.equal(sunday.body.day_ends_at, '2026-10-26T00:00:00Z');
    const friday = await hub(ctx.app, owner, { url: `/hub/api/diary?location=${shop.slug}&date=2026-10-23` });
    assert.deepEqual(friday.body.opening_hours, [{ starts_at: '2026-10-23T08:00:00Z', ends_at: '2026-10-23T17:00:00Z' }], 'BST');
  });

  test('free slots come from the same engine as the API', async () => {
    const { owner, shop, key } = await shopWithKey();
    const hubSlots = await hub(ctx.app, owner, { url: `/hub/api/availability?location=${shop.slug}&service=${shop.serviceId}&date=${MONDAY}` });
    const apiSlots = await call(ctx.app, { method: 'GET', url: `/v1/locations/${shop.slug}/availability?service=${shop.serviceId}&from=${MONDAY}&to=${MONDAY}`, key });
    assert.equal(hubSlots.status, 200);
    assert.deepEqual(hubSlots.body.slots, apiSlots.body.slots);
    assert.equal(hubSlots.body.slots[0].starts_at, '2026-12-07T09:00:00Z', 'an hour of notice from 08:00');
  });

  test('a slot taken through the API a moment earlier is refused here with the 409 reason, and nothing is written', async () => {
    const { owner, shop, key } = await shopWithKey();
    const taken = await call(ctx.app, { method: 'POST', url: '/v1/bookings', key, payload: { location: shop.slug, service: shop.serviceId, staff: shop.staffId, starts_at: '2026-12-07T14:00:00Z', client: { first_name: 'First', phone: '07700 900123' } } });
    assert.equal(taken.status, 201);
    const before = await countRows(ctx.database, 'bookings', owner.orgId);
    const clientsBefore = await countRows(ctx.database, 'clients', owner.orgId);
    const late = await book(owner, shop, '2026-12-07T14:15:00Z', { first_name: 'Second', email: 'second@example.com' });
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, 'slot_unavailable');
    assert.equal(late.body.error.reason, 'overlaps_booking');
    assert.match(late.body.error.message, /already has a booking/);
    assert.equal(await countRows(ctx.database, 'bookings', owner.orgId), before);
    assert.equal(await countRows(ctx.database, 'clients', owner.orgId), clientsBefore, 'the inline client was not left behind');
  });

  test('the same slot from the Hub and the API at once: exactly one booking', async () => {
    const { owner, shop, key } = await shopWithKey();
    const payload = { location: shop.slug, service: shop.serviceId, staff: shop.staffId, starts_at: '2026-12-08T15:00:00Z' };
    const results = await Promise.all([
      book(owner, shop, payload.starts_at, { first_name: 'Hub', email: 'hub-race@example.com' }),
      call(ctx.app, { method: 'POST', url: '/v1/bookings', key, payload: { ...payload, client: { first_name: 'Api', email: 'api-race@example.com' } } }),
      book(owner, shop, payload.starts_at, { first_name: 'Hub2', email: 'hub2-race@example.com' }),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409]);
    assert.equal(await countRows(ctx.database, 'bookings', owner.orgId), 1);
  });

  test('reschedule, cancel with a reason, mark completed / no-show', async () => {
    const { owner, shop, key } = await shopWithKey();
    const client = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/clients', payload: { first_name: 'Kim', last_name: 'Lee', phone: '07700 900456' } });
    assert.equal(client.status, 201);
    const made = await book(owner, shop, '2026-12-07T09:00:00Z', client.body.id);
    assert.equal(made.status, 201, made.raw);
    assert.equal(made.body.client.id, client.body.id);
    const ref = made.body.reference;

    const detail = await hub(ctx.app, owner, { url: `/hub/api/bookings/${ref}` });
    assert.equal(detail.body.client.phone, '+447700900456');
    const slots = await hub(ctx.app, owner, { url: `/hub/api/availability?location=${shop.slug}&service=${shop.serviceId}&date=${MONDAY}&exclude_booking=${ref}` });
    assert.ok(slots.body.slots.some((s: any) => s.starts_at === '2026-12-07T09:00:00Z'), 'its own time counts as free when moving it');
    const moved = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/bookings/${ref}/reschedule`, payload: { starts_at: '2026-12-07T16:00:00Z' } });
    assert.equal(moved.status, 200, moved.raw);
    assert.equal(moved.body.reference, ref);
    assert.equal(moved.body.starts_at, '2026-12-07T16:00:00Z');

    const blocker = await call(ctx.app, { method: 'POST', url: '/v1/bookings', key, payload: { location: shop.slug, service: shop.serviceId, staff: shop.staffId, starts_at: '2026-12-07T12:00:00Z', client: client.body.id } });
    const clash = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/bookings/${ref}/reschedule`, payload: { starts_at: '2026-12-07T12:30:00Z' } });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.reason, 'overlaps_booking', 'the buffer of the 12:00 booking runs to 12:40');

    const early = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/bookings/${blocker.body.reference}/outcome`, payload: { status: 'completed' } });
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, 'booking_not_modifiable');

    const cancelled = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/bookings/${ref}/cancel`, payload: { reason: 'Client phoned: ill' } });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(cancelled.body.cancelled_via, 'hub');
    assert.equal(cancelled.body.cancellation_reason, 'Client phoned: ill');
    const twice = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/bookings/${ref}/cancel`, payload: {} });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'booking_not_modifiable');

    const start = ctx.clock.now;
    try {
      ctx.clock.now = Date.parse('2026-12-07T12:10:00Z');
      const done = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/bookings/${blocker.body.reference}/outcome`, payload: { status: 'no_show' } });
      assert.equal(done.status, 200, done.raw);
      assert.equal(done.body.status, 'no_show');
      const fixed = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/bookings/${blocker.body.reference}/outcome`, payload: { status: 'completed' } });
      assert.equal(fixed.body.status, 'completed', 'a mistake can be corrected');
    } finally {
      ctx.clock.now = start;
    }
  });

  test('bad input names the field and writes nothing', async () => {
    const { owner, shop } = await shopWithKey();
    const stranger = await signUp(ctx.app);
    const theirShop = await setUpShop(ctx.app, stranger);
    const base = { location: shop.slug, service: shop.serviceId, staff: shop.staffId, starts_at: '2026-12-07T10:00:00Z', client: { first_name: 'A', email: 'a@example.com' } };
    const cases: [unknown, number, string, string][] = [
      [{ ...base, starts_at: '2026-12-07 10:00' }, 400, 'parameter_invalid', 'starts_at'],
      [{ ...base, starts_at: '2026-12-07T10:00:30Z' }, 400, 'parameter_invalid', 'starts_at'],
      [{ ...base, starts_at: '2026-11-31T10:00:00Z' }, 400, 'parameter_invalid', 'starts_at'],
      [{ ...base, starts_at: undefined }, 400, 'parameter_missing', 'date'],
      [{ ...base, starts_at: undefined, date: '2026-12-07' }, 400, 'parameter_missing', 'time'],
      [{ ...base, starts_at: undefined, date: '2026-11-31', time: '10:00' }, 400, 'parameter_invalid', 'date'],
      [{ ...base, starts_at: undefined, date: '0000-12-07', time: '10:00' }, 400, 'parameter_invalid', 'date'],
      [{ ...base, starts_at: undefined, date: '2026-12-07', time: '24:00' }, 400, 'parameter_invalid', 'time'],
      [{ ...base, date: '2026-12-07', time: '10:00' }, 400, 'parameter_invalid', 'date'],
      [{ ...base, set_aside: ['overlaps_booking'] }, 400, 'parameter_invalid', 'set_aside.0'],
      [{ ...base, client: { first_name: 'A', phone: '123' } }, 400, 'parameter_invalid', 'client.phone'],
      [{ ...base, client: { first_name: ' ' } }, 400, 'parameter_invalid', 'client.first_name'],
      [{ ...base, staff: theirShop.staffId }, 404, 'resource_not_found', 'staff'],
      [{ ...base, service: theirShop.serviceId }, 404, 'resource_not_found', 'service'],
      [{ ...base, location: theirShop.slug }, 404, 'resource_not_found', 'location'],
      [{ ...base, starts_at: '2026-12-07T10:07:00Z' }, 409, 'slot_unavailable', 'starts_at'],
      [{ ...base, starts_at: '2026-12-07T08:30:00Z' }, 409, 'slot_unavailable', 'starts_at'],
      [{ ...base, source: 'api' }, 400, 'parameter_unknown', 'source'],
    ];
    for (const [payload, status, code, param] of cases) {
      const res = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/bookings', payload });
      assert.equal(res.status, status, `${param}: ${res.raw}`);
      assert.equal(res.body.error.code, code, param);
      assert.equal(res.body.error.param, param);
    }
    assert.equal(await countRows(ctx.database, 'bookings', owner.orgId), 0);
    assert.equal(await countRows(ctx.database, 'clients', owner.orgId), 0);
    const badDate = await hub(ctx.app, owner, { url: `/hub/api/diary?location=${shop.slug}&date=2026-13-01` });
    assert.equal(badDate.status, 400);
    assert.equal(badDate.body.error.param, 'date');
  });

  test('another org\'s bookings and locations are 404s; staff members may use the diary', async () => {
    const { owner, shop } = await shopWithKey();
    const stranger = await signUp(ctx.app);
    const theirShop = await setUpShop(ctx.app, stranger);
    const theirs = await book(stranger, theirShop, '2026-12-07T10:00:00Z');
    const ref = theirs.body.reference;
    for (const req of [
      { url: `/hub/api/bookings/${ref}` },
      { method: 'POST' as const, url: `/hub/api/bookings/${ref}/reschedule`, payload: { starts_at: '2026-12-07T11:00:00Z' } },
      { method: 'POST' as const, url: `/hub/api/bookings/${ref}/cancel`, payload: {} },
      { method: 'POST' as const, url: `/hub/api/bookings/${ref}/outcome`, payload: { status: 'completed' } },
      { url: `/hub/api/diary?location=${theirShop.slug}` },
      { url: `/hub/api/availability?location=${theirShop.slug}&service=${theirShop.serviceId}&date=${MONDAY}` },
      { url: `/hub/api/availability?location=${shop.slug}&service=${theirShop.serviceId}&date=${MONDAY}` },
    ]) {
      const res = await hub(ctx.app, owner, req);
      assert.equal(res.status, 404, `${req.method ?? 'GET'} ${req.url}`);
      assert.equal(res.body.error.code, 'resource_not_found');
    }
    assert.equal((await hub(ctx.app, stranger, { url: `/hub/api/bookings/${ref}` })).body.status, 'confirmed');

    const staff = await memberOf(ctx.app, ctx.database, owner, 'staff');
    const made = await book(staff, shop, '2026-12-07T13:00:00Z');
    assert.equal(made.status, 201);
    assert.equal((await hub(ctx.app, staff, { url: `/hub/api/diary?location=${shop.slug}` })).body.bookings.length, 1);
    assert.equal((await hub(ctx.app, staff, { method: 'POST', url: `/hub/api/bookings/${made.body.reference}/cancel`, payload: { reason: 'test' } })).status, 200);
  });
});
