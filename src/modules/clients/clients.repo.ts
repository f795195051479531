import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, ClientsTable } from '../../db/schema.js';

export type ClientRow = Selectable<ClientsTable>;

export interface ClientFilter {
  email?: string;
  phone?: string;
  /** Name prefix, case-insensitive, on first name, last name or "first last". */
  q?: string;
}

const likePrefix = (text: string) => `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function listClients(db: Kysely<DB>, orgId: string, filter: ClientFilter, limit: number, after?: [number, string]): Promise<ClientRow[]> {
  let q = db.selectFrom('clients').selectAll().where('org_id', '=', orgId);
  if (filter.email) q = q.where('email', '=', filter.email);
  if (filter.phone) q = q.where('phone', '=', filter.phone);
  if (filter.q) {
    const p = likePrefix(filter.q);
    q = q.where((eb) => eb.or([
      sql<boolean>`lower(first_name) like ${p} escape '\\'`,
      sql<boolean>`lower(last_name) like ${p} escape '\\'`,
      sql<boolean>`lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) like ${p} escape '\\'`,
    ] as never));
  }
  if (after) q = q.where((eb) => eb.or([eb('created_at', '>', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '>', after[1])])]));
  return q.orderBy('created_at').orderBy('id').limit(limit).execute();
}

export const findClient = (db: Kysely<DB>, orgId: string, id: string) =>
  db.selectFrom('clients').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

export const findClientByEmail = (db: Kysely<DB>, orgId: string, email: string) =>
  db.selectFrom('clients').selectAll().where('org_id', '=', orgId).where('email', '=', email).executeTakeFirst();

/** Clients with this phone (E.164), oldest first: a phone may be shared by a family. */
export const findClientsByPhone = (db: Kysely<DB>, orgId: string, phone: string): Promise<ClientRow[]> =>
  db.selectFrom('clients').selectAll().where('org_id', '=', orgId).where('phone', '=', phone).orderBy('created_at').orderBy('id').execute();

export async function insertClient(db: Kysely<DB>, orgId: string, row: Omit<ClientRow, 'org_id'>): Promise<void> {
  await db.insertInto('clients').values({ ...row, org_id: orgId }).execute();
}

export async function findClientsByIds(db: Kysely<DB>, orgId: string, ids: string[]): Promise<ClientRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('clients').selectAll().where('org_id', '=', orgId).where('id', 'in', ids).execute();
}

export async function updateClientRow(db: Kysely<DB>, orgId: string, id: string, patch: Partial<Omit<ClientRow, 'org_id' | 'id' | 'created_at'>>): Promise<void> {
  await db.updateTable('clients').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
}

/**
 * UK GDPR erasure: the personal fields go, the client row stays (bookings point at it) with `erased_at`;
 * free text on the client's bookings (notes, cancellation reasons) may hold personal data, so it goes too.
 * Returns the ids of the client's bookings (their recorded events are redacted too).
 */
export async function eraseClient(db: Kysely<DB>, orgId: string, id: string, now: number): Promise<string[]> {
  await db.updateTable('clients').set({
    first_name: null, last_name: null, email: null, phone: null, notes: null,
    email_marketing: 0, email_marketing_at: null, sms_marketing: 0, sms_marketing_at: null, erased_at: now, updated_at: now,
  }).where('org_id', '=', orgId).where('id', '=', id).execute();
  await db.updateTable('bookings').set({ notes: null, cancellation_reason: null })
    .where('org_id', '=', orgId).where('client_id', '=', id).execute();
  const bookings = await db.selectFrom('bookings').select('id').where('org_id', '=', orgId).where('client_id', '=', id).execute();
  return bookings.map((b) => b.id);
}
