import type { Database } from '../src/db/connect.js';
import { createOrgWithOwner } from '../src/modules/orgs/orgs.service.js';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { seedDemoShop } from '../src/modules/demo/demo-shop.js';
import { createLocation } from '../src/modules/locations/locations.service.js';
import { createService } from '../src/modules/catalog/catalog.service.js';
import { createStaff } from '../src/modules/staff/staff.service.js';
import { insertNewClient } from '../src/modules/clients/clients.service.js';
import { insertBooking } from '../src/modules/bookings/bookings.repo.js';
import { newId, newReference, randomString } from '../src/lib/ids.js';
import { localDate, addDays } from '../src/lib/zoned-date.js';
import { buildBenchInput } from './engine.bench.js';
import { prng } from '../src/lib/prng.js';
import { systemActor } from '../src/modules/events/actor.js';


/**
 * Data for a benchmark: an org with a read_write key, plus the named scenario:
 * - `locations`: the demo shop (two locations);
 * - `availability`: the engine benchmark's shape in the database: one London location, 10 staff with
 *   breaks and a day off each, a 45-min + 10-min service on a 15-min grid, 2,000 bookings over 31 days;
 * - `bookings`: one location open every day 08:00–20:00 (UTC zone, no notice), 20 staff all day, the same
 *   service; nothing booked, so the load generator can plan thousands of non-overlapping bookings.
 */
export async function seedBenchData(database: Database, scenario: string): Promise<Record<string, unknown>> {
  const tag = randomString(6).toLowerCase();
  const now = Date.now();
  const { org } = await createOrgWithOwner(database, { name: `Bench ${tag}`, ownerEmail: `bench-${tag}@example.com` }, now);
  const { plaintext } = await createApiKey(database, org.id, { label: 'bench', scope: 'read_write' }, now);
  const base = { key: plaintext, orgId: org.id, scenario };
  if (scenario === 'locations') {
    await seedDemoShop(database, org.id, now);
    return base;
  }
  const client = await insertNewClient(database.db, org.id, { first_name: 'Bench', last_name: 'Client', email: `client-${tag}@example.com`, phone: null }, {}, now);
  if (scenario === 'availability') {
    const shape = buildBenchInput();
    const location = await createLocation(database, systemActor(org.id, now), {
      slug: 'bench', name: 'Bench', timeZone: 'Europe/London', address: { line1: '1 Bench Row', city: 'London', postcode: 'E1 1AA' },
      openingHours: shape.openingHours, minNoticeMinutes: 60, horizonDays: 90,
    });
    const service = await createService(database, systemActor(org.id, now), { name: 'Skin Fade', durationMinutes: 45, bufferMinutes: 10, slotInterval: 15, priceAmount: 3000, locationIds: [location.id] });
    const staffIds: string[] = [];
    for (const member of shape.staff) {
      const row = await createStaff(database, systemActor(org.id, now), { displayName: member.id, locationIds: [location.id], serviceIds: [service.id], hours: [{ locationId: location.id, ranges: member.weeklyHours }] });
      staffIds.push(row.id);
    }
    // 2,000 bookings over the next 31 days, on quarter hours within 09:00–18:00 London time (skipping overlaps).
    const random = prng(31);
    const today = localDate(now, 'Europe/London');
    let made = 0;
    for (let attempt = 0; made < 2000 && attempt < 20_000; attempt++) {
      const day = addDays(today, 1 + Math.floor(random() * 31));
      const start = Date.parse(`${day}T09:00:00Z`) + Math.floor(random() * 36) * 15 * 60_000;
      try {
        await insertBooking(database.db, org.id, {
          id: newId('bkg'), reference: newReference(), status: 'confirmed', location_id: location.id, service_id: service.id,
          staff_id: staffIds[Math.floor(random() * staffIds.length)]!, client_id: client.id, start_ms: start, end_ms: start + 45 * 60_000,
          block_end_ms: start + 55 * 60_000, duration_minutes: 45, buffer_minutes: 10, price_amount: 3000, currency: 'GBP', service_name: 'Skin Fade',
          notes: null, source: 'api', created_at: now, updated_at: now, cancelled_at: null, cancellation_reason: null, cancelled_via: null,
        });
        made++;
      } catch { /* that staff member is already busy then */ }
    }
    return { ...base, location: location.slug, service: service.id, client: client.id, from: addDays(today, 1), bookings: made };
  }
  if (scenario === 'bookings') {
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday: weekday as 1, start: 8 * 60, end: 20 * 60 }));
    const location = await createLocation(database, systemActor(org.id, now), {
      slug: 'bench', name: 'Bench', timeZone: 'UTC', address: { line1: '1 Bench Row', city: 'London', postcode: 'E1 1AA' },
      openingHours: everyDay, minNoticeMinutes: 0, horizonDays: 90,
    });
    const service = await createService(database, systemActor(org.id, now), { name: 'Skin Fade', durationMinutes: 45, bufferMinutes: 10, slotInterval: 15, priceAmount: 3000, locationIds: [location.id] });
    const staffIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      staffIds.push((await createStaff(database, systemActor(org.id, now), { displayName: `Staff ${i}`, locationIds: [location.id], serviceIds: [service.id], hours: [{ locationId: location.id, ranges: everyDay }] })).id);
    }
    return { ...base, location: location.slug, service: service.id, client: client.id, staff: staffIds, firstDay: addDays(new Date(now).toISOString().slice(0, 10), 1) };
  }
  throw new Error(`unknown bench scenario ${scenario}`);
}
