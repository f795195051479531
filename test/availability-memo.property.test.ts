import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { forEachEngine } from './helpers/engines.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { getAvailability } from '../src/modules/availability/availability.service.js';
import { createCaches, type AppCaches } from '../src/caches.js';

const T0 = Date.parse('2026-11-23T08:00:00Z');

forEachEngine('availability memo', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  let shop: TestShop;
  let caches: AppCaches;
  before(async () => {
    ctx = await startTestApp(engine, {}, { now: T0 });
    org = await seedOrg(ctx.database, T0 - 1000);
    shop = await seedShop(ctx.database, org.orgId, T0 - 1000);
    caches = createCaches(ctx.database);
  });
  after(() => ctx.close());

  test('a memoised availability answer is exactly the fresh one, at any second, across notice and horizon edges and writes', async () => {
    const memoised = { database: ctx.database, caches };
    const fresh = { database: ctx.database }; // no caches: computed afresh for the exact instant
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
          // a write between calls, through the API like any other, must be seen at once
          const slot = (await getAvailability(fresh, org.orgId, shop.location.slug, query, minute)).slots[0];
          if (slot) {
            ctx.clock.now = minute;
            const res = await call(ctx.app, { method: 'POST', url: '/v1/bookings', key: org.writeKey, payload: { location: shop.location.slug, service: shop.haircut.id, staff: slot.staff_id, starts_at: slot.starts_at, client: shop.client.id } });
            assert.equal(res.status, 201, res.raw);
          }
        }
        for (const offset of offsets.sort((a, b) => a - b)) {
          const now = minute + offset;
          const remembered = await getAvailability(memoised, org.orgId, shop.location.slug, query, now);
          const direct = await getAvailability(fresh, org.orgId, shop.location.slug, query, now);
          assert.deepEqual(remembered, direct, `at ${new Date(now).toISOString()} for ${day}`);
        }
      },
    ), { numRuns: engine === 'sqlite' ? 80 : 50 });
  });
});
