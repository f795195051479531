import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ClientRow } from '../clients/clients.repo.js';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The Hub's client search: name prefix (first, last or "first last"), email prefix, or digits anywhere in
 * the phone number (a leading 0 of a UK number also matches its +44 form). Erased clients are left out.
 * Newest first; `after` is the last row of the previous page.
 */
export function searchClients(db: Kysely<DB>, orgId: string, q: string | undefined, limit: number, after?: [number, string]): Promise<ClientRow[]> {
  let query = db.selectFrom('clients').selectAll().where('org_id', '=', orgId).where('erased_at', 'is', null);
  const text = q?.trim().toLowerCase();
  if (text) {
    const prefix = `${escapeLike(text)}%`;
    const digits = text.replace(/\D/g, '');
    const phoneTerms = digits.length >= 3 ? [digits, ...(digits.startsWith('0') ? [digits.slice(1)] : [])] : [];
    query = query.where((eb) => eb.or([
      sql<boolean>`lower(first_name) like ${prefix} escape '\\'`,
      sql<boolean>`lower(last_name) like ${prefix} escape '\\'`,
      sql<boolean>`lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) like ${prefix} escape '\\'`,
      sql<boolean>`email like ${prefix} escape '\\'`,
      ...phoneTerms.map((d) => sql<boolean>`phone like ${`%${d}%`}`),
    ] as never));
  }
  if (after) query = query.where((eb) => eb.or([eb('created_at', '<', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '<', after[1])])]));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

