import type { Kysely, SelectQueryBuilder } from 'kysely';
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

/** Where the engine's rows come from: a location by id or slug, staff by ids or by a subquery of ids. */
export interface EngineRowsScope {
  location: { id: string } | { slug: string };
  staff: string[] | SelectQueryBuilder<DB, 'staff', { id: string }>;
  from: string;
  to: string;
  excludeBookingId?: string;
}

/**
 * The four reads behind an engine input (closures, hours, exceptions, live bookings), as queries to run in
 * one `readBatch`, possibly together with other reads (a booking resolves its request in the same trip).
 */
export function engineRowsQueries(db: Kysely<DB>, orgId: string, scope: EngineRowsScope) {
  const { from, to } = scope;
  // A UTC window that surely covers every local date in [from, to], whatever the zone's offset.
  const fromMs = Date.parse(`${from}T00:00:00Z`) - DAY_MS;
  const toMs = Date.parse(`${addDays(to, 1)}T00:00:00Z`) + DAY_MS;
  const staffIds = Array.isArray(scope.staff) ? (scope.staff.length ? scope.staff : ['']) : scope.staff;
  const loc = scope.location;
  const locationId = 'id' in loc ? loc.id
    : db.selectFrom('locations').select('id').where('org_id', '=', orgId).where('slug', '=', loc.slug);
  return [
    db.selectFrom('location_closures').select(['starts_on', 'ends_on']).where('org_id', '=', orgId).where('location_id', '=', locationId)
      .where('ends_on', '>=', from).where('starts_on', '<=', to),
    db.selectFrom('staff_hours').selectAll().where('org_id', '=', orgId).where('staff_id', 'in', staffIds).where('location_id', '=', locationId),
    db.selectFrom('staff_exceptions').selectAll().where('org_id', '=', orgId).where('staff_id', 'in', staffIds)
      .where('date', '>=', addDays(from, -1)).where('date', '<=', addDays(to, 1)),
    bookingsRepo.busyIntervalsQuery(db, orgId, staffIds, fromMs, toMs, scope.excludeBookingId),
  ] as const;
}

export type EngineRows = [
  { starts_on: string; ends_on: string }[],
  staffRepo.StaffHoursRow[],
  staffRepo.StaffExceptionRow[],
  { staff_id: string; start_ms: number; block_end_ms: number }[],
];

/** Pure: rows (a superset is fine) → the engine's input for these staff at this location. */
export function toEngineInput(
  args: { location: LocationRow; service: ServiceRow; staffIds: string[]; from: string; to: string; now: number },
  [closures, hours, exceptions, busy]: EngineRows,
): EngineInput {
  const { location, service, staffIds, from, to } = args;
  const staff: StaffInput[] = staffIds.map((id) => {
    const mine = exceptions.filter((e) => e.staff_id === id && (e.location_id === null || e.location_id === location.id));
    return {
      id,
      weeklyHours: hours.filter((h) => h.staff_id === id && h.location_id === location.id)
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

/** The engine's rows for a scope, in one batched read (one round trip on PostgreSQL). */
export async function loadEngineRows(db: Kysely<DB>, orgId: string, scope: EngineRowsScope): Promise<EngineRows> {
  const [closures, hours, exceptions, busy] = await readBatch(db, engineRowsQueries(db, orgId, scope));
  return [closures, hours, exceptions, busy];
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
  const rows = await loadEngineRows(db, orgId, { location: { id: args.location.id }, staff: args.staffIds, from: args.from, to: args.to, excludeBookingId: args.excludeBookingId });
  return toEngineInput(args, rows);
}
