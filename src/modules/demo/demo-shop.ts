import type { Database } from '../../db/connect.js';
import { isOverlapViolation } from '../../db/errors.js';
import { newId, newReference } from '../../lib/ids.js';
import type { StoredRange } from '../../lib/wall-clock.js';
import { localDate, addDays } from '../../lib/zoned-date.js';
import { createLocation } from '../locations/locations.service.js';
import { insertClosure, type LocationRow } from '../locations/locations.repo.js';
import { createService } from '../catalog/catalog.service.js';
import type { ServiceRow } from '../catalog/catalog.repo.js';
import { createStaff, addStaffException } from '../staff/staff.service.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { insertNewClient } from '../clients/clients.service.js';
import { insertBooking } from '../bookings/bookings.repo.js';
import { computeSlots } from '../availability/engine/index.js';
import { eligibleStaffIds, loadEngineInput } from '../availability/availability.context.js';
import { DateTime } from 'luxon';
import { prng } from '../../lib/prng.js';
import { DEMO_BOOKING_REFERENCE, DEMO_EMAIL_DOMAIN, DEMO_IDS, DEMO_KEPT_FREE, DEMO_TIME_ZONE, demoPhone, nextDemoWeekdayAt } from './demo-facts.js';
import { systemActor } from '../events/actor.js';

const h = (hh: number, mm = 0) => hh * 60 + mm;
const days = (weekdays: number[], start: number, end: number): StoredRange[] =>
  weekdays.map((weekday) => ({ weekday: weekday as StoredRange['weekday'], start, end }));


const FIRST = ['Olivia', 'Jack', 'Amelia', 'Harry', 'Isla', 'Oscar', 'Ava', 'George', 'Mia', 'Noah', 'Ivy', 'Leo', 'Freya', 'Arthur', 'Lily', 'Muhammad', 'Grace', 'Theo', 'Sophie', 'Alfie', 'Chloe', 'Jacob', 'Ella', 'Finley', 'Zara', 'Kai', 'Priya', 'Tomasz', 'Niamh', 'Kwame'];
const LAST = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Wright', 'Robinson', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Hughes', 'Ahmed', 'Murphy', 'Kowalski', 'Mensah', 'Nguyen', 'Shah', "O'Brien", 'Okafor'];

/**
 * A barber and beauty business: two London locations (Clapham closed Sundays and Mondays), seven services
 * (15–120 minutes, buffers, several grids and one back-to-back), six staff with breaks, a day off and time off,
 * thirty clients, and bookings from two weeks ago to three weeks ahead, some cancelled, plus the documented
 * booking `K7QX-2M4P` (demo-facts.ts). Dates are relative to `now` (epoch ms). With `stableIds`, services and
 * staff get the documented ids (only for the first organisation in a database: ids are unique across
 * organisations). Returns the location slugs.
 */
