import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestApp, seedOrg, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { getAvailability } from '../src/modules/availability/availability.service.js';
import { createBooking } from '../src/modules/bookings/create-booking.js';

// The memo exists only on SQLite (PostgreSQL answers are always computed afresh), so this suite is SQLite-only.
const T0 = Date.parse('2026-11-23T08:00:00Z');

let ctx: TestContext;
let org: SeededOrg;
let shop: TestShop;
before(async () => {
  ctx = await startTestApp('sqlite');
  org = await seedOrg(ctx.database, T0 - 1000);
  shop = await seedShop(ctx.database, org.orgId, T0 - 1000);
});
after(() => ctx.close());

test('a memoised availability answer is exactly the fresh one, at any second, across notice and horizon edges and writes', async () => {
  const fresh = { ...ctx.database, dataEpoch: undefined };
  await fc.assert(fc.asyncProperty(
    // a moment whose minimum-notice cutoff (60 min) falls on a slot start of the grid, or anywhere
    fc.integer({ min: 0, max: 2 }), fc.integer({ min: 9 * 4, max: 17 * 4 }), fc.boolean(), fc.integer({ min: 0, max: 14 }),
    fc.array(fc.integer({ min: 0, max: 59_999 }), { minLength: 1, maxLength: 4 }), // several moments within that minute
    fc.boolean(),
    fc.boolean(),
    async (dayOffset, quarter, onEdge, skew, offsets, atHorizon, bookFirst) => {
      const minute = T0 - 8 * 3_600_000 + dayOffset * 86_400_000 + quarter * 15 * 60_000 - 60 * 60_000 + (onEdge ? 0 : skew * 60_000);
      const day = atHorizon ? '2027-01-22' : new Date(minute + 3_600_000).toISOString().slice(0, 10);
      const query = { service: shop.haircut.id, from: day, to: day };
      if (bookFirst) {
        // a write between calls must be seen at once
        const slot = (await getAvailability(fresh, org.orgId, shop.location.slug, query, minute)).slots[0];
        if (slot) {
          await createBooking(ctx.database, { orgId: org.orgId, source: 'api', now: minute }, {
            location: shop.location.slug, service: shop.haircut.id, staff: slot.staff_id, start: { instant: slot.starts_at }, client: shop.client.id,
          });
        }
      }
      for (const offset of offsets.sort((a, b) => a - b)) {
        const now = minute + offset;
        const memoised = await getAvailability(ctx.database, org.orgId, shop.location.slug, query, now);
        const direct = await getAvailability(fresh, org.orgId, shop.location.slug, query, now);
        assert.deepEqual(memoised, direct, `at ${new Date(now).toISOString()} for ${day}`);
      }
    },
  ), { numRuns: 80 });
});
