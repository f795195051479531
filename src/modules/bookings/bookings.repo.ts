import type { Insertable, Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import type { DB, BookingsTable, BookingStatus } from '../../db/schema.js';

export type BookingRow = Selectable<BookingsTable>;
export interface BookingDetailRow extends BookingRow {
  location_slug: string;
  staff_name: string;
  client_first_name: string | null;
  client_last_name: string | null;
}

export interface BookingFilter {
  locationId?: string;
  /** Only bookings at these locations (a location-limited caller). */
  within?: readonly string[] | null;
  staffId?: string;
  clientId?: string;
  status?: BookingStatus;
  startsAfter?: number;
  startsBefore?: number;
}

function detailed(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom('bookings as b')
    .innerJoin('locations as l', (j) => j.onRef('l.id', '=', 'b.location_id').onRef('l.org_id', '=', 'b.org_id'))
    .innerJoin('staff as s', (j) => j.onRef('s.id', '=', 'b.staff_id').onRef('s.org_id', '=', 'b.org_id'))
    .innerJoin('clients as c', (j) => j.onRef('c.id', '=', 'b.client_id').onRef('c.org_id', '=', 'b.org_id'))
    .selectAll('b')
    .select(['l.slug as location_slug', 's.display_name as staff_name', 'c.first_name as client_first_name', 'c.last_name as client_last_name'])
    .where('b.org_id', '=', orgId);
}

/** Ordered by starts_at, then id. */
export function listBookings(db: Kysely<DB>, orgId: string, f: BookingFilter, limit: number, after?: [number, string]): Promise<BookingDetailRow[]> {
  let q = detailed(db, orgId);
  if (f.locationId) q = q.where('b.location_id', '=', f.locationId);
  if (f.within) q = q.where('b.location_id', 'in', f.within.length ? [...f.within] : ['']);
  if (f.staffId) q = q.where('b.staff_id', '=', f.staffId);
  if (f.clientId) q = q.where('b.client_id', '=', f.clientId);
  if (f.status) q = q.where('b.status', '=', f.status);
  if (f.startsAfter !== undefined) q = q.where('b.start_ms', '>=', f.startsAfter);
  if (f.startsBefore !== undefined) q = q.where('b.start_ms', '<', f.startsBefore);
  if (after) q = q.where((eb) => eb.or([eb('b.start_ms', '>', after[0]), eb.and([eb('b.start_ms', '=', after[0]), eb('b.id', '>', after[1])])]));
  return q.orderBy('b.start_ms').orderBy('b.id').limit(limit).execute();
}

export const findBookingByReference = (db: Kysely<DB>, orgId: string, reference: string) =>
  detailed(db, orgId).where('b.reference', '=', reference).executeTakeFirst();

export const findBookingById = (db: Kysely<DB>, orgId: string, id: string) =>
  detailed(db, orgId).where('b.id', '=', id).executeTakeFirst();

/** Live bookings (with their buffers) of these staff (at least one id, or a subquery of ids) touching [fromMs, toMs), anywhere. */
export function busyIntervalsQuery(db: Kysely<DB>, orgId: string, staffIds: string[] | SelectQueryBuilder<DB, 'staff', { id: string }>, fromMs: number, toMs: number, excludeId?: string) {
  let q = db.selectFrom('bookings').select(['staff_id', 'start_ms', 'block_end_ms'])
    .where('org_id', '=', orgId).where('staff_id', 'in', staffIds).where('status', '<>', 'cancelled')
    .where('start_ms', '<', toMs).where('block_end_ms', '>', fromMs);
  if (excludeId) q = q.where('id', '<>', excludeId);
  return q.orderBy('start_ms'); // sorted: the engine then skips its own sort
}

/** Live bookings per staff member at one location starting in [fromMs, toMs): for picking the least busy. */
export async function countLiveBookings(db: Kysely<DB>, orgId: string, locationId: string, staffIds: string[], fromMs: number, toMs: number): Promise<Map<string, number>> {
  const out = new Map(staffIds.map((id) => [id, 0]));
  if (!staffIds.length) return out;
  const rows = await db.selectFrom('bookings').select(['staff_id']).select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId).where('location_id', '=', locationId).where('staff_id', 'in', staffIds).where('status', '<>', 'cancelled')
    .where('start_ms', '>=', fromMs).where('start_ms', '<', toMs).groupBy('staff_id').execute();
  for (const r of rows) out.set(r.staff_id, Number(r.n));
  return out;
}

export async function insertBooking(db: Kysely<DB>, orgId: string, row: Omit<Insertable<BookingsTable>, 'org_id'>): Promise<void> {
  await db.insertInto('bookings').values({ ...row, org_id: orgId }).execute();
}

export type BookingPatch = Partial<Omit<BookingRow, 'org_id' | 'id' | 'reference' | 'created_at'>>;

/**
 * A guarded transition: applies `patch` only if the booking is still in the state the caller decided on
 * (its status and `updated_at` as read in this transaction). False when another request changed it first
 * (PostgreSQL re-checks the condition after waiting for the other writer's row lock), so the caller can
 * re-read and decide again instead of overwriting a state it never saw.
 */
export async function updateBookingIfUnchanged(db: Kysely<DB>, orgId: string, id: string, seen: { status: BookingStatus; updated_at: number }, patch: BookingPatch): Promise<boolean> {
  const res = await db.updateTable('bookings').set(patch)
    .where('org_id', '=', orgId).where('id', '=', id).where('status', '=', seen.status).where('updated_at', '=', seen.updated_at)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
