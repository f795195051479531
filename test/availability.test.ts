import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { addStaffException } from '../src/modules/staff/staff.service.js';
import { insertClosure } from '../src/modules/locations/locations.repo.js';
import { newId } from '../src/lib/ids.js';
import { systemActor } from '../src/modules/events/actor.js';

const NOW = Date.parse('2026-03-20T08:00:00Z'); // Friday before the UK spring change (Sun 29 March)

forEachEngine('availability over HTTP', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  let shop: TestShop;
  const url = (q: string) => `/v1/locations/${shop.location.slug}/availability?${q}`;
  before(async () => {
    ctx = await startTestApp(engine, {}, { now: NOW });
    org = await seedOrg(ctx.database, NOW - 1000);
    shop = await seedShop(ctx.database, org.orgId, NOW - 1000);
  });
  after(() => ctx.close());

  test('a Tuesday 09:00 start lands at 09:00Z before the clock change and 08:00Z after it', async () => {
    const res = await call(ctx.app, { method: 'GET', url: url(`service=${shop.haircut.id}&staff=${shop.alex.id}&from=2026-03-24&to=2026-03-31`), key: org.readKey });
    assert.equal(res.status, 200);
    assert.equal(res.body.time_zone, 'Europe/London');
    const starts: string[] = res.body.slots.map((s: any) => s.starts_at);
    const firstOf = (day: string) => starts.find((s) => s.startsWith(day));
    assert.equal(firstOf('2026-03-24'), '2026-03-24T09:00:00Z');
    assert.equal(firstOf('2026-03-31'), '2026-03-31T08:00:00Z');
    // Alex's last haircut of a day must end by 17:00 local; its 10-minute clean-up may run past closing:
    // 16:30 + 30 = 17:00 fits, 16:45 does not.
    assert.ok(starts.includes('2026-03-24T16:30:00Z'));
    assert.ok(!starts.includes('2026-03-24T16:45:00Z'));
    assert.ok(starts.includes('2026-03-31T15:30:00Z') && !starts.includes('2026-03-31T15:45:00Z'));
    // the lunch break 12:00–13:00 local is a gap; the clean-up may run into it: 11:30 + 30 ends at 12:00
    assert.ok(starts.includes('2026-03-24T11:30:00Z') && !starts.includes('2026-03-24T11:45:00Z') && !starts.includes('2026-03-24T12:00:00Z'));
    // no Saturday or Sunday for Alex; grid every 15 minutes
    assert.ok(!starts.some((s) => s.startsWith('2026-03-28') || s.startsWith('2026-03-29')));
    assert.ok(starts.every((s) => /:(00|15|30|45):00Z$/.test(s)));
    for (const s of res.body.slots) assert.equal(Date.parse(s.ends_at) - Date.parse(s.starts_at), 30 * 60_000);
  });

  test('any staff: every free staff member per start, ordered by time then staff id', async () => {
    const res = await call(ctx.app, { method: 'GET', url: url(`service=${shop.haircut.id}&from=2026-03-24&to=2026-03-24`), key: org.readKey });
    const at10 = res.body.slots.filter((s: any) => s.starts_at === '2026-03-24T10:00:00Z').map((s: any) => s.staff_id);
    assert.deepEqual(at10, [shop.alex.id, shop.blake.id].sort());
    const keys = res.body.slots.map((s: any) => `${s.starts_at}|${s.staff_id}`);
    assert.deepEqual(keys, [...keys].sort());
  });

  test('bookings, time off, closures and minimum notice remove time; exclude_booking gives it back', async () => {
    const booked = await call(ctx.app, { method: 'POST', url: '/v1/bookings', key: org.writeKey, payload: { location: shop.location.slug, service: shop.haircut.id, staff: shop.alex.id, starts_at: '2026-03-25T10:00:00Z', client: shop.client.id } });
    assert.equal(booked.status, 201);
    await addStaffException(ctx.database, systemActor(org.orgId, NOW), shop.alex.id, { date: '2026-03-26', start: 0, end: 1440, kind: 'off' });
    await insertClosure(ctx.database.db, org.orgId, { id: newId('cls'), location_id: shop.location.id, starts_on: '2026-03-27', ends_on: '2026-03-27', reason: null, created_at: NOW });
    const res = await call(ctx.app, { method: 'GET', url: url(`service=${shop.haircut.id}&staff=${shop.alex.id}&from=2026-03-20&to=2026-03-27`), key: org.readKey });
    const starts: string[] = res.body.slots.map((s: any) => s.starts_at);
    // booked 10:00–10:30 + 10 min buffer: 09:30 (ends 10:10 with buffer) and 10:00..10:30 are gone, 10:45 is back
    for (const gone of ['2026-03-25T09:30:00Z', '2026-03-25T10:00:00Z', '2026-03-25T10:15:00Z', '2026-03-25T10:30:00Z']) assert.ok(!starts.includes(gone), gone);
    assert.ok(starts.includes('2026-03-25T09:15:00Z') && starts.includes('2026-03-25T10:45:00Z'));
    assert.ok(!starts.some((s) => s.startsWith('2026-03-26') || s.startsWith('2026-03-27')));
    // today (Fri 20th) at 08:00Z with 60 min notice: first start 09:00Z
    assert.equal(starts.find((s) => s.startsWith('2026-03-20')), '2026-03-20T09:00:00Z');
    const freed = await call(ctx.app, { method: 'GET', url: url(`service=${shop.haircut.id}&staff=${shop.alex.id}&from=2026-03-25&to=2026-03-25&exclude_booking=${booked.body.reference}`), key: org.readKey });
    assert.ok(freed.body.slots.some((s: any) => s.starts_at === '2026-03-25T10:00:00Z'));
  });

  test('defaults: from today, seven days', async () => {
    const res = await call(ctx.app, { method: 'GET', url: url(`service=${shop.haircut.id}`), key: org.readKey });
    assert.equal(res.body.from, '2026-03-20');
    assert.equal(res.body.to, '2026-03-26');
  });

  test('bad input gets the envelope with param', async () => {
    const other = await seedOrg(ctx.database, NOW);
    const theirs = await seedShop(ctx.database, other.orgId, NOW);
    const cases: [string, number, string, string][] = [
      ['', 400, 'parameter_missing', 'service'],
      [`service=svc_nope`, 404, 'resource_not_found', 'service'],
      [`service=${theirs.haircut.id}`, 404, 'resource_not_found', 'service'],
      [`service=${shop.haircut.id}&staff=${theirs.alex.id}`, 404, 'resource_not_found', 'staff'],
      [`service=${shop.colour.id}&staff=${shop.blake.id}`, 400, 'parameter_invalid', 'staff'],
      [`service=${shop.haircut.id}&from=2026-04-02&to=2026-04-01`, 400, 'parameter_invalid', 'to'],
      [`service=${shop.haircut.id}&from=2026-04-01&to=2026-06-03`, 400, 'parameter_invalid', 'to'],
      [`service=${shop.haircut.id}&from=2026-02-30`, 400, 'parameter_invalid', 'from'],
      [`service=${shop.haircut.id}&from=01/04/2026`, 400, 'parameter_invalid', 'from'],
      [`service=${shop.haircut.id}&to=tomorrow`, 400, 'parameter_invalid', 'to'],
      [`service=${shop.haircut.id}&exclude_booking=ZZZZ-ZZZZ`, 404, 'resource_not_found', 'exclude_booking'],
      [`service=${shop.haircut.id}&staf=x`, 400, 'parameter_unknown', 'staf'],
    ];
    for (const [q, status, code, param] of cases) {
      const res = await call(ctx.app, { method: 'GET', url: url(q), key: org.readKey });
      assert.equal(res.status, status, q);
      assert.equal(res.body.error.code, code, q);
      assert.equal(res.body.error.param, param, q);
    }
    const ok62 = await call(ctx.app, { method: 'GET', url: url(`service=${shop.haircut.id}&from=2026-04-01&to=2026-06-02`), key: org.readKey });
    assert.equal(ok62.status, 200);
    const otherLocation = await call(ctx.app, { method: 'GET', url: `/v1/locations/${theirs.location.slug}/availability?service=${shop.haircut.id}`, key: org.readKey });
    assert.equal(otherLocation.status, 404);
  });

  test('a location with a half-hour offset (Asia/Kolkata): 09:00 local is 03:30Z', async () => {
    const k = await seedShop(ctx.database, org.orgId, NOW, 'Asia/Kolkata');
    const res = await call(ctx.app, { method: 'GET', url: `/v1/locations/${k.location.slug}/availability?service=${k.colour.id}&from=2026-03-24&to=2026-03-24`, key: org.readKey });
    assert.equal(res.body.slots[0].starts_at, '2026-03-24T03:30:00Z');
    assert.ok(res.body.slots.every((s: any) => /T\d\d:(00|30):00Z$/.test(s.starts_at)));
  });
});
