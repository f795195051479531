import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB, BookingStatus } from '../../db/schema.js';
import { isOverlapViolation, isUniqueViolation } from '../../db/errors.js';
import { lockKeys, lockStatement, staffLockKey } from '../../db/locks.js';
import { readBatch } from '../../db/batch.js';
import { ApiError } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso, isoOrNull } from '../../http/schemas.js';
import { newId, newReference } from '../../lib/ids.js';
import { localDate, addDays } from '../../lib/zoned-date.js';
import { requireLocation } from '../locations/locations.service.js';
import { findLocationById, type LocationRow } from '../locations/locations.repo.js';
import { findService, type ServiceRow } from '../catalog/catalog.repo.js';
import { requireStaff } from '../staff/staff.service.js';
import { findStaff, eligibleStaffBySlugQuery, eligibleStaffIdsBySlugQuery, type StaffRow } from '../staff/staff.repo.js';
import * as clients from '../clients/clients.service.js';
import { findClientsByContact, type ClientRow } from '../clients/clients.repo.js';
import { checkSlot, type SlotRejection } from '../availability/engine/index.js';
import { eligibleStaff, eligibleStaffIds, engineRowsQueries, loadEngineInput, toEngineInput, type EngineRows } from '../availability/availability.context.js';
import * as repo from './bookings.repo.js';
import { normaliseReference } from './reference.js';
import type { BookingView } from './bookings.schemas.js';

export type SlotReason = SlotRejection | 'staff_does_not_offer_service';

const REASON_TEXT: Record<SlotReason, string> = {
  overlaps_booking: 'The staff member already has a booking (or its clean-up time) at that time.',
  outside_working_hours: 'The staff member does not work at that time, or the location is closed.',
  too_soon: 'That time is within the location\'s minimum notice.',
  beyond_horizon: 'That time is beyond how far ahead the location takes bookings.',
  staff_does_not_offer_service: 'The staff member does not offer this service at this location.',
  not_on_slot_grid: 'That start time is not on the service\'s slot grid.',
};

export const slotUnavailable = (reason: SlotReason, param = 'starts_at') =>
  new ApiError('slot_unavailable', REASON_TEXT[reason], param, { reason });

/** Thrown inside a transaction when a retry with fresh data may succeed (a race lost to another request). */
export class RetryableConflict extends Error {
  constructor(readonly final: ApiError) {
    super(final.message);
  }
}

export function toBookingView(row: repo.BookingDetailRow): BookingView {
  const name = [row.client_first_name, row.client_last_name].filter(Boolean).join(' ') || null;
  return {
    object: 'booking',
    id: row.id,
    reference: row.reference,
    status: row.status,
    location: row.location_slug,
    service: { id: row.service_id, name: row.service_name },
    staff: { id: row.staff_id, display_name: row.staff_name },
    client: { id: row.client_id, name },
    starts_at: iso(row.start_ms),
    ends_at: iso(row.end_ms),
    duration_minutes: row.duration_minutes,
    buffer_minutes: row.buffer_minutes,
    price: { amount: row.price_amount, currency: row.currency },
    notes: row.notes,
    source: row.source,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    cancelled_at: isoOrNull(row.cancelled_at),
    cancellation_reason: row.cancellation_reason,
    cancelled_via: row.cancelled_via,
  };
}

export async function listBookings(
  database: Database,
  cursors: CursorCodec,
  orgId: string,
  q: { limit: number; cursor?: string; location?: string; staff?: string; client?: string; status?: BookingStatus; starts_after?: string; starts_before?: string },
): Promise<ListPage<BookingView>> {
  const filter: repo.BookingFilter = {
    locationId: q.location ? (await requireLocation(database, orgId, q.location, 'location')).id : undefined,
    staffId: q.staff ? (await requireStaff(database, orgId, q.staff, 'staff')).id : undefined,
    clientId: q.client ? (await clients.requireClient(database.db, orgId, q.client, 'client')).id : undefined,
    status: q.status,
    startsAfter: q.starts_after ? Date.parse(q.starts_after) : undefined,
    startsBefore: q.starts_before ? Date.parse(q.starts_before) : undefined,
  };
  const list = `bookings:${JSON.stringify(filter)}`;
  const after = q.cursor ? (cursors.decode(list, orgId, q.cursor) as [number, string]) : undefined;
  const rows = await repo.listBookings(database.db, orgId, filter, q.limit + 1, after);
  return toPage(rows, q.limit, toBookingView, (last) => cursors.encode(list, orgId, [last.start_ms, last.id]));
}

