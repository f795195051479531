import type { Database } from '../../db/connect.js';
import { iso } from '../../http/schemas.js';
import { localDate } from '../../lib/zoned-date.js';
import { requireLocation } from '../locations/locations.service.js';
import { listServices } from '../catalog/catalog.repo.js';
import * as staffRepo from '../staff/staff.repo.js';
import * as bookingsRepo from '../bookings/bookings.repo.js';
import { toBookingView } from '../bookings/bookings.service.js';
import { buildLocalDays, dayMinuteToInstant, loadZone, type LocalDay } from '../availability/engine/index.js';

const interval = (day: LocalDay, start: number, end: number) => ({ starts_at: iso(dayMinuteToInstant(day, start)), ends_at: iso(dayMinuteToInstant(day, end)) });

/**
 * One location's day for the diary: its local day as instants (23 or 25 hours on a clock change), opening
 * hours, each staff member's working time and time off that day, the day's bookings (all statuses), and
 * the services it offers (for new bookings).
 */
export async function diaryDay(database: Database, orgId: string, query: { location: string; date?: string }, now: number) {
  const db = database.db;
  const location = await requireLocation(database, orgId, query.location, 'location');
  const date = query.date ?? localDate(now, location.time_zone);
  const day = buildLocalDays(loadZone(location.time_zone), date, date)[0]!;

  const [linked, bookings, services, closure] = await Promise.all([
    staffRepo.listStaff(db, orgId, { locationId: location.id }, 1000),
    bookingsRepo.listBookings(db, orgId, { locationId: location.id, startsAfter: day.start, startsBefore: day.end }, 2000),
    listServices(db, orgId, { locationId: location.id, activeOnly: true }, 1000),
    db.selectFrom('location_closures').select(['reason']).where('org_id', '=', orgId).where('location_id', '=', location.id)
      .where('starts_on', '<=', date).where('ends_on', '>=', date).executeTakeFirst(),
  ]);
  // Someone no longer linked to the location still shows if they have a booking here that day.
  const missing = [...new Set(bookings.map((b) => b.staff_id))].filter((id) => !linked.some((s) => s.id === id));
  const extra = missing.length ? await db.selectFrom('staff').selectAll().where('org_id', '=', orgId).where('id', 'in', missing).execute() : [];
  const staff = [...linked, ...extra];
  const ids = staff.map((s) => s.id);
  const [links, exceptions] = await Promise.all([staffRepo.linksFor(db, orgId, ids), staffRepo.exceptionsFor(db, orgId, ids, date, date)]);

  const opening = (JSON.parse(location.opening_hours) as { weekday: number; start: number; end: number }[])
    .filter((r) => r.weekday === day.weekday).sort((a, b) => a.start - b.start);
  return {
    object: 'diary_day' as const,
    location: { id: location.id, slug: location.slug, name: location.name, time_zone: location.time_zone },
    date,
    day_starts_at: iso(day.start),
    day_ends_at: iso(day.end),
    now: iso(now),
    closed: closure ? { reason: closure.reason } : null,
    opening_hours: closure ? [] : opening.map((r) => interval(day, r.start, r.end)),
    staff: staff.map((s) => {
      const mine = exceptions.filter((e) => e.staff_id === s.id && (e.location_id === null || e.location_id === location.id));
      const weekly = links.hours.filter((h) => h.staff_id === s.id && h.location_id === location.id && h.weekday === day.weekday);
      return {
        id: s.id,
        display_name: s.display_name,
        title: s.title,
        bookable: s.bookable === 1 && linked.includes(s),
        service_ids: links.services.filter((x) => x.staff_id === s.id).map((x) => x.service_id),
        working: [
          ...(closure ? [] : weekly.map((h) => interval(day, h.start_minute, h.end_minute))),
          ...mine.filter((e) => e.kind === 'extra').map((e) => interval(day, e.start_minute, e.end_minute)),
        ].sort((a, b) => a.starts_at.localeCompare(b.starts_at)),
        time_off: mine.filter((e) => e.kind === 'off').map((e) => ({ ...interval(day, e.start_minute, e.end_minute), reason: e.reason })),
      };
    }),
    bookings: bookings.map(toBookingView),
    services: services.map((s) => ({ id: s.id, name: s.name, duration_minutes: s.duration_minutes, buffer_minutes: s.buffer_minutes, price: { amount: s.price_amount, currency: s.currency } })),
  };
}
