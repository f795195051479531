import type { Database } from '../../db/connect.js';
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
 * it. On SQLite an answer is memoised while the data is unchanged (`dataEpoch`) and within the same minute:
 * it is computed for the start of the minute with the horizon one minute longer (a superset), then cut to the
 * exact notice and horizon for `now`, so a cached answer is exactly the fresh one.
 */
interface MemoEntry { epoch: number; minute: number; computed: Promise<Computed>; cut?: { range: string; answer: Answer } }
const memo = new Map<string, MemoEntry>();

/** `within`: a location-limited caller gets `404` for another location (checked before the memo). */
export async function getAvailability(database: Database, orgId: string, slug: string, query: AvailabilityQuery, now: number, within?: LocationLimit) {
  if (within) await requireLocation(database, orgId, slug, undefined, within);
  const epoch = database.dataEpoch?.();
  if (epoch === undefined) return (await computeAvailability(database, orgId, slug, query, now, now, 0)).answer;
  const minute = Math.floor(now / MINUTE) * MINUTE;
  const key = `${orgId}\u0001${slug}\u0001${query.service}\u0001${query.staff ?? ''}\u0001${query.from ?? ''}\u0001${query.to ?? ''}\u0001${query.exclude_booking ?? ''}`;
  let entry = memo.get(key);
  if (!entry || entry.epoch !== epoch || entry.minute !== minute) {
    // Callers arriving while it is computed share the one computation (no stampede after each change).
    const computed = computeAvailability(database, orgId, slug, query, minute, now, 1 / 1440);
    if (memo.size >= 2000) memo.clear();
    entry = { epoch, minute, computed };
    memo.set(key, entry);
    computed.catch(() => memo.get(key) === entry && memo.delete(key)); // errors are not remembered
  }
  return cutToNow(entry, await entry.computed, now);
}

/** The memoised superset cut to exactly what `now` allows; the same object while the cut is the same. */
function cutToNow(entry: MemoEntry, computed: Computed, now: number): Answer {
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
  if (entry.cut?.range !== range) entry.cut = { range, answer: { ...answer, slots: answer.slots.slice(from, to) } };
  return entry.cut.answer;
}

async function computeAvailability(database: Database, orgId: string, slug: string, query: AvailabilityQuery, engineNow: number, now: number, extraHorizonDays: number) {
  const location = await requireLocation(database, orgId, slug);
  const service = await requireService(database, orgId, query.service, 'service');
  const from = query.from ?? localDate(now, location.time_zone); // (memoised per minute; "today" changes on a minute)
  const to = query.to ?? addDays(from, 6);
  if (to < from) throw new ApiError('parameter_invalid', '`to` must not be before `from`.', 'to');
  if (daysBetween(from, to) > MAX_RANGE_DAYS) throw new ApiError('parameter_invalid', `\`from\` and \`to\` may be at most ${MAX_RANGE_DAYS} days apart.`, 'to');
  if (service.active !== 1 || !(await isServiceOfferedAt(database.db, orgId, service.id, location.id))) {
    throw new ApiError('parameter_invalid', 'This service is not offered at this location.', 'service');
  }
  const eligible = await eligibleStaffIds(database.db, orgId, location.id, service.id);
  let staffIds = eligible;
  if (query.staff !== undefined) {
    const staff = await requireStaff(database, orgId, query.staff, 'staff');
    if (!eligible.includes(staff.id)) throw new ApiError('parameter_invalid', 'This staff member does not offer this service at this location.', 'staff');
    staffIds = [staff.id];
  }
  let excludeBookingId: string | undefined;
  let asBooked = service;
  if (query.exclude_booking !== undefined) {
    const booking = await findBookingByReference(database.db, orgId, normaliseReference(query.exclude_booking));
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