export async function seedDemoShop(database: Database, orgId: string, now: number, opts: { stableIds?: boolean } = {}): Promise<string[]> {
  const ids = opts.stableIds ? DEMO_IDS : undefined;
  let t = now - 60_000;
  const tick = () => (t += 1);
  const shoreditch = await createLocation(database, systemActor(orgId, tick()), {
    slug: 'shoreditch', name: 'Fade & Bloom Shoreditch', timeZone: 'Europe/London',
    address: { line1: '112 Curtain Road', city: 'London', postcode: 'EC2A 3AH', country: 'GB' }, phone: demoPhone(1),
    openingHours: [...days([1, 2, 3, 4, 5], h(9), h(19)), ...days([6], h(9), h(17)), ...days([7], h(10), h(16))],
    minNoticeMinutes: 60, horizonDays: 90,
  });
  const clapham = await createLocation(database, systemActor(orgId, tick()), {
    slug: 'clapham', name: 'Fade & Bloom Clapham', timeZone: 'Europe/London',
    address: { line1: '48 Clapham High Street', city: 'London', postcode: 'SW4 7UR', country: 'GB' }, phone: demoPhone(2),
    openingHours: [...days([2, 3, 4, 5], h(10), h(20)), ...days([6], h(9), h(18))],
    minNoticeMinutes: 120, horizonDays: 60,
  });
  const today = localDate(now, 'Europe/London');
  await insertClosure(database.db, orgId, { id: newId('cls'), location_id: clapham.id, starts_on: addDays(today, 24), ends_on: addDays(today, 25), reason: 'Refurbishment' , created_at: tick() });

  const both = [shoreditch.id, clapham.id];
  const svc = async (key: keyof typeof DEMO_IDS.services, name: string, description: string, duration: number, buffer: number, interval: 5 | 10 | 15 | 30 | 60 | null, price: number, locationIds: string[]) =>
    createService(database, systemActor(orgId, tick()), { id: ids?.services[key], name, description, durationMinutes: duration, bufferMinutes: buffer, slotInterval: interval, priceAmount: price, locationIds });
  const fade = await svc('skinFade', 'Skin Fade', 'Clipper fade blended to the skin, finished with a scissor cut on top.', 45, 10, 15, 3200, both);
  const cut = await svc('classicCut', 'Classic Cut', 'Scissor or clipper cut, wash and style.', 30, 5, 15, 2500, both);
  const beard = await svc('beardTrim', 'Beard Trim', 'Shape and line-up with hot towel finish.', 15, 0, 15, 1200, both);
  const shave = await svc('hotTowelShave', 'Hot Towel Shave', 'Traditional straight-razor shave.', 30, 10, 30, 2800, [shoreditch.id]);
  const colour = await svc('cutAndColour', 'Cut & Colour', 'Full colour with cut and blow-dry.', 120, 15, 30, 9500, [clapham.id]);
  const nails = await svc('gelManicure', 'Gel Manicure', 'Shape, cuticle care and gel polish.', 60, 10, 30, 3500, [clapham.id]);
  const brows = await svc('browShape', 'Brow Shape & Tint', 'Wax, shape and tint.', 20, 5, null, 1800, both);

  const staff = async (key: keyof typeof DEMO_IDS.staff, displayName: string, title: string, services: ServiceRow[], hours: { location: LocationRow; ranges: StoredRange[] }[]) =>
    createStaff(database, systemActor(orgId, tick()), {
      id: ids?.staff[key], displayName, title, locationIds: [...new Set(hours.map((x) => x.location.id))], serviceIds: services.map((s) => s.id),
      hours: hours.map((x) => ({ locationId: x.location.id, ranges: x.ranges })),
    });
  const team: StaffRow[] = [
    await staff('marcusReid', 'Marcus Reid', 'Senior Barber', [fade, cut, beard, shave], [{ location: shoreditch, ranges: [...days([1, 2, 3, 4, 5], h(9), h(13)), ...days([1, 2, 3, 4, 5], h(14), h(19)), ...days([6], h(9), h(17))] }]),
    await staff('devPatel', 'Dev Patel', 'Barber', [fade, cut, beard], [{ location: shoreditch, ranges: [...days([2, 3, 4, 5, 6], h(10), h(13, 30)), ...days([2, 3, 4, 5, 6], h(14), h(18))] }]),
    await staff('aishaKhan', 'Aisha Khan', 'Stylist', [cut, colour, brows], [{ location: clapham, ranges: [...days([2, 3, 4, 5], h(10), h(14)), ...days([2, 3, 4, 5], h(15), h(20)), ...days([6], h(9), h(18))] }]),
    await staff('sofiaRossi', 'Sofia Rossi', 'Nail & Brow Technician', [nails, brows], [
      { location: clapham, ranges: days([3, 4, 5, 6], h(10), h(18)) },
      { location: shoreditch, ranges: days([7], h(10), h(16)) },
    ]),
    await staff('tomHughes', 'Tom Hughes', 'Barber', [fade, cut, beard], [
      { location: shoreditch, ranges: days([1, 3, 5], h(9), h(17)) },
      { location: clapham, ranges: days([4, 6], h(10), h(18)) },
    ]),
    await staff('graceBennett', 'Grace Bennett', 'Junior Stylist', [cut, brows], [{ location: clapham, ranges: [...days([2, 3, 4, 5, 6], h(12), h(16)), ...days([2, 3, 4, 5, 6], h(16, 30), h(20))] }]),
  ];
  await addStaffException(database, systemActor(orgId, tick()), team[5]!.id, { date: addDays(today, 5), start: 0, end: 1440, kind: 'off', reason: 'Holiday' });
  await addStaffException(database, systemActor(orgId, tick()), team[0]!.id, { date: addDays(today, 2), start: h(16), end: h(18), kind: 'off', reason: 'Dentist' });
  await addStaffException(database, systemActor(orgId, tick()), team[1]!.id, { date: addDays(today, 6), start: h(10), end: h(14), kind: 'extra', locationId: shoreditch.id, reason: 'Covering Monday' });

  const rand = prng(20261128);
  const clientIds: string[] = [];
  for (let i = 0; i < 30; i++) {
    const first = FIRST[i]!;
    const last = LAST[(i * 7) % LAST.length]!;
    const row = await insertNewClient(database.db, orgId, {
      first_name: first, last_name: last,
      email: i % 6 === 5 ? null : `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + `@${DEMO_EMAIL_DOMAIN}`,
      phone: i % 5 === 4 ? null : demoPhone(100 + i),
    }, { emailMarketing: i % 3 === 0, smsMarketing: i % 4 === 0 }, tick());
    clientIds.push(row.id);
  }

  type Status = 'confirmed' | 'cancelled' | 'completed' | 'no_show';
  const book = (b: { reference: string; status: Status; location: LocationRow; service: ServiceRow; staffId: string; clientId: string; start: number; end: number; created: number; notes: string | null; source: 'api' | 'hub' }) =>
    insertBooking(database.db, orgId, {
      id: newId('bkg'), reference: b.reference, status: b.status, location_id: b.location.id, service_id: b.service.id, staff_id: b.staffId,
      client_id: b.clientId, start_ms: b.start, end_ms: b.end, block_end_ms: b.end + b.service.buffer_minutes * 60_000,
      duration_minutes: b.service.duration_minutes, buffer_minutes: b.service.buffer_minutes, price_amount: b.service.price_amount, currency: b.service.currency,
      service_name: b.service.name, notes: b.notes, source: b.source, created_at: b.created, updated_at: b.created,
      cancelled_at: b.status === 'cancelled' ? b.created + 3_600_000 : null, cancellation_reason: b.status === 'cancelled' ? 'Client rescheduled by phone' : null,
      cancelled_via: b.status === 'cancelled' ? 'hub' : null,
    });

  // The documented booking: four weeks out, past the seeded bookings, so it is there to fetch, move and cancel.
  const documented = Date.parse(nextDemoWeekdayAt(now + 27 * 86_400_000, h(15)));
  await book({ reference: DEMO_BOOKING_REFERENCE, status: 'confirmed', location: shoreditch, service: fade, staffId: team[0]!.id, clientId: clientIds[0]!,
    start: documented, end: documented + fade.duration_minutes * 60_000, created: now - 3_600_000, notes: null, source: 'hub' });

  // Bookings from two weeks ago to three weeks ahead, on slots the engine offers (as if booked in advance),
  // leaving Marcus Reid's documented window free (demo-facts.ts).
  const keptFree = (staffId: string, start: number, blockEnd: number) => {
    if (staffId !== team[0]!.id) return false;
    const local = DateTime.fromMillis(start, { zone: DEMO_TIME_ZONE });
    const startMinute = local.hour * 60 + local.minute;
    const endMinute = startMinute + (blockEnd - start) / 60_000;
    return (DEMO_KEPT_FREE.weekdays as readonly number[]).includes(local.weekday) && startMinute < DEMO_KEPT_FREE.end && endMinute > DEMO_KEPT_FREE.start;
  };
  const from = addDays(today, -14);
  const to = addDays(today, 21);
  const pastNow = Date.parse(`${from}T00:00:00Z`) - 86_400_000;
  const offers: [LocationRow, ServiceRow[]][] = [[shoreditch, [fade, cut, beard, shave, brows]], [clapham, [cut, colour, nails, brows, fade]]];
  for (const [location, services] of offers) {
    for (const service of services) {
      const staffIds = await eligibleStaffIds(database.db, orgId, location.id, service.id);
      const input = await loadEngineInput(database.db, orgId, { location, service, staffIds, from, to, now: pastNow });
      input.horizonDays = 400;
      const slots = computeSlots(input).filter(() => rand() < 0.045);
      for (const slot of slots) {
        const past = slot.start < now;
        const roll = rand();
        const status = roll < 0.1 ? 'cancelled' : past ? (roll < 0.15 ? 'no_show' : 'completed') : 'confirmed';
        const created = Math.min(slot.start - 86_400_000 * (1 + Math.floor(rand() * 10)), now - 3_600_000);
        const clientId = clientIds[Math.floor(rand() * clientIds.length)]!;
        const notes = rand() < 0.15 ? 'Prefers a quiet appointment.' : null;
        const source = rand() < 0.6 ? 'api' : 'hub';
        if (status !== 'cancelled' && keptFree(slot.staffId, slot.start, slot.end + service.buffer_minutes * 60_000)) continue;
        try {
          await book({ reference: newReference(), status, location, service, staffId: slot.staffId, clientId, start: slot.start, end: slot.end, created, notes, source });
        } catch (err) {
          if (!isOverlapViolation(err)) throw err; // a staff member already booked then: skip
        }
      }
    }
  }
  return [shoreditch.slug, clapham.slug];
}
