import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { addDays } from '../../lib/zoned-date.js';
import { readBatch } from '../../db/batch.js';
import type { StoredRange } from '../../lib/wall-clock.js';
import type { LocationRow } from '../locations/locations.repo.js';
import type { ServiceRow } from '../catalog/catalog.repo.js';
import * as staffRepo from '../staff/staff.repo.js';
import * as bookingsRepo from '../bookings/bookings.repo.js';
import type { EngineInput, StaffInput } from './engine/index.js';

const DAY_MS = 86_400_000;

/** Staff who may be booked for this service at this location: bookable, working there, performing it. */
export function eligibleStaff(db: Kysely<DB>, orgId: string, locationId: string, serviceId: string): Promise<staffRepo.StaffRow[]> {
  return staffRepo.listStaff(db, orgId, { locationId, serviceId, bookableOnly: true }, 1000);
}

export async function eligibleStaffIds(db: Kysely<DB>, orgId: string, locationId: string, serviceId: string): Promise<string[]> {
  return (await eligibleStaff(db, orgId, locationId, serviceId)).map((r) => r.id);
}

/**
 * Everything the pure engine needs, read in one place (and, for bookings, inside the booking's transaction):
 * the location's rules and closures, each staff member's hours there, their dated exceptions, and their live
 * bookings at any location (a barber booked across town is busy here too).
 */
export async function loadEngineInput(
  db: Kysely<DB>,
  orgId: string,
  args: { location: LocationRow; service: ServiceRow; staffIds: string[]; from: string; to: string; now: number; excludeBookingId?: string },
): Promise<EngineInput> {
  const { location, service, staffIds, from, to } = args;
  // A UTC window that surely covers every local date in [from, to], whatever the zone's offset.
  const fromMs = Date.parse(`${from}T00:00:00Z`) - DAY_MS;
  const toMs = Date.parse(`${addDays(to, 1)}T00:00:00Z`) + DAY_MS;
  const ids = staffIds.length ? staffIds : [''];
  const [closures, hours, exceptions, busy] = await readBatch(db, [
    db.selectFrom('location_closures').select(['starts_on', 'ends_on']).where('org_id', '=', orgId).where('location_id', '=', location.id)
      .where('ends_on', '>=', from).where('starts_on', '<=', to),
    staffRepo.hoursAtQuery(db, orgId, ids, location.id),
    staffRepo.exceptionsQuery(db, orgId, ids, addDays(from, -1), addDays(to, 1)),
    bookingsRepo.busyIntervalsQuery(db, orgId, ids, fromMs, toMs, args.excludeBookingId),
  ] as const);
  const staff: StaffInput[] = staffIds.map((id) => {
    const mine = exceptions.filter((e) => e.staff_id === id && (e.location_id === null || e.location_id === location.id));
    return {
      id,
      weeklyHours: hours.filter((h) => h.staff_id === id)
        .map((h) => ({ weekday: h.weekday as StoredRange['weekday'], start: h.start_minute, end: h.end_minute })),
      timeOff: mine.filter((e) => e.kind === 'off').map((e) => ({ date: e.date, start: e.start_minute, end: e.end_minute })),
      extraHours: mine.filter((e) => e.kind === 'extra').map((e) => ({ date: e.date, start: e.start_minute, end: e.end_minute })),
      busy: busy.filter((b) => b.staff_id === id).map((b) => ({ start: b.start_ms, end: b.block_end_ms })),
    };
  });
  return {
    now: args.now,
    timeZone: location.time_zone,
    from,
    to,
    openingHours: JSON.parse(location.opening_hours) as StoredRange[],
    closures: closures.map((c) => ({ from: c.starts_on, to: c.ends_on })),
    minNoticeMinutes: location.min_notice_minutes,
    horizonDays: location.horizon_days,
    service: { durationMinutes: service.duration_minutes, bufferMinutes: service.buffer_minutes, slotInterval: service.slot_interval as EngineInput['service']['slotInterval'] },
    staff,
  };
}
