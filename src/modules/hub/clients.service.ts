import type { Database } from '../../db/connect.js';
import { toPage, type CursorCodec } from '../../http/pagination.js';
import { iso, isoOrNull } from '../../http/schemas.js';
import { toBookingView } from '../bookings/bookings.service.js';
import { listBookings } from '../bookings/bookings.repo.js';
import { eraseClient, requireClient, toClientView, updateClient, type ClientPatch } from '../clients/clients.service.js';
import type { ClientRow } from '../clients/clients.repo.js';
import type { Actor } from '../events/actor.js';
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

/** Everything held about one client, as the shop (the data controller) hands it over on a subject access request. */
export async function exportClient(database: Database, orgId: string, id: string, now: number) {
  const page = await clientPage(database, orgId, id);
  const org = await findOrgById(database.db, orgId);
  return { object: 'client_export' as const, exported_at: iso(now), controller: { name: org?.name ?? null }, client: page.client, bookings: page.bookings };
}

/** Edits a client through the clients module's use case (which records `client.updated`); the Hub's view. */
export async function updateClientFromHub(database: Database, actor: Actor, id: string, patch: ClientPatch) {
  return hubClientView(await updateClient(database, actor, id, patch));
}

/** UK GDPR erasure through the clients module's use case (which records `client.erased`); the client page after it. */
export async function eraseClientData(database: Database, actor: Actor, id: string) {
  await eraseClient(database, actor, id);
  return clientPage(database, actor.orgId, id);
}