export async function requireBooking(db: Kysely<DB>, orgId: string, reference: string): Promise<repo.BookingDetailRow> {
  const row = await repo.findBookingByReference(db, orgId, normaliseReference(reference));
  if (!row) throw new ApiError('resource_not_found', `No booking with reference \`${reference}\`.`);
  return row;
}

export async function getBooking(database: Database, orgId: string, reference: string): Promise<BookingView> {
  return toBookingView(await requireBooking(database.db, orgId, reference));
}

// ---------------------------------------------------------------------------------------------------------
// Mutations. Each runs inside a transaction that the caller opens (see mutation.ts), so the idempotency
// record is written with the change. The service re-checks the slot to give a typed reason; the database
// constraint (exclusion constraint / trigger) is the final word under any concurrency.

export interface InlineClient { first_name: string; last_name?: string; email?: string; phone?: string }

export interface CreateBookingInput {
  location: string;
  service: string;
  staff?: string;
  starts_at: string;
  client: string | InlineClient;
  notes?: string;
}

function engineWindow(location: LocationRow, startMs: number) {
  const day = localDate(startMs, location.time_zone);
  return { from: addDays(day, -1), to: addDays(day, 1) };
}

/** The most useful single reason when no candidate can take the slot. */
function bestReason(reasons: SlotReason[]): SlotReason {
  for (const r of ['too_soon', 'beyond_horizon', 'not_on_slot_grid', 'overlaps_booking'] as const) if (reasons.includes(r)) return r;
  return reasons[0] ?? 'staff_does_not_offer_service';
}

async function resolveClient(db: Kysely<DB>, orgId: string, client: string | InlineClient, now: number, known?: ClientRow): Promise<ClientRow> {
  if (typeof client === 'string') return known?.id === client ? known : clients.requireClient(db, orgId, client, 'client');
  const details = clients.normaliseClientDetails(client, 'client.');
  const existing = await findClientsByContact(db, orgId, details.email, details.phone);
  // An email match wins over a phone match: emails are the more personal of the two.
  const match = existing.find((c) => details.email && c.email === details.email) ?? existing[0];
  return match ?? clients.insertNewClient(db, orgId, details, {}, now);
}

/**
 * Resolves what the request names (404s name the field), inside the booking's transaction, in one batched
 * read: the location, the service, the client (by id), whether the service is offered there, and the staff
 * who may take it.
 */
export async function prepareCreate(db: Kysely<DB>, orgId: string, input: CreateBookingInput) {
  const clientId = typeof input.client === 'string' ? input.client : '';
  // A named staff member is locked in the same round trip (PostgreSQL; see db/locks.ts).
  const lock = input.staff !== undefined ? lockStatement(db, [staffLockKey(orgId, input.staff)]) : undefined;
  // The engine's rows for the candidates, over UTC dates ±2 around the start (a superset of the location's
  // local day ±1), in the same trip. Read in the same statement as the lock, they may miss a booking committed
  // while we waited for it: then the database constraint refuses our insert and the attempt is retried.
  const utcDay = new Date(Date.parse(input.starts_at)).toISOString().slice(0, 10);
  const window = { from: addDays(utcDay, -2), to: addDays(utcDay, 2) };
  const engineQueries = engineRowsQueries(db, orgId, {
    location: { slug: input.location },
    staff: input.staff !== undefined ? [input.staff] : eligibleStaffIdsBySlugQuery(db, orgId, input.location, input.service),
    ...window,
  });
  const [locations, services, clientRows, offered, eligible, ...rest] = await readBatch(db, [
    db.selectFrom('locations').selectAll().where('org_id', '=', orgId).where('slug', '=', input.location),
    db.selectFrom('services').selectAll().where('org_id', '=', orgId).where('id', '=', input.service),
    db.selectFrom('clients').selectAll().where('org_id', '=', orgId).where('id', '=', clientId),
    db.selectFrom('service_locations as sl')
      .innerJoin('locations as l', (j) => j.onRef('l.id', '=', 'sl.location_id').onRef('l.org_id', '=', 'sl.org_id'))
      .select('sl.service_id').where('sl.org_id', '=', orgId).where('l.slug', '=', input.location).where('sl.service_id', '=', input.service),
    eligibleStaffBySlugQuery(db, orgId, input.location, input.service),
    ...engineQueries,
    ...(lock ? [lock] : []),
  ] as const);
  const engineRows = rest.slice(0, 4) as unknown as EngineRows;
  const location = locations[0];
  if (!location) throw new ApiError('resource_not_found', `No location with slug \`${input.location}\`.`, 'location');
  const service = services[0];
  if (!service) throw new ApiError('resource_not_found', `No service with id \`${input.service}\`.`, 'service');
  const client = clientRows[0];
  if (typeof input.client === 'string' && !client) throw new ApiError('resource_not_found', `No client with id \`${input.client}\`.`, 'client');
  if (typeof input.client !== 'string') clients.normaliseClientDetails(input.client, 'client.');
  if (service.active !== 1 || !offered.length) throw new ApiError('parameter_invalid', 'This service is not offered at this location.', 'service');
  return { location, service, client, eligible, lockedStaff: lock ? input.staff : undefined, engineRows };
}

