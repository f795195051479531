import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { isOverlapViolation } from '../../db/errors.js';
import { lockKeys, staffLockKey } from '../../db/locks.js';
import { RetryableConflict, runTransaction } from '../../db/transaction.js';
import { ApiError, notFound } from '../../http/errors.js';
import { addDays, localDate } from '../../lib/zoned-date.js';
import type { Actor } from '../events/actor.js';
import { changedAttributes, recordEvent } from '../events/events.service.js';
import type { EventType } from '../events/events.types.js';
import { findLocationById } from '../locations/locations.repo.js';
import { findService } from '../catalog/catalog.repo.js';
import { eligibleStaff, loadEngineRows } from '../availability/availability.context.js';
import * as repo from './bookings.repo.js';
import type { BookingView } from './bookings.schemas.js';
import { requireBooking, toBookingView } from './bookings.service.js';
import { notModifiable, slotUnavailable } from './bookings.refusals.js';
import { checkCandidates, resolveStart, type BookingRules, type StartInput } from './booking-rules.js';
import type { ChangeOptions } from './create-booking.js';

/**
 * Changes to an existing booking. Each decides on the state it reads inside its own transaction and writes
 * with a guarded update (`updateBookingIfUnchanged`): if another request changed the booking in between, the
 * update touches nothing and the whole transaction runs again on the new state, which then answers
 * `409 booking_not_modifiable` (a cancelled booking never moves) or acts on what the winner left. So of
 * concurrent changes each happens once, and no request answers success with a state it did not make.
 */

const changedMeanwhile = () => new RetryableConflict(notModifiable('This booking was changed by another request at the same moment. Fetch it and try again.'));

/** A confirmed booking that has not started may be moved or cancelled. */
function assertOpen(row: repo.BookingDetailRow, now: number): void {
  if (row.status !== 'confirmed') throw notModifiable(`This booking is ${row.status.replace('_', ' ')} and can no longer be changed.`, row.status);
  if (row.start_ms <= now) throw notModifiable('This booking has already started and can no longer be moved or cancelled.', row.status);
}

/** Next `updated_at`: strictly later than the last, so the guard and cached views always see a change. */
const nextUpdatedAt = (row: { updated_at: number }, now: number) => Math.max(now, row.updated_at + 1);

async function reread(trx: Kysely<DB>, orgId: string, reference: string): Promise<BookingView> {
  return toBookingView((await repo.findBookingByReference(trx, orgId, reference))!);
}

async function record(trx: Kysely<DB>, actor: Actor, type: EventType, before: BookingView, after: BookingView, locationId: string): Promise<void> {
  await recordEvent(trx, actor, { type, object: after, previous_attributes: changedAttributes(before, after), locationIds: [locationId] });
}

export interface RescheduleInput {
  start: StartInput;
  /** Move to this staff member; omitted = the booking keeps its staff member (API.md §6). */
  staff?: string;
  /** Hub only: rules knowingly set aside. */
  setAside?: BookingRules['setAside'];
}

/**
 * Moves a booking (same reference) to a new start and optionally another staff member, checked exactly as
 * availability with `exclude_booking` offers it: the booking's own time counts as free, and the booking
 * keeps the duration, buffer and price it was booked with. Records `booking.rescheduled` with the old
 * `starts_at`, `ends_at` and `staff`. Errors: `404` (booking, staff), `409 booking_not_modifiable` (not
 * confirmed, started, or already at that time with that staff member), `409 slot_unavailable` naming the
 * staff member and, when `staff` was omitted and someone else is free then, how to move to them.
 */
