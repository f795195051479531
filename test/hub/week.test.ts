import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { startTestApp, type TestContext } from '../helpers/app.js';
import { MONDAY_8AM, hub, memberOf, setUpShop, signUp, type HubSession, type HubShop } from './hub-helpers.js';

forEachEngine('hub week view', (engine) => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp(engine, {}, { now: MONDAY_8AM }); });
  after(() => ctx.close());

  const book = (session: HubSession, shop: HubShop, startsAt: string, staff = shop.staffId) =>
    hub(ctx.app, session, { method: 'POST', url: '/hub/api/bookings', payload: { location: shop.slug, service: shop.serviceId, staff, starts_at: startsAt, client: { first_name: 'Jo', email: `jo-${Math.random().toString(36).slice(2)}@example.com` } } });

  async function shopWithTwo() {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const second = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/staff', payload: { display_name: 'Blake', location_ids: [shop.locationId], service_ids: [shop.serviceId], hours: { [shop.locationId]: { tuesday: [{ opens: '10:00', closes: '14:00' }] } } } });
    assert.equal(second.status, 201, second.raw);
    return { owner, shop, blake: second.body.id as string };
  }

  test('Monday to Sunday holding the date, each day as the day view answers it', async () => {
    const { owner, shop, blake } = await shopWithTwo();
    for (const [at, staff] of [['2026-12-08T10:00:00Z', shop.staffId], ['2026-12-08T11:00:00Z', blake], ['2026-12-11T15:00:00Z', shop.staffId]] as const) {
      const res = await book(owner, shop, at, staff);
      assert.equal(res.status, 201, res.raw);
    }
    const week = await hub(ctx.app, owner, { url: `/hub/api/week?location=${shop.slug}&date=2026-12-10` });
    assert.equal(week.status, 200, week.raw);
    assert.equal(week.body.from, '2026-12-07');
    assert.equal(week.body.to, '2026-12-13');
    assert.deepEqual(week.body.days.map((d: any) => d.date), ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13']);
    assert.deepEqual(week.body.staff.map((s: any) => s.display_name).sort(), ['Alex', 'Blake']);
    assert.deepEqual(week.body.days.map((d: any) => d.bookings.length), [0, 2, 0, 0, 1, 0, 0]);
    const tuesday = await hub(ctx.app, owner, { url: `/hub/api/diary?location=${shop.slug}&date=2026-12-08` });
    const { location, now, services, object, ...dayBody } = tuesday.body;
    assert.deepEqual(week.body.days[1], dayBody, 'a day of the week is the day view of that day');
    assert.equal(location.slug, week.body.location.slug);
    assert.deepEqual(services, week.body.services);
    assert.equal(object, 'diary_day');
    assert.equal(now, week.body.now);
    assert.deepEqual(week.body.days[6].staff.find((s: any) => s.display_name === 'Alex').working, [], 'closed on Sundays');

    const today = await hub(ctx.app, owner, { url: `/hub/api/week?location=${shop.slug}` });
    assert.equal(today.body.from, '2026-12-07', 'defaults to this week in the location\'s zone');
    const sunday = await hub(ctx.app, owner, { url: `/hub/api/week?location=${shop.slug}&date=2026-12-13` });
    assert.equal(sunday.body.from, '2026-12-07', 'a Sunday belongs to the week that started on Monday');
  });

  test('one staff member\'s week: only their hours and bookings', async () => {
    const { owner, shop, blake } = await shopWithTwo();
    assert.equal((await book(owner, shop, '2026-12-08T10:00:00Z')).status, 201);
    assert.equal((await book(owner, shop, '2026-12-08T11:00:00Z', blake)).status, 201);
    const week = await hub(ctx.app, owner, { url: `/hub/api/week?location=${shop.slug}&date=2026-12-07&staff=${blake}` });
    assert.equal(week.status, 200, week.raw);
    assert.deepEqual(week.body.staff.map((s: any) => s.id).sort(), [blake, shop.staffId].sort(), 'everyone, to choose from');
    assert.ok(week.body.days.every((d: any) => d.staff.length === 1 && d.staff[0].id === blake));
    assert.deepEqual(week.body.days.flatMap((d: any) => d.bookings.map((b: any) => b.starts_at)), ['2026-12-08T11:00:00Z']);
    assert.deepEqual(week.body.days[1].staff[0].working, [{ starts_at: '2026-12-08T10:00:00Z', ends_at: '2026-12-08T14:00:00Z' }]);
  });

  test('a clock-change week: its Sunday is 25 hours long', async () => {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const week = await hub(ctx.app, owner, { url: `/hub/api/week?location=${shop.slug}&date=2026-10-21` });
    const sunday = week.body.days[6];
    assert.equal(sunday.date, '2026-10-25');
    assert.equal(Date.parse(sunday.day_ends_at) - Date.parse(sunday.day_starts_at), 25 * 3_600_000);
  });

  test('bad input names the field; another org\'s location or staff is 404; staff may read it', async () => {
    const { owner, shop } = await shopWithTwo();
    const other = await signUp(ctx.app);
    const otherShop = await setUpShop(ctx.app, other);
    const cases: [string, number, string, string?][] = [
      [`/hub/api/week?location=${shop.slug}&date=2026-02-30`, 400, 'parameter_invalid', 'date'],
      [`/hub/api/week?location=${shop.slug}&extra=1`, 400, 'parameter_unknown', 'extra'],
      ['/hub/api/week', 400, 'parameter_missing', 'location'],
      [`/hub/api/week?location=${otherShop.slug}`, 404, 'resource_not_found', 'location'],
      [`/hub/api/week?location=${shop.slug}&staff=${otherShop.staffId}`, 404, 'resource_not_found', 'staff'],
    ];
    for (const [url, status, code, param] of cases) {
      const res = await hub(ctx.app, owner, { url });
      assert.equal(res.status, status, `${url}: ${res.raw}`);
      assert.equal(res.body.error.code, code, url);
      assert.equal(res.body.error.param, param, url);
    }
    const unknown = await hub(ctx.app, owner, { url: `/hub/api/week?location=${shop.slug}&staff=stf_nosuchthing` });
    assert.equal(unknown.raw.replace(/req_\w+/, ''), (await hub(ctx.app, owner, { url: `/hub/api/week?location=${shop.slug}&staff=${otherShop.staffId}` })).raw.replace(/req_\w+/, '').replace(otherShop.staffId, 'stf_nosuchthing'));
    const staff = await memberOf(ctx.app, ctx.database, owner, 'staff');
    assert.equal((await hub(ctx.app, staff, { url: `/hub/api/week?location=${shop.slug}` })).status, 200);
  });
});
