import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { call, startTestApp, type TestContext } from '../helpers/app.js';
import { createApiKey } from '../../src/modules/api-keys/api-keys.service.js';
import { MONDAY_8AM, WEEKDAY_HOURS, countRows, hub, memberOf, setUpShop, signUp } from './hub-helpers.js';

const location = (slug: string) => ({
  name: 'Market Street', slug, time_zone: 'Europe/London', address: { line1: '2 Market Street', city: 'Leeds', postcode: 'LS1 6DT' },
  opening_hours: { ...WEEKDAY_HOURS, monday: [{ opens: '09:00', closes: '12:00' }, { opens: '13:00', closes: '18:00' }] },
});

forEachEngine('hub shop setup', (engine) => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp(engine, {}, { now: MONDAY_8AM }); });
  after(() => ctx.close());

  test('locations: create with several ranges a day, edit, closures; the API sees the same location', async () => {
    const owner = await signUp(ctx.app);
    const created = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/locations', payload: { ...location('market-street'), phone: '0113 496 0000' } });
    assert.equal(created.status, 201, created.raw);
    assert.equal(created.body.phone, '+441134960000');
    assert.equal(created.body.minimum_notice_minutes, 60);
    assert.equal(created.body.booking_horizon_days, 90);
    assert.deepEqual(created.body.opening_hours.monday, [{ opens: '09:00', closes: '12:00' }, { opens: '13:00', closes: '18:00' }]);
    const id = created.body.id;
    const edited = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/locations/${id}`, payload: { name: 'Market St.', time_zone: 'Asia/Kolkata', minimum_notice_minutes: 120, booking_horizon_days: 30 } });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.name, 'Market St.');
    assert.equal(edited.body.time_zone, 'Asia/Kolkata');
    const closure = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/locations/${id}/closures`, payload: { starts_on: '2099-12-24', ends_on: '2099-12-27', reason: 'Christmas' } });
    assert.equal(closure.status, 201);
    assert.deepEqual(closure.body.closures.map((c: any) => [c.starts_on, c.ends_on, c.reason]), [['2099-12-24', '2099-12-27', 'Christmas']]);

    const { plaintext } = await createApiKey(ctx.database, owner.orgId, { label: 't', scope: 'read' });
    const api = await call(ctx.app, { method: 'GET', url: '/v1/locations/market-street', key: plaintext });
    assert.equal(api.body.name, 'Market St.', 'an edit is seen by the API at once');
    assert.equal(api.body.minimum_notice_minutes, 120);
    assert.equal(api.body.closures.length, 1);

    const removed = await hub(ctx.app, owner, { method: 'DELETE', url: `/hub/api/locations/${id}/closures/${closure.body.closures[0].id}` });
    assert.equal(removed.status, 200);
    assert.equal(removed.body.closures.length, 0);
    const list = await hub(ctx.app, owner, { url: '/hub/api/locations' });
    assert.deepEqual(list.body.data.map((l: any) => l.slug), ['market-street']);
  });

  test('location validation: the field is named, and nothing is created or changed', async () => {
    const owner = await signUp(ctx.app);
    const cases: [unknown, string, string][] = [
      [{ ...location('a'), opening_hours: { monday: [{ opens: '09:00', closes: '12:00' }, { opens: '11:00', closes: '18:00' }] } }, 'parameter_invalid', 'opening_hours.monday.1.opens'],
      [{ ...location('a'), opening_hours: { tuesday: [{ opens: '18:00', closes: '09:00' }] } }, 'parameter_invalid', 'opening_hours.tuesday.0.closes'],
      [{ ...location('a'), opening_hours: { monday: [{ opens: '9am', closes: '18:00' }] } }, 'parameter_invalid', 'opening_hours.monday.0.opens'],
      [{ ...location('a'), opening_hours: { funday: [] } }, 'parameter_unknown', 'opening_hours.funday'],
      [{ ...location('a'), time_zone: 'Europe/Atlantis' }, 'parameter_invalid', 'time_zone'],
      [{ ...location('Not A Slug') }, 'parameter_invalid', 'slug'],
      [{ ...location('a'), phone: '12' }, 'parameter_invalid', 'phone'],
      [{ ...location('a'), address: { line1: 'x', city: 'y' } }, 'parameter_missing', 'address.postcode'],
      [{ ...location('a'), minimum_notice_minutes: -5 }, 'parameter_invalid', 'minimum_notice_minutes'],
      [{ ...location('a'), booking_horizon_days: 0 }, 'parameter_invalid', 'booking_horizon_days'],
    ];
    for (const [payload, code, param] of cases) {
      const res = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/locations', payload });
      assert.equal(res.status, 400, `${param}: ${res.raw}`);
      assert.equal(res.body.error.code, code, param);
      assert.equal(res.body.error.param, param);
    }
    assert.equal(await countRows(ctx.database, 'locations', owner.orgId), 0);

    const made = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/locations', payload: location('taken') });
    const dup = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/locations', payload: location('taken') });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.param, 'slug');
    const badEdit = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/locations/${made.body.id}`, payload: { name: 'Changed', time_zone: 'Mars/Olympus' } });
    assert.equal(badEdit.status, 400);
    assert.equal(badEdit.body.error.param, 'time_zone');
    assert.equal((await hub(ctx.app, owner, { url: `/hub/api/locations/${made.body.id}` })).body.name, 'Market Street', 'unchanged');
    const badClosure = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/locations/${made.body.id}/closures`, payload: { starts_on: '2099-01-05', ends_on: '2099-01-04' } });
    assert.equal(badClosure.status, 400);
    assert.equal(badClosure.body.error.param, 'ends_on');
    assert.equal(await countRows(ctx.database, 'location_closures', owner.orgId), 0);
  });

  test('services: all fields, which locations; edits; foreign location ids are 404s naming the entry', async () => {
    const owner = await signUp(ctx.app);
    const a = (await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/locations', payload: location('a') })).body;
    const b = (await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/locations', payload: location('b') })).body;
    const created = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/services', payload: {
      name: 'Colour', description: 'Full colour', duration_minutes: 90, buffer_minutes: 15, slot_interval_minutes: 30, price: { amount: 8000, currency: 'GBP' }, location_ids: [a.id],
    } });
    assert.equal(created.status, 201, created.raw);
    assert.equal(created.body.active, true);
    assert.deepEqual(created.body.location_ids, [a.id]);
    const edited = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/services/${created.body.id}`, payload: { location_ids: [a.id, b.id], slot_interval_minutes: null, active: false } });
    assert.equal(edited.status, 200);
    assert.deepEqual([...edited.body.location_ids].sort(), [a.id, b.id].sort());
    assert.equal(edited.body.slot_interval_minutes, null);
    assert.equal(edited.body.active, false);

    const stranger = await signUp(ctx.app);
    const theirs = (await hub(ctx.app, stranger, { method: 'POST', url: '/hub/api/locations', payload: location('theirs') })).body;
    const foreign = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/services', payload: {
      name: 'X', duration_minutes: 30, price: { amount: 100, currency: 'GBP' }, location_ids: [a.id, theirs.id],
    } });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.param, 'location_ids.1');
    for (const [payload, param] of [
      [{ duration_minutes: 0 }, 'duration_minutes'],
      [{ slot_interval_minutes: 7 }, 'slot_interval_minutes'],
      [{ price: { amount: 100, currency: 'gbp' } }, 'price.currency'],
      [{ price: { amount: -1, currency: 'GBP' } }, 'price.amount'],
      [{ buffer_minutes: 1.5 }, 'buffer_minutes'],
    ] as const) {
      const res = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/services/${created.body.id}`, payload });
      assert.equal(res.status, 400, param);
      assert.equal(res.body.error.param, param);
    }
    assert.equal(await countRows(ctx.database, 'services', owner.orgId), 1);
    assert.equal((await hub(ctx.app, stranger, { method: 'PATCH', url: `/hub/api/services/${created.body.id}`, payload: { name: 'Mine now' } })).status, 404);
    assert.equal((await hub(ctx.app, owner, { url: '/hub/api/services' })).body.data[0].name, 'Colour');
  });

  test('staff: locations, services, weekly hours per location, time off; the API offers the hours as slots', async () => {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const staff = (await hub(ctx.app, owner, { url: `/hub/api/staff/${shop.staffId}` })).body;
    assert.equal(staff.display_name, 'Alex');
    assert.deepEqual(staff.location_ids, [shop.locationId]);
    assert.deepEqual(staff.service_ids, [shop.serviceId]);
    assert.deepEqual(staff.hours[shop.locationId].saturday, [{ opens: '10:00', closes: '16:00' }]);

    const edited = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/staff/${shop.staffId}`, payload: { display_name: 'Alex K', hours: { [shop.locationId]: { monday: [{ opens: '10:00', closes: '14:00' }] } } } });
    assert.equal(edited.status, 200, edited.raw);
    assert.deepEqual(edited.body.hours[shop.locationId].monday, [{ opens: '10:00', closes: '14:00' }]);
    assert.deepEqual(edited.body.hours[shop.locationId].tuesday, []);

    const off = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/staff/${shop.staffId}/exceptions`, payload: { date: '2099-03-02', all_day: true, reason: 'Holiday' } });
    assert.equal(off.status, 201, off.raw);
    assert.deepEqual(off.body.exceptions.map((e: any) => [e.date, e.kind, e.all_day, e.reason]), [['2099-03-02', 'off', true, 'Holiday']]);
    const part = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/staff/${shop.staffId}/exceptions`, payload: { date: '2099-03-03', starts: '12:00', ends: '13:30' } });
    assert.equal(part.body.exceptions[1].starts, '12:00');
    const gone = await hub(ctx.app, owner, { method: 'DELETE', url: `/hub/api/staff/${shop.staffId}/exceptions/${off.body.exceptions[0].id}` });
    assert.equal(gone.body.exceptions.length, 1);

    const { plaintext } = await createApiKey(ctx.database, owner.orgId, { label: 't', scope: 'read' });
    const monday = '2026-12-14';
    const slots = await call(ctx.app, { method: 'GET', url: `/v1/locations/${shop.slug}/availability?service=${shop.serviceId}&from=${monday}&to=${monday}`, key: plaintext });
    assert.equal(slots.status, 200, slots.raw);
    assert.equal(slots.body.slots[0].starts_at, '2026-12-14T10:00:00Z', 'Monday now starts at 10:00');

    // moving to another location drops the hours at the old one
    const other = (await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/locations', payload: location('other') })).body;
    const moved = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/staff/${shop.staffId}`, payload: { location_ids: [other.id] } });
    assert.deepEqual(moved.body.location_ids, [other.id]);
    assert.deepEqual(Object.keys(moved.body.hours), [other.id]);
  });

  test('staff validation: hours only at their locations, times in order, foreign ids 404; nothing changes', async () => {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const other = (await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/locations', payload: location('elsewhere') })).body;
    const hoursBefore = await countRows(ctx.database, 'staff_hours', owner.orgId);
    const elsewhere = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/staff/${shop.staffId}`, payload: { hours: { [other.id]: WEEKDAY_HOURS } } });
    assert.equal(elsewhere.status, 400);
    assert.equal(elsewhere.body.error.param, `hours.${other.id}`);
    const stranger = await signUp(ctx.app);
    const theirShop = await setUpShop(ctx.app, stranger);
    const foreign = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/staff', payload: { display_name: 'Z', location_ids: [shop.locationId], service_ids: [theirShop.serviceId] } });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.param, 'service_ids.0');
    const badRange = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/staff/${shop.staffId}/exceptions`, payload: { date: '2099-03-03', starts: '14:00', ends: '13:00' } });
    assert.equal(badRange.status, 400);
    assert.equal(badRange.body.error.param, 'ends');
    const noTimes = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/staff/${shop.staffId}/exceptions`, payload: { date: '2099-03-03' } });
    assert.equal(noTimes.body.error.param, 'starts');
    const badDate = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/staff/${shop.staffId}/exceptions`, payload: { date: '2099-02-30', all_day: true } });
    assert.equal(badDate.body.error.param, 'date');
    assert.equal(await countRows(ctx.database, 'staff_hours', owner.orgId), hoursBefore);
    assert.equal(await countRows(ctx.database, 'staff_exceptions', owner.orgId), 0);
    assert.equal(await countRows(ctx.database, 'staff', owner.orgId), 1);
    for (const req of [
      { url: `/hub/api/staff/${theirShop.staffId}` },
      { method: 'PATCH' as const, url: `/hub/api/staff/${theirShop.staffId}`, payload: { display_name: 'Mine' } },
      { method: 'POST' as const, url: `/hub/api/staff/${theirShop.staffId}/exceptions`, payload: { date: '2099-03-03', all_day: true } },
      { url: `/hub/api/locations/${theirShop.locationId}` },
      { method: 'PATCH' as const, url: `/hub/api/locations/${theirShop.locationId}`, payload: { name: 'Mine' } },
      { method: 'POST' as const, url: `/hub/api/locations/${theirShop.locationId}/closures`, payload: { starts_on: '2099-01-01', ends_on: '2099-01-01' } },
    ]) {
      const res = await hub(ctx.app, owner, req);
      assert.equal(res.status, 404, `${req.method ?? 'GET'} ${req.url}`);
      assert.equal(res.body.error.code, 'resource_not_found');
    }
  });

  test('staff members can read the setup (the diary needs it) but not change it', async () => {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const staff = await memberOf(ctx.app, ctx.database, owner, 'staff');
    for (const url of ['/hub/api/locations', '/hub/api/services', '/hub/api/staff', `/hub/api/locations/${shop.locationId}`, `/hub/api/staff/${shop.staffId}`]) {
      assert.equal((await hub(ctx.app, staff, { url })).status, 200, url);
    }
    for (const req of [
      { method: 'POST' as const, url: '/hub/api/locations', payload: location('nope') },
      { method: 'PATCH' as const, url: `/hub/api/locations/${shop.locationId}`, payload: { name: 'Nope' } },
      { method: 'POST' as const, url: `/hub/api/locations/${shop.locationId}/closures`, payload: { starts_on: '2099-01-01', ends_on: '2099-01-01' } },
      { method: 'DELETE' as const, url: `/hub/api/locations/${shop.locationId}/closures/cls_x` },
      { method: 'POST' as const, url: '/hub/api/services', payload: { name: 'X', duration_minutes: 30, price: { amount: 1, currency: 'GBP' }, location_ids: [] } },
      { method: 'PATCH' as const, url: `/hub/api/services/${shop.serviceId}`, payload: { name: 'Nope' } },
      { method: 'POST' as const, url: '/hub/api/staff', payload: { display_name: 'X', location_ids: [], service_ids: [] } },
      { method: 'PATCH' as const, url: `/hub/api/staff/${shop.staffId}`, payload: { display_name: 'Nope' } },
      { method: 'POST' as const, url: `/hub/api/staff/${shop.staffId}/exceptions`, payload: { date: '2099-01-01', all_day: true } },
      { method: 'DELETE' as const, url: `/hub/api/staff/${shop.staffId}/exceptions/exc_x` },
    ]) {
      const res = await hub(ctx.app, staff, req);
      assert.equal(res.status, 403, `${req.method} ${req.url}`);
      assert.equal(res.body.error.code, 'forbidden');
    }
    assert.equal((await hub(ctx.app, owner, { url: `/hub/api/staff/${shop.staffId}` })).body.display_name, 'Alex');
  });
});
