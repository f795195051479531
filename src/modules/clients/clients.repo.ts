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

/** Clients already holding this email or phone (at most two rows: one per unique key). */
export function findClientsByContact(db: Kysely<DB>, orgId: string, email: string | null, phone: string | null): Promise<ClientRow[]> {
  if (!email && !phone) return Promise.resolve([]);
  return db.selectFrom('clients').selectAll().where('org_id', '=', orgId)
    .where((eb) => eb.or([...(email ? [eb('email', '=', email)] : []), ...(phone ? [eb('phone', '=', phone)] : [])]))
    .orderBy('created_at').execute();
}

export async function insertClient(db: Kysely<DB>, orgId: string, row: Omit<ClientRow, 'org_id'>): Promise<void> {
  await db.insertInto('clients').values({ ...row, org_id: orgId }).execute();
}

export async function findClientsByIds(db: Kysely<DB>, orgId: string, ids: string[]): Promise<ClientRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('clients').selectAll().where('org_id', '=', orgId).where('id', 'in', ids).execute();
}
