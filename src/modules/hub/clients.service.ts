import type { Database } from '../../db/connect.js';
import { isUniqueViolation } from '../../db/errors.js';
import { ApiError } from '../../http/errors.js';
import { toPage, type CursorCodec } from '../../http/pagination.js';
import { iso, isoOrNull } from '../../http/schemas.js';
import { toBookingView } from '../bookings/bookings.service.js';
import { listBookings } from '../bookings/bookings.repo.js';
import { alreadyExists, emailParam, phoneParam, requireClient, toClientView } from '../clients/clients.service.js';
import { findClientsByContact, type ClientRow } from '../clients/clients.repo.js';
import { findOrgById } from '../orgs/orgs.repo.js';
import * as repo from './clients.repo.js';

export const hubClientView = (row: ClientRow) => ({ ...toClientView(row), erased_at: isoOrNull(row.erased_at) });

export async function searchClients(database: Database, cursors: CursorCodec, orgId: string, query: { q?: string; limit: number; cursor?: string }) {
  const list = `hub-clients:${query.q?.trim().toLowerCase() ?? ''}`;
  const after = query.cursor ? (cursors.decode(list, orgId, query.cursor) as [number, string]) : undefined;
  const rows = await repo.searchClients(database.db, orgId, query.q, query.limit + 1, after);
  return toPage(rows, query.limit, hubClientView, (last) => cursors.encode(list, orgId, [last.created_at, last.id]));
}

/** The client page: details, consent and every booking (newest first). */
export async function clientPage(database: Database, orgId: string, id: string) {
  const row = await requireClient(database.db, orgId, id);
  const bookings = await listBookings(database.db, orgId, { clientId: id }, 1000);
  return { object: 'client_page' as const, client: hubClientView(row), bookings: bookings.reverse().map(toBookingView) };
}

export interface ClientPatch {
  first_name?: string;
  last_name?: string | null;
  email?: string | null;
  phone?: string | null;
  notes?: string | null;
  marketing_consent?: { email?: boolean; sms?: boolean };
}

export async function updateClient(database: Database, orgId: string, id: string, patch: ClientPatch, now: number) {
  const row = await requireClient(database.db, orgId, id);
  if (row.erased_at !== null) throw new ApiError('resource_conflict', 'This client\'s personal data was erased; the record can no longer be edited.');
  const email = patch.email === undefined ? row.email : patch.email ? emailParam(patch.email, 'email') : null;
  const phone = patch.phone === undefined ? row.phone : patch.phone ? phoneParam(patch.phone, 'phone') : null;
  if (!email && !phone) throw new ApiError('parameter_missing', 'A client needs an email or a phone number.', patch.email !== undefined ? 'email' : 'phone');
  const clash = (await findClientsByContact(database.db, orgId, email !== row.email ? email : null, phone !== row.phone ? phone : null)).find((c) => c.id !== id);
  if (clash) throw alreadyExists(clash, { first_name: '', last_name: null, email, phone });
  const consent = patch.marketing_consent ?? {};
  // Consent is recorded with when it was given; withdrawing it clears both.
  const consentPatch = {
    ...(consent.email !== undefined && consent.email !== (row.email_marketing === 1) ? { email_marketing: consent.email ? 1 : 0, email_marketing_at: consent.email ? now : null } : {}),
    ...(consent.sms !== undefined && consent.sms !== (row.sms_marketing === 1) ? { sms_marketing: consent.sms ? 1 : 0, sms_marketing_at: consent.sms ? now : null } : {}),
  };
  try {
    await repo.updateClientRow(database.db, orgId, id, {
      ...(patch.first_name !== undefined ? { first_name: patch.first_name } : {}),
      ...(patch.last_name !== undefined ? { last_name: patch.last_name || null } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes || null } : {}),
      email, phone, ...consentPatch, updated_at: now,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('client_already_exists', 'A client with this email address or phone number already exists.', 'email');
    throw err;
  }
  return hubClientView((await requireClient(database.db, orgId, id)));
}

/** Everything held about one client, as the shop (the data controller) hands it over on a subject access request. */
export async function exportClient(database: Database, orgId: string, id: string, now: number) {
  const page = await clientPage(database, orgId, id);
  const org = await findOrgById(database.db, orgId);
  return { object: 'client_export' as const, exported_at: iso(now), controller: { name: org?.name ?? null }, client: page.client, bookings: page.bookings };
}

export async function eraseClientData(database: Database, orgId: string, id: string, now: number) {
  const row = await requireClient(database.db, orgId, id);
  if (row.erased_at === null) await database.db.transaction().execute((trx) => repo.eraseClient(trx, orgId, id, now));
  return clientPage(database, orgId, id);
}
