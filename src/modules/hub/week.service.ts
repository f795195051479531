import type { Database } from '../../db/connect.js';
import { addDays, localDate } from '../../lib/zoned-date.js';
import { requireLocation } from '../locations/locations.service.js';
import { requireStaff } from '../staff/staff.service.js';
import { diaryDay } from './diary.service.js';

type Day = Awaited<ReturnType<typeof diaryDay>>;

/** Monday (ISO weekday 1) of the week holding a `YYYY-MM-DD` date: calendar arithmetic, no zone involved. */
export function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday
  return addDays(date, -weekday);
}

/**
 * A location's week for the diary's week view: seven diary days, Monday to Sunday in the location's zone
 * (each 23, 24 or 25 hours long), holding `date` (default today there), and everyone who works there that
 * week. With `staff`, the days hold only that staff member's working time, time off and bookings (their own
 * week); an unknown staff id is `404` on `staff`.
 * Each day is exactly what `GET /diary` answers for it, so the two views never disagree.
 */
export async function diaryWeek(database: Database, orgId: string, query: { location: string; date?: string; staff?: string }, now: number) {
  const location = await requireLocation(database, orgId, query.location, 'location');
  if (query.staff) await requireStaff(database, orgId, query.staff, 'staff');
  const from = mondayOf(query.date ?? localDate(now, location.time_zone));
  const dates = Array.from({ length: 7 }, (_, i) => addDays(from, i));
  const days: Day[] = [];
  // One day after another: SQLite serialises them anyway, and PostgreSQL keeps its pool for other requests.
  for (const date of dates) days.push(await diaryDay(database, orgId, { location: location.slug, date }, now));

  const only = <T extends { id: string }>(list: T[]) => (query.staff ? list.filter((s) => s.id === query.staff) : list);
  const staff = new Map<string, Day['staff'][number]>();
  // Everyone who works here that week (to choose whose week to see); the days hold only the one asked for.
  for (const d of days) for (const s of d.staff) if (!staff.has(s.id) || s.bookable) staff.set(s.id, { ...s, working: [], time_off: [] });
  return {
    object: 'diary_week' as const,
    location: days[0]!.location,
    from,
    to: dates[6]!,
    now: days[0]!.now,
    services: days[0]!.services,
    staff: [...staff.values()],
    days: days.map((d) => ({
      date: d.date,
      day_starts_at: d.day_starts_at,
      day_ends_at: d.day_ends_at,
      closed: d.closed,
      opening_hours: d.opening_hours,
      staff: only(d.staff),
      bookings: query.staff ? d.bookings.filter((b) => b.staff.id === query.staff) : d.bookings,
    })),
  };
}
