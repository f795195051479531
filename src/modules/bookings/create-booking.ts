import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { readBatch } from '../../db/batch.js';
import { isOverlapViolation, isUniqueViolation } from '../../db/errors.js';
import { lockKeys, lockStatement, staffLockKey } from '../../db/locks.js';
import { RetryableConflict, runTransaction } from '../../db/transaction.js';
import { ApiError, notFound } from '../../http/errors.js';
import { newId, newReference } from '../../lib/ids.js';
import { addDays } from '../../lib/zoned-date.js';
import type { Actor } from '../events/actor.js';
import { withinLimit, type LocationLimit } from '../locations/location-limit.js';
import { recordEvent } from '../events/events.service.js';
import { matchOrCreateClient, normaliseClientDetails, type ClientDetailsInput } from '../clients/clients.service.js';
import type { ClientRow } from '../clients/clients.repo.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { eligibleStaffBySlugQuery, eligibleStaffIdsBySlugQuery } from '../staff/staff.repo.js';
import { engineRowsQueries, type EngineRows } from '../availability/availability.context.js';
import * as repo from './bookings.repo.js';
import type { BookingView } from './bookings.schemas.js';
import { toBookingView } from './bookings.service.js';
import { bestReason, slotUnavailable, type SlotReason } from './bookings.refusals.js';
import { checkCandidates, localDayOf, resolveStart, type BookingRules, type StartInput } from './booking-rules.js';

export interface CreateBookingInput {
  /** Location slug. */
  location: string;
  /** Service id. */
  service: string;
  /** Staff id; omitted = any free staff member who offers the service there (the least booked that local day). */
  staff?: string;
  /** With `staff` omitted: pick only among these (the booking page: staff bookable online). */
  staffAmong?: string[];
  start: StartInput;
  /** A client id, or contact details matched to an existing client or created (API.md §6). */
  client: string | ClientDetailsInput;
  notes?: string;
  /** Hub only: rules knowingly set aside (a walk-in). */
  setAside?: BookingRules['setAside'];
}

export interface ChangeOptions<V> {
  /** Runs inside the change's transaction after its event (e.g. the idempotency record, a manage token). */
  beforeCommit?: (trx: Kysely<DB>, view: V) => Promise<void>;
}

/**
 * Resolves what the request names, in one batched read (one round trip on PostgreSQL) inside the booking's
 * transaction: location, service, client by id, whether the service is offered there, the staff who may
 * take it, the engine's rows for them around the start, and (when a staff member is named) their lock.
 * The 404s name the field.
 */
async function resolveRequest(trx: Kysely<DB>, orgId: string, input: CreateBookingInput, within?: LocationLimit) {
  const clientId = typeof input.client === 'string' ? input.client : '';
  const lock = input.staff !== undefined ? lockStatement(trx, [staffLockKey(orgId, input.staff)]) : undefined;
  // UTC dates ±2 around the start: a superset of the location's local day ±1, whatever its zone.
  const roughDay = 'instant' in input.start ? input.start.instant.slice(0, 10) : input.start.date;
  const engineQueries = engineRowsQueries(trx, orgId, {
    location: { slug: input.location },
    staff: input.staff !== undefined ? [input.staff] : eligibleStaffIdsBySlugQuery(trx, orgId, input.location, input.service),
    from: addDays(roughDay, -2),
    to: addDays(roughDay, 2),
  });
  const [locations, services, clientRows, offered, eligible, namedStaff, closures, hours, exceptions, busy] = await readBatch(trx, [
    trx.selectFrom('locations').selectAll().where('org_id', '=', orgId).where('slug', '=', input.location),
    trx.selectFrom('services').selectAll().where('org_id', '=', orgId).where('id', '=', input.service),
    trx.selectFrom('clients').selectAll().where('org_id', '=', orgId).where('id', '=', clientId),
    trx.selectFrom('service_locations as sl')
      .innerJoin('locations as l', (j) => j.onRef('l.id', '=', 'sl.location_id').onRef('l.org_id', '=', 'sl.org_id'))
      .select('sl.service_id').where('sl.org_id', '=', orgId).where('l.slug', '=', input.location).where('sl.service_id', '=', input.service),
    eligibleStaffBySlugQuery(trx, orgId, input.location, input.service),
    trx.selectFrom('staff').select(['id', 'display_name']).where('org_id', '=', orgId).where('id', '=', input.staff ?? ''),
    ...engineQueries,
    ...(lock ? [lock] : []),
  ] as const);
  const location = locations[0];
  if (!location || !withinLimit(within, location.id)) throw notFound('location', 'location');
  const service = services[0];
  if (!service) throw notFound('service', 'service');
  if (typeof input.client === 'string' && !clientRows[0]) throw notFound('client', 'client');
  if (input.staff !== undefined && !namedStaff[0]) throw notFound('staff', 'staff');
  if (service.active !== 1 || !offered.length) throw new ApiError('parameter_invalid', `${service.name} is not offered at ${location.name}.`, 'service');
  const rows: EngineRows = [closures, hours, exceptions, busy];
  return { location, service, client: clientRows[0], eligible: eligible as StaffRow[], namedStaff: namedStaff[0], lockedStaff: lock ? input.staff : undefined, rows };
}

