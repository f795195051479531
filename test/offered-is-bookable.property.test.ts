import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { addDays } from '../src/lib/zoned-date.js';

const NOW = Date.parse('2026-10-20T07:10:00Z'); // the UK clock change (25 Oct) falls inside the generated windows

forEachEngine('property: a slot offered by availability is bookable at that moment', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  let shop: TestShop;
  before(async () => {
    ctx = await startTestApp(engine, {}, { now: NOW });
    org = await seedOrg(ctx.database, NOW - 1000);
    shop = await seedShop(ctx.database, org.orgId, NOW - 1000);
  });
  after(() => ctx.close());

  test('book a random offered slot (with or without naming the staff member): 201, and it is then no longer offered', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 14 }),
      fc.constantFrom('haircut', 'colour'),
      fc.boolean(),
      fc.nat(),
      fc.boolean(),
      async (dayOffset, which, nameStaff, pick, withInlineClient) => {
        const service = which === 'haircut' ? shop.haircut : shop.colour;
        const day = addDays('2026-10-20', dayOffset);
        const avail = await call(ctx.app, { method: 'GET', url: `/v1/locations/${shop.location.slug}/availability?service=${service.id}&from=${day}&to=${day}`, key: org.readKey });
        assert.equal(avail.status, 200);
        const slots = avail.body.slots as { starts_at: string; staff_id: string }[];
        fc.pre(slots.length > 0);
        const slot = slots[pick % slots.length]!;
        const client = withInlineClient ? { first_name: 'Prop', email: `prop${pick % 7}@example.com` } : shop.client.id;
        const res = await call(ctx.app, { method: 'POST', url: '/v1/bookings', key: org.writeKey, payload: {
          location: shop.location.slug, service: service.id, starts_at: slot.starts_at, client, ...(nameStaff ? { staff: slot.staff_id } : {}),
        } });
        assert.equal(res.status, 201, `${slot.starts_at} ${slot.staff_id}: ${res.raw}`);
        assert.equal(res.body.starts_at, slot.starts_at);
        if (nameStaff) assert.equal(res.body.staff.id, slot.staff_id);
        const after = await call(ctx.app, { method: 'GET', url: `/v1/locations/${shop.location.slug}/availability?service=${service.id}&from=${day}&to=${day}`, key: org.readKey });
        assert.ok(!after.body.slots.some((s: any) => s.starts_at === slot.starts_at && s.staff_id === res.body.staff.id), 'the booked time is gone');
      },
    ), { numRuns: 40 });
  });
});