export async function rescheduleBooking(database: Database, actor: Actor, reference: string, input: RescheduleInput, opts: ChangeOptions<BookingView> = {}): Promise<BookingView> {
  if (input.setAside?.length && actor.source !== 'hub') throw new Error('rescheduleBooking: only the Hub may set rules aside');
  const orgId = actor.orgId;
  return runTransaction(database, async (trx) => {
    const booking = await requireBooking(trx, orgId, reference, undefined, actor.locationIds);
    assertOpen(booking, actor.now);
    const location = (await findLocationById(trx, orgId, booking.location_id))!;
    const current = (await findService(trx, orgId, booking.service_id))!;
    // The booking keeps what it was booked with: its duration and buffer, not the service's current ones.
    const service = { ...current, duration_minutes: booking.duration_minutes, buffer_minutes: booking.buffer_minutes };
    const eligible = await eligibleStaff(trx, orgId, location.id, service.id);
    const staffId = input.staff ?? booking.staff_id;
    if (input.staff !== undefined && !eligible.some((s) => s.id === input.staff)) {
      const named = await trx.selectFrom('staff').select('display_name').where('org_id', '=', orgId).where('id', '=', input.staff).executeTakeFirst();
      if (!named) throw notFound('staff', 'staff');
    }
    const startMs = resolveStart(input.start, location.time_zone);
    const rules: BookingRules = { location, service, startMs, now: actor.now, setAside: input.setAside ?? [] };
    const staffName = staffId === booking.staff_id ? booking.staff_name : eligible.find((s) => s.id === staffId)?.display_name;
    if (!eligible.some((s) => s.id === staffId)) {
      throw slotUnavailable('staff_does_not_offer_service', { ...rules, staffName: staffName ?? 'This staff member' }, 'staff');
    }
    if (startMs === booking.start_ms && staffId === booking.staff_id) {
      throw notModifiable(`This booking is already at that time with ${booking.staff_name}.`, booking.status);
    }

    await lockKeys(trx, [staffLockKey(orgId, staffId)]);
    const day = localDate(startMs, location.time_zone);
    const others = input.staff === undefined ? eligible.map((s) => s.id).filter((id) => id !== staffId) : [];
    const rows = await loadEngineRows(trx, orgId, { location: { id: location.id }, staff: [staffId, ...others], from: addDays(day, -1), to: addDays(day, 1), excludeBookingId: booking.id });
    const [verdict, ...alternatives] = checkCandidates(rules, [staffId, ...others], rows);
    if (verdict!.reason !== null) {
      const free = alternatives.filter((a) => a.reason === null).map((a) => eligible.find((s) => s.id === a.id)!);
      const fix = input.staff !== undefined ? undefined
        : free.length ? `A reschedule keeps the booking's staff member unless you pass \`staff\`: ${free.map((s) => `${s.display_name} (\`${s.id}\`)`).join(', ')} ${free.length === 1 ? 'is' : 'are'} free then.`
        : 'A reschedule keeps the booking\'s staff member unless you pass `staff`; no one else who offers this service is free then either.';
      throw slotUnavailable(verdict!.reason, { ...rules, staffName, fix });
    }

    const before = toBookingView(booking);
    try {
      const moved = await repo.updateBookingIfUnchanged(trx, orgId, booking.id, booking, {
        staff_id: staffId,
        start_ms: startMs,
        end_ms: startMs + booking.duration_minutes * 60_000,
        block_end_ms: startMs + (booking.duration_minutes + booking.buffer_minutes) * 60_000,
        rules_set_aside: verdict!.setAside.length ? JSON.stringify(verdict!.setAside) : null,
        updated_at: nextUpdatedAt(booking, actor.now),
      });
      if (!moved) throw changedMeanwhile();
    } catch (err) {
      if (isOverlapViolation(err)) throw new RetryableConflict(slotUnavailable('overlaps_booking', { ...rules, staffName }));
      throw err;
    }
    const after = await reread(trx, orgId, booking.reference);
    await record(trx, actor, 'booking.rescheduled', before, after, location.id);
    await opts.beforeCommit?.(trx, after);
    return after;
  });
}

/**
 * Cancels a confirmed booking that has not started, freeing its time at once; records `booking.cancelled`.
 * `via` is the door (`api`, `hub`, `online`). Errors: `404`, `409 booking_not_modifiable`.
 */
export async function cancelBooking(database: Database, actor: Actor, reference: string, input: { reason?: string }, opts: ChangeOptions<BookingView> = {}): Promise<BookingView> {
  const orgId = actor.orgId;
  return runTransaction(database, async (trx) => {
    const booking = await requireBooking(trx, orgId, reference, undefined, actor.locationIds);
    assertOpen(booking, actor.now);
    const before = toBookingView(booking);
    const done = await repo.updateBookingIfUnchanged(trx, orgId, booking.id, booking, {
      status: 'cancelled',
      cancelled_at: actor.now,
      cancellation_reason: input.reason ?? null,
      cancelled_via: actor.source,
      updated_at: nextUpdatedAt(booking, actor.now),
    });
    if (!done) throw changedMeanwhile();
    const after = await reread(trx, orgId, booking.reference);
    await record(trx, actor, 'booking.cancelled', before, after, booking.location_id);
    await opts.beforeCommit?.(trx, after);
    return after;
  });
}

/**
 * After the appointment has started: marks it `completed` or `no_show` (records `booking.completed` /
 * `booking.no_show`). A mistaken outcome may be corrected to the other one; the same outcome twice, a
 * cancelled booking, or one not yet started is `409 booking_not_modifiable`.
 */
export async function recordOutcome(database: Database, actor: Actor, reference: string, status: 'completed' | 'no_show', opts: ChangeOptions<BookingView> = {}): Promise<BookingView> {
  const orgId = actor.orgId;
  return runTransaction(database, async (trx) => {
    const booking = await requireBooking(trx, orgId, reference, undefined, actor.locationIds);
    if (booking.status === 'cancelled') throw notModifiable('This booking was cancelled.', booking.status);
    if (booking.status === status) throw notModifiable(`This booking is already marked ${status === 'no_show' ? 'as a no-show' : 'completed'}.`, booking.status);
    if (booking.start_ms > actor.now) throw notModifiable('A booking can be marked completed or no-show once it has started.', booking.status);
    const before = toBookingView(booking);
    const done = await repo.updateBookingIfUnchanged(trx, orgId, booking.id, booking, { status, updated_at: nextUpdatedAt(booking, actor.now) });
    if (!done) throw changedMeanwhile();
    const after = await reread(trx, orgId, booking.reference);
    await record(trx, actor, status === 'completed' ? 'booking.completed' : 'booking.no_show', before, after, booking.location_id);
    await opts.beforeCommit?.(trx, after);
    return after;
  });
}