/**
 * Creates a booking (POST /v1/bookings, the Hub's diary, the online booking page): one transaction that
 * resolves the request, checks the time against the availability rules exactly as availability offers it
 * (`409 slot_unavailable` with a typed reason naming the staff member), picks the staff member when none is
 * named (the free one with the fewest live bookings at that location on that local day, ties to the
 * longest-standing), matches or creates the client, inserts the booking, records `booking.created` (and
 * `client.created` for a new client), then runs `opts.beforeCommit`. The database's exclusion constraint
 * (PostgreSQL) or trigger (SQLite) is the final word on overlaps: losing a race to it retries the whole
 * transaction with fresh reads, then answers `409 slot_unavailable` / `overlaps_booking`.
 */
export async function createBooking(database: Database, actor: Actor, input: CreateBookingInput, opts: ChangeOptions<BookingView> = {}): Promise<BookingView> {
  if (input.setAside?.length && actor.source !== 'hub') throw new Error('createBooking: only the Hub may set rules aside');
  if (actor.source === 'system') throw new Error('createBooking: a booking is made through the API, the Hub or the booking page');
  const source = actor.source;
  // Contact details are checked before any database work (a bad phone is a 400 whatever else is wrong).
  const inlineClient = typeof input.client === 'string' ? undefined : normaliseClientDetails(input.client, 'client.');
  const orgId = actor.orgId;
  return runTransaction(database, async (trx) => {
    const req = await resolveRequest(trx, orgId, input, actor.locationIds);
    const { location, service } = req;
    const startMs = resolveStart(input.start, location.time_zone);
    const rules: BookingRules = { location, service, startMs, now: actor.now, setAside: input.setAside ?? [] };

    const eligibleIds = req.eligible.map((s) => s.id);
    if (input.staff !== undefined && !eligibleIds.includes(input.staff)) {
      throw slotUnavailable('staff_does_not_offer_service', { ...rules, staffName: req.namedStaff!.display_name }, 'staff');
    }
    const candidates = input.staff !== undefined ? [input.staff] : input.staffAmong ? eligibleIds.filter((id) => input.staffAmong!.includes(id)) : eligibleIds;
    if (!candidates.length) throw slotUnavailable('staff_does_not_offer_service', rules, 'service');
    if (!(candidates.length === 1 && req.lockedStaff === candidates[0])) await lockKeys(trx, candidates.map((id) => staffLockKey(orgId, id)));

    const verdicts = checkCandidates(rules, candidates, req.rows);
    const free = verdicts.filter((v) => v.reason === null);
    if (!free.length) {
      const reasons = verdicts.map((v) => v.reason!) as SlotReason[];
      const staffName = input.staff !== undefined ? req.namedStaff!.display_name : undefined;
      throw slotUnavailable(bestReason(reasons), { ...rules, staffName });
    }
    const chosen = free.length === 1 ? free[0]! : await leastBooked(trx, orgId, location, free, startMs);
    const staff = req.eligible.find((s) => s.id === chosen.id)!;

    const client: ClientRow = inlineClient ? await matchOrCreateClient(trx, actor, inlineClient) : req.client!;
    if (client.erased_at !== null) throw new ApiError('parameter_invalid', 'This client\'s personal data was erased: book them as a new client.', 'client');
    const durationMs = service.duration_minutes * 60_000;
    const row: Omit<repo.BookingRow, 'org_id'> = {
      id: newId('bkg'),
      reference: newReference(),
      status: 'confirmed',
      location_id: location.id,
      service_id: service.id,
      staff_id: staff.id,
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
      source,
      created_at: actor.now,
      updated_at: actor.now,
      cancelled_at: null,
      cancellation_reason: null,
      cancelled_via: null,
      rules_set_aside: chosen.setAside.length ? JSON.stringify(chosen.setAside) : null,
    };
    try {
      await repo.insertBooking(trx, orgId, row);
    } catch (err) {
      // Another request took the time between our check and our insert, and the database said no; or the
      // random reference collided. A fresh attempt sorts out either.
      if (isOverlapViolation(err) || isUniqueViolation(err)) {
        throw new RetryableConflict(slotUnavailable('overlaps_booking', { ...rules, staffName: input.staff !== undefined ? staff.display_name : undefined }));
      }
      throw err;
    }
    const view = toBookingView({ ...row, org_id: orgId, location_slug: location.slug, staff_name: staff.display_name, client_first_name: client.first_name, client_last_name: client.last_name });
    await recordEvent(trx, actor, { type: 'booking.created', object: view, locationIds: [location.id] });
    await opts.beforeCommit?.(trx, view);
    return view;
  });
}

/** Fair pick among free staff: the fewest live bookings at this location on the start's local day, then the longest-standing. */
async function leastBooked<T extends { id: string }>(trx: Kysely<DB>, orgId: string, location: { id: string; time_zone: string }, free: T[], startMs: number): Promise<T> {
  const day = localDayOf(startMs, location.time_zone);
  const counts = await repo.countLiveBookings(trx, orgId, location.id, free.map((f) => f.id), day.start, day.end);
  // `free` is in eligibility order (created_at, id): a stable sort keeps the longest-standing first on ties.
  return [...free].sort((a, b) => counts.get(a.id)! - counts.get(b.id)!)[0]!;
}