export async function createBooking(
  db: Kysely<DB>,
  orgId: string,
  input: CreateBookingInput,
  ctx: { now: number; source: 'api' | 'hub'; location: LocationRow; service: ServiceRow; client?: ClientRow; eligible?: StaffRow[]; lockedStaff?: string; engineRows?: EngineRows },
): Promise<BookingView> {
  const { location, service, now } = ctx;
  const startMs = Date.parse(input.starts_at);
  const eligibleRows = ctx.eligible ?? (await eligibleStaff(db, orgId, location.id, service.id));
  const eligible = eligibleRows.map((r) => r.id);
  if (input.staff !== undefined && !eligible.includes(input.staff)) {
    if (!(await findStaff(db, orgId, input.staff))) throw new ApiError('resource_not_found', `No staff member with id \`${input.staff}\`.`, 'staff');
    throw slotUnavailable('staff_does_not_offer_service', 'staff');
  }
  const candidates = input.staff !== undefined ? [input.staff] : eligible;
  if (!candidates.length) throw slotUnavailable('staff_does_not_offer_service', 'service');
  if (!(candidates.length === 1 && ctx.lockedStaff === candidates[0])) await lockKeys(db, candidates.map((id) => staffLockKey(orgId, id)));

  const args = { location, service, staffIds: candidates, ...engineWindow(location, startMs), now };
  const engineInput = ctx.engineRows ? toEngineInput(args, ctx.engineRows) : await loadEngineInput(db, orgId, args);
  const verdicts = candidates.map((id) => ({ id, reason: checkSlot(engineInput, id, startMs) }));
  const free = verdicts.filter((v) => v.reason === null).map((v) => v.id);
  if (!free.length) throw slotUnavailable(bestReason(verdicts.map((v) => v.reason!)));

  let staffId = free[0]!;
  if (free.length > 1) {
    // Fair pick: the free staff member with the fewest live bookings that local day (then the longest-standing).
    const day = localDate(startMs, location.time_zone);
    const counts = await repo.countLiveBookings(db, orgId, free, Date.parse(`${day}T00:00:00Z`) - 86_400_000, Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000);
    staffId = [...free].sort((a, b) => counts.get(a)! - counts.get(b)!)[0]!;
  }

  const client = await resolveClient(db, orgId, input.client, now, ctx.client);
  const durationMs = service.duration_minutes * 60_000;
  const row: Omit<repo.BookingRow, 'org_id'> = {
    id: newId('bkg'),
    reference: newReference(),
    status: 'confirmed',
    location_id: location.id,
    service_id: service.id,
    staff_id: staffId,
    client_id: client.id,
    start_ms: startMs,
    end_ms: startMs + durationMs,
    block_end_ms: startMs + durationMs + service.buffer_minutes * 60_000,
    duration_minutes: service.duration_minutes,
    buffer_minutes: service.buffer_minutes,
    price_amount: service.price_amount,
    currency: service.currency,
    service_name: service.name,
    notes: input.notes ?? null,
    source: ctx.source,
    created_at: now,
    updated_at: now,
    cancelled_at: null,
    cancellation_reason: null,
    cancelled_via: null,
  };
  try {
    await repo.insertBooking(db, orgId, row);
  } catch (err) {
    // Another request took the time between our check and our insert: the database said no. (A unique
    // violation is a reference collision or a client created concurrently: a retry sorts out either.)
    if (isOverlapViolation(err)) throw new RetryableConflict(slotUnavailable('overlaps_booking'));
    if (isUniqueViolation(err)) throw new RetryableConflict(slotUnavailable('overlaps_booking'));
    throw err;
  }
  const staffName = eligibleRows.find((r) => r.id === staffId)!.display_name;
  return toBookingView({ ...row, org_id: orgId, location_slug: location.slug, staff_name: staffName, client_first_name: client.first_name, client_last_name: client.last_name });
}

