import type { Database } from '../../src/db/connect.js';
import { createLocation } from '../../src/modules/locations/locations.service.js';
import { createService } from '../../src/modules/catalog/catalog.service.js';
import { createStaff } from '../../src/modules/staff/staff.service.js';
import { insertNewClient } from '../../src/modules/clients/clients.service.js';
import type { StoredRange } from '../../src/lib/wall-clock.js';
import { randomString } from '../../src/lib/ids.js';
import { systemActor } from '../../src/modules/events/actor.js';

export interface TestShop {
  location: { id: string; slug: string };
  haircut: { id: string };
  colour: { id: string };
  alex: { id: string };
  blake: { id: string };
  client: { id: string };
}

const weekdays = (days: number[], start: number, end: number): StoredRange[] => days.map((weekday) => ({ weekday: weekday as 1, start, end }));

/**
 * A small shop in Europe/London: open Mon–Sat 09:00–18:00, notice 60 min, horizon 60 days.
 * Haircut: 30 min + 10 min buffer on a 15-minute grid, both staff. Colour: 90 min on a 30-minute grid, Alex only.
 * Alex works Mon–Fri 09:00–12:00 and 13:00–17:00; Blake Tue–Sat 10:00–18:00.
 */
export async function seedShop(database: Database, orgId: string, now: number, zone = 'Europe/London'): Promise<TestShop> {
  const location = await createLocation(database, systemActor(orgId, now), {
    slug: `salon-${randomString(5).toLowerCase()}`, name: 'Salon', timeZone: zone,
    address: { line1: '1 Test Street', city: 'London', postcode: 'E1 1AA' },
    openingHours: weekdays([1, 2, 3, 4, 5, 6], 9 * 60, 18 * 60), minNoticeMinutes: 60, horizonDays: 60,
  });
  const haircut = await createService(database, systemActor(orgId, now), { name: 'Haircut', durationMinutes: 30, bufferMinutes: 10, slotInterval: 15, priceAmount: 2500, locationIds: [location.id] });
  const colour = await createService(database, systemActor(orgId, now + 1), { name: 'Colour', durationMinutes: 90, bufferMinutes: 0, slotInterval: 30, priceAmount: 8000, locationIds: [location.id] });
  const alex = await createStaff(database, systemActor(orgId, now), {
    displayName: 'Alex', locationIds: [location.id], serviceIds: [haircut.id, colour.id],
    hours: [{ locationId: location.id, ranges: [...weekdays([1, 2, 3, 4, 5], 9 * 60, 12 * 60), ...weekdays([1, 2, 3, 4, 5], 13 * 60, 17 * 60)] }],
  });
  const blake = await createStaff(database, systemActor(orgId, now + 1), {
    displayName: 'Blake', locationIds: [location.id], serviceIds: [haircut.id],
    hours: [{ locationId: location.id, ranges: weekdays([2, 3, 4, 5, 6], 10 * 60, 18 * 60) }],
  });
  const client = await insertNewClient(database.db, orgId, { first_name: 'Jo', last_name: 'Bloggs', email: `jo-${randomString(5).toLowerCase()}@example.com`, phone: null }, {}, now);
  return { location, haircut, colour, alex, blake, client };
}
