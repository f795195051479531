import type { Database } from '../../db/connect.js';
import { remember, versionedMemo, type OrgVersionReader, type VersionedMemo } from '../../db/change-signal.js';
import { ApiError, notFound } from '../../http/errors.js';
import { iso } from '../../http/schemas.js';
import { localDate, addDays, daysBetween } from '../../lib/zoned-date.js';
import { requireLocation } from '../locations/locations.service.js';
import { requireService } from '../catalog/catalog.service.js';
import { requireStaff } from '../staff/staff.service.js';
import { isServiceOfferedAt } from '../catalog/catalog.repo.js';
import { findBookingByReference } from '../bookings/bookings.repo.js';
import { normaliseReference } from '../bookings/reference.js';
import { computeSlots } from './engine/index.js';
import { eligibleStaffIds, loadEngineInput } from './availability.context.js';
import type { LocationLimit } from '../locations/location-limit.js';

export const MAX_RANGE_DAYS = 62;
const MINUTE = 60_000;

type AvailabilityQuery = { service: string; staff?: string; from?: string; to?: string; exclude_booking?: string };
type Computed = Awaited<ReturnType<typeof computeAvailability>>;
type Answer = Computed['answer'];

/**
 * Availability is the most expensive read (the engine walks every staff member's days), and integrations poll
 * it. An answer is memoised per app while the org's data version (db/change-signal.ts) is unchanged and within
 * the same minute: it is computed for the start of the minute with the horizon one minute longer (a superset),
 * then cut to the exact notice and horizon for `now`, so a memoised answer is exactly the fresh one
 * (docs/caches.md).
 */
export type AvailabilityMemo = VersionedMemo<Computed & { cut?: { range: string; answer: Answer } }>;
/** The availability memo: one per app (buildApp creates it and drops it on close). */
export const availabilityMemo = (): AvailabilityMemo => versionedMemo(2000);

export interface AvailabilityDeps {
  database: Database;
  /** Without caches every answer is computed afresh for `now`. */
  caches?: { availability: AvailabilityMemo; versions: OrgVersionReader };
}

/**
 * The bookable slots for `query` at location `slug` (API.md availability), as seen at `now` (epoch ms).
 * `version` is the org's data version read with the request's credentials, when it has one; otherwise it is
 * read here (one coalesced query on PostgreSQL). Raises 404 `resource_not_found` for an unknown location,
 * service, staff member or `exclude_booking`, and 400 `parameter_invalid` for a range or pairing that
 * cannot be answered. `within`: a location-limited caller gets `404` for another location (checked before the memo).
 */
export async function getAvailability(deps: AvailabilityDeps, orgId: string, slug: string, query: AvailabilityQuery, now: number, version?: number, within?: LocationLimit): Promise<Answer> {
  const { database, caches } = deps;
  if (within) await requireLocation(database, orgId, slug, undefined, within);
  if (!caches) return (await computeAvailability(database, orgId, slug, query, now, now, 0)).answer;
  const seen = version ?? (await caches.versions(orgId));
  const minute = Math.floor(now / MINUTE) * MINUTE;
  const key = `${orgId}\u0001${slug}\u0001${query.service}\u0001${query.staff ?? ''}\u0001${query.from ?? ''}\u0001${query.to ?? ''}\u0001${query.exclude_booking ?? ''}`;
  const entry = remember(caches.availability, key, seen, minute, () => computeAvailability(database, orgId, slug, query, minute, now, 1 / 1440));
  return cutToNow(await entry.value, now);
}

/** The memoised superset cut to exactly what `now` allows; the same object while the cut is the same. */
function cutToNow(computed: Computed & { cut?: { range: string; answer: Answer } }, now: number): Answer {
  const { starts, answer } = computed;
  const first = now + computed.minNoticeMinutes * MINUTE;
  const last = now + computed.horizonDays * 86_400_000;
  // Slots are ordered by start, so what `now` allows is one contiguous run [from, to).
  let from = 0;
  while (from < starts.length && starts[from]! < first) from++;
  let to = starts.length;
  while (to > from && starts[to - 1]! > last) to--;
  if (from === 0 && to === starts.length) return answer;
  const range = `${from}:${to}`;
  if (computed.cut?.range !== range) computed.cut = { range, answer: { ...answer, slots: answer.slots.slice(from, to) } };
  return computed.cut.answer;
}