function assertModifiable(row: repo.BookingDetailRow, now: number): void {
  if (row.status !== 'confirmed') {
    throw new ApiError('booking_not_modifiable', `This booking is ${row.status.replace('_', ' ')} and can no longer be changed.`, undefined, { status: row.status });
  }
  if (row.start_ms <= now) throw new ApiError('booking_not_modifiable', 'This booking has already started and can no longer be changed.');
}

export async function rescheduleBooking(
  db: Kysely<DB>,
  orgId: string,
  reference: string,
  input: { starts_at: string; staff?: string },
  ctx: { now: number },
): Promise<BookingView> {
  const booking = await requireBooking(db, orgId, reference);
  assertModifiable(booking, ctx.now);
  const staffId = input.staff ?? booking.staff_id;
  if (input.staff !== undefined && !(await findStaff(db, orgId, input.staff))) throw new ApiError('resource_not_found', `No staff member with id \`${input.staff}\`.`, 'staff');
  const location = (await findLocationById(db, orgId, booking.location_id))!;
  const service = (await findService(db, orgId, booking.service_id))!;
  const eligible = await eligibleStaffIds(db, orgId, location.id, service.id);
  if (!eligible.includes(staffId)) throw slotUnavailable('staff_does_not_offer_service', 'staff');
  await lockKeys(db, [staffLockKey(orgId, staffId)]);

  // The booking keeps what it was booked with: its duration and buffer, not the service's current ones.
  const asBooked: ServiceRow = { ...service, duration_minutes: booking.duration_minutes, buffer_minutes: booking.buffer_minutes };
  const startMs = Date.parse(input.starts_at);
  const engineInput = await loadEngineInput(db, orgId, { location, service: asBooked, staffIds: [staffId], ...engineWindow(location, startMs), now: ctx.now, excludeBookingId: booking.id });
  const reason = checkSlot(engineInput, staffId, startMs);
  if (reason) throw slotUnavailable(reason);
  try {
    await repo.updateBooking(db, orgId, booking.id, {
      staff_id: staffId,
      start_ms: startMs,
      end_ms: startMs + booking.duration_minutes * 60_000,
      block_end_ms: startMs + (booking.duration_minutes + booking.buffer_minutes) * 60_000,
      updated_at: ctx.now,
    });
  } catch (err) {
    if (isOverlapViolation(err)) throw new RetryableConflict(slotUnavailable('overlaps_booking'));
    throw err;
  }
  return toBookingView((await repo.findBookingByReference(db, orgId, booking.reference))!);
}

export async function cancelBooking(
  db: Kysely<DB>,
  orgId: string,
  reference: string,
  input: { reason?: string },
  ctx: { now: number; via: 'api' | 'hub' },
): Promise<BookingView> {
  const booking = await requireBooking(db, orgId, reference);
  assertModifiable(booking, ctx.now);
  await repo.updateBooking(db, orgId, booking.id, {
    status: 'cancelled',
    cancelled_at: ctx.now,
    cancellation_reason: input.reason ?? null,
    cancelled_via: ctx.via,
    updated_at: ctx.now,
  });
  return toBookingView((await repo.findBookingByReference(db, orgId, booking.reference))!);
}

/** Hub only: after the appointment, mark it completed or a no-show. */
export async function markOutcome(db: Kysely<DB>, orgId: string, reference: string, status: 'completed' | 'no_show', ctx: { now: number }): Promise<BookingView> {
  const booking = await requireBooking(db, orgId, reference);
  if (booking.status === 'cancelled') throw new ApiError('booking_not_modifiable', 'This booking was cancelled.');
  if (booking.start_ms > ctx.now) throw new ApiError('booking_not_modifiable', 'A booking can be marked completed or no-show once it has started.');
  await repo.updateBooking(db, orgId, booking.id, { status, updated_at: ctx.now });
  return toBookingView((await repo.findBookingByReference(db, orgId, booking.reference))!);
}
