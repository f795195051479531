import type { Database } from '../../db/connect.js';
import { createLocation } from '../locations/locations.service.js';
import type { StoredRange } from '../../lib/wall-clock.js';

const h = (hh: number, mm = 0) => hh * 60 + mm;
const days = (weekdays: number[], start: number, end: number): StoredRange[] =>
  weekdays.map((weekday) => ({ weekday: weekday as StoredRange['weekday'], start, end }));

/** Two London locations with different hours; returns their slugs. */
export async function seedDemoShop(database: Database, orgId: string, now: number): Promise<string[]> {
  await createLocation(database, orgId, {
    slug: 'shoreditch',
    name: 'Fade & Bloom Shoreditch',
    timeZone: 'Europe/London',
    address: { line1: '112 Curtain Road', city: 'London', postcode: 'EC2A 3AH', country: 'GB' },
    phone: '+442071234567',
    openingHours: [...days([1, 2, 3, 4, 5], h(9), h(19)), ...days([6], h(9), h(17)), ...days([7], h(10), h(16))],
    minNoticeMinutes: 60,
    horizonDays: 90,
  }, now);
  await createLocation(database, orgId, {
    slug: 'clapham',
    name: 'Fade & Bloom Clapham',
    timeZone: 'Europe/London',
    address: { line1: '48 Clapham High Street', city: 'London', postcode: 'SW4 7UR', country: 'GB' },
    phone: '+442079876543',
    openingHours: [...days([2, 3, 4, 5], h(10), h(20)), ...days([6], h(9), h(18))],
    minNoticeMinutes: 120,
    horizonDays: 60,
  }, now);
  return ['shoreditch', 'clapham'];
}