async function computeAvailability(database: Database, orgId: string, slug: string, query: AvailabilityQuery, engineNow: number, now: number, extraHorizonDays: number) {
  // Independent reads go out together (one wait per stage, not one per read); each error is still raised
  // where its parameter is checked, whichever read finished first.
  const [locationRead, serviceRead, staffRead, bookingRead] = await Promise.allSettled([
    requireLocation(database, orgId, slug),
    requireService(database, orgId, query.service, 'service'),
    query.staff !== undefined ? requireStaff(database, orgId, query.staff, 'staff') : undefined,
    query.exclude_booking !== undefined ? findBookingByReference(database.db, orgId, normaliseReference(query.exclude_booking)) : undefined,
  ]);
  const location = settled(locationRead);
  const service = settled(serviceRead);
  const from = query.from ?? localDate(now, location.time_zone); // (memoised per minute; "today" changes on a minute)
  const to = query.to ?? addDays(from, 6);
  if (to < from) throw new ApiError('parameter_invalid', '`to` must not be before `from`.', 'to');
  if (daysBetween(from, to) > MAX_RANGE_DAYS) throw new ApiError('parameter_invalid', `\`from\` and \`to\` may be at most ${MAX_RANGE_DAYS} days apart.`, 'to');
  const [offered, eligible] = await Promise.all([isServiceOfferedAt(database.db, orgId, service.id, location.id), eligibleStaffIds(database.db, orgId, location.id, service.id)]);
  if (service.active !== 1 || !offered) throw new ApiError('parameter_invalid', 'This service is not offered at this location.', 'service');
  let staffIds = eligible;
  if (query.staff !== undefined) {
    const namedStaff = settled(staffRead)!;
    if (!eligible.includes(namedStaff.id)) throw new ApiError('parameter_invalid', 'This staff member does not offer this service at this location.', 'staff');
    staffIds = [namedStaff.id];
  }
  let excludeBookingId: string | undefined;
  let asBooked = service;
  if (query.exclude_booking !== undefined) {
    const booking = settled(bookingRead);
    if (!booking) throw notFound('booking', 'exclude_booking');
    if (booking.service_id !== service.id || booking.location_id !== location.id) {
      throw new ApiError('parameter_invalid', `Booking \`${booking.reference}\` is for another service or location: ask availability for its own service and location to reschedule it.`, 'exclude_booking');
    }
    excludeBookingId = booking.id;
    // Exactly what a reschedule checks: the booking's own time counts as free, and the slots are computed
    // with the duration and buffer it was booked with, not the service's current ones.
    asBooked = { ...service, duration_minutes: booking.duration_minutes, buffer_minutes: booking.buffer_minutes };
  }
  const input = await loadEngineInput(database.db, orgId, { location, service: asBooked, staffIds, from, to, now: engineNow, excludeBookingId });
  input.horizonDays += extraHorizonDays;
  const slots = computeSlots(input);
  return {
    answer: {
      object: 'availability' as const,
      location: location.slug,
      service: service.id,
      time_zone: location.time_zone,
      from,
      to,
      slots: slots.map((s) => ({ starts_at: iso(s.start), ends_at: iso(s.end), staff_id: s.staffId })),
    },
    starts: slots.map((s) => s.start),
    minNoticeMinutes: location.min_notice_minutes,
    horizonDays: location.horizon_days,
  };
}

/** The value of a settled read, or its error raised now. */
function settled<T>(read: PromiseSettledResult<T>): T {
  if (read.status === 'rejected') throw read.reason;
  return read.value;
}
