import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB, BookingStatus } from '../../db/schema.js';
import { ApiError, notFound } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso, isoOrNull } from '../../http/schemas.js';
import { instantMs } from '../../lib/instant.js';
import { requireLocation } from '../locations/locations.service.js';
import { requireStaff } from '../staff/staff.service.js';
import { requireClient } from '../clients/clients.service.js';
import * as repo from './bookings.repo.js';
import { normaliseReference } from './reference.js';
import type { BookingView } from './bookings.schemas.js';
import { withinLimit, type LocationLimit } from '../locations/location-limit.js';

/** Reads and the booking object. The changes live in create-booking.ts and change-booking.ts. */

/** A stored row → the booking object as GET returns it (API.md §6). */
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
    rules_set_aside: row.rules_set_aside ? (JSON.parse(row.rules_set_aside) as BookingView['rules_set_aside']) : [],
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
  within?: LocationLimit,
): Promise<ListPage<BookingView>> {
  const filter: repo.BookingFilter = {
    locationId: q.location !== undefined ? (await requireLocation(database, orgId, q.location, 'location', within)).id : undefined,
    staffId: q.staff !== undefined ? (await requireStaff(database, orgId, q.staff, 'staff', within)).id : undefined,
    clientId: q.client !== undefined ? (await requireClient(database.db, orgId, q.client, 'client')).id : undefined,
    status: q.status,
    startsAfter: q.starts_after !== undefined ? instantMs(q.starts_after) : undefined,
    startsBefore: q.starts_before !== undefined ? instantMs(q.starts_before) : undefined,
    ...(within ? { within } : {}),
  };
  const list = `bookings:${JSON.stringify(filter)}`;
  const after = q.cursor ? (cursors.decode(list, orgId, q.cursor) as [number, string]) : undefined;
  const rows = await repo.listBookings(database.db, orgId, filter, q.limit + 1, after);
  return toPage(rows, q.limit, toBookingView, (last) => cursors.encode(list, orgId, [last.start_ms, last.id]));
}

/**
 * The org's booking by reference (any case, dash optional), or `404 resource_not_found` — also for another org's,
 * or one at a location outside `within` (a location-limited key).
 */
export async function requireBooking(db: Kysely<DB>, orgId: string, reference: string, param?: string, within?: LocationLimit): Promise<repo.BookingDetailRow> {
  const row = await repo.findBookingByReference(db, orgId, normaliseReference(reference));
  if (!row || !withinLimit(within, row.location_id)) throw notFound('booking', param);
  return row;
}

export async function getBooking(database: Database, orgId: string, reference: string, within?: LocationLimit): Promise<BookingView> {
  return toBookingView(await requireBooking(database.db, orgId, reference, undefined, within));
}
