import type { Database } from '../../db/connect.js';
import { ApiError, notFound } from '../../http/errors.js';
import { parseHHMM } from '../../lib/wall-clock.js';
import { addDays } from '../../lib/zoned-date.js';
import type { Actor } from '../events/actor.js';
import { findLocationById, findLocationsByIds } from '../locations/locations.repo.js';
import { findStaff } from '../staff/staff.repo.js';
import { findClient } from '../clients/clients.repo.js';
import * as bookingsRepo from '../bookings/bookings.repo.js';
import { toBookingView } from '../bookings/bookings.service.js';
import { cancelBooking } from '../bookings/change-booking.js';
import type { BookingView } from '../bookings/bookings.schemas.js';
import { localToUtc } from '../availability/engine/index.js';

const DAY_MS = 86_400_000;
/** More than any shop has on the days one closure or absence covers; the answer says when it was cut. */
export const AFFECTED_LIMIT = 500;

export interface AffectedQuery {
  /** Location id: a closure's location. */
  location?: string;
  /** Staff id: whose time off. */
  staff?: string;
  /** Client id: whose erasure. */
  client?: string;
  /** Local dates (each booking's location zone), inclusive; both or neither. */
  from?: string;
  to?: string;
  /** Local wall-clock times "HH:MM" each of those days (a part-day absence); both or neither. */
  starts?: string;
  ends?: string;
}

/**
 * The bookings a closure, a staff member's time off or a client's erasure would leave behind (issue 12.2):
 * confirmed bookings that have not started (the ones that can still be cancelled) of that location, staff
 * member or client whose local date, in their location's zone, is within `from`..`to`, and, with
 * `starts`/`ends`, whose time overlaps that part of the day. Ordered by start. Unknown or foreign ids are
 * `404` on the parameter that names them; at most AFFECTED_LIMIT bookings (`has_more` says so).
 */
export async function affectedBookings(database: Database, orgId: string, q: AffectedQuery, now: number): Promise<{ object: 'list'; data: BookingView[]; has_more: boolean }> {
  const db = database.db;
  if (q.location && !(await findLocationById(db, orgId, q.location))) throw notFound('location_id', 'location');
  if (q.staff && !(await findStaff(db, orgId, q.staff))) throw notFound('staff', 'staff');
  if (q.client && !(await findClient(db, orgId, q.client))) throw notFound('client', 'client');
  if (!q.location && !q.staff && !q.client) throw new ApiError('parameter_missing', 'Name a `location`, `staff` or `client`.', 'location');
  // A UTC window wider than any zone's local days; each booking is then judged in its own location's zone.
  const after = Math.max(now + 1, q.from ? Date.parse(`${q.from}T00:00:00Z`) - DAY_MS : now + 1);
  const before = q.to ? Date.parse(`${addDays(q.to, 2)}T00:00:00Z`) : undefined;
  const rows = await bookingsRepo.listBookings(db, orgId, {
    locationId: q.location, staffId: q.staff, clientId: q.client, status: 'confirmed', startsAfter: after, startsBefore: before,
  }, AFFECTED_LIMIT * 2);
  const zones = new Map((await findLocationsByIds(db, orgId, [...new Set(rows.map((r) => r.location_id))])).map((l) => [l.id, l.time_zone]));
  const hit = rows.filter((r) => {
    if (!q.from || !q.to) return true;
    const zone = zones.get(r.location_id)!;
    for (let date = q.from; date <= q.to; date = addDays(date, 1)) {
      const dayStart = localToUtc(date, q.starts ? parseHHMM(q.starts) : 0, zone);
      const dayEnd = q.ends ? localToUtc(date, parseHHMM(q.ends), zone) : localToUtc(addDays(date, 1), 0, zone);
      if (r.start_ms < dayEnd && r.end_ms > dayStart) return true;
    }
    return false;
  });
  return { object: 'list', data: hit.slice(0, AFFECTED_LIMIT).map(toBookingView), has_more: hit.length > AFFECTED_LIMIT };
}

/**
 * Cancels several bookings with one reason (the one the clients will be told), each through the booking
 * core's `cancelBooking` use case in its own transaction, in order. A booking that cannot be cancelled any
 * more (already cancelled, started, changed meanwhile, unknown) is reported with its error, not fatal.
 */
export async function cancelMany(database: Database, actor: Actor, references: string[], reason: string) {
  const cancelled: BookingView[] = [];
  const refused: { reference: string; error: { code: string; message: string } }[] = [];
  for (const reference of [...new Set(references)]) {
    try {
      cancelled.push(await cancelBooking(database, actor, reference, { reason }));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      refused.push({ reference, error: { code: err.code, message: err.message } });
    }
  }
  return { object: 'cancellation' as const, reason, cancelled, refused };
}
