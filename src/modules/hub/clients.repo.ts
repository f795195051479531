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

export async function updateClientRow(db: Kysely<DB>, orgId: string, id: string, patch: Partial<Omit<ClientRow, 'org_id' | 'id' | 'created_at'>>): Promise<void> {
  await db.updateTable('clients').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
}

/**
 * UK GDPR erasure: the personal fields go, the client row stays (bookings point at it) with `erased_at`;
 * free text on the client's bookings (notes, cancellation reasons) may hold personal data, so it goes too.
 */
export async function eraseClient(db: Kysely<DB>, orgId: string, id: string, now: number): Promise<void> {
  await db.updateTable('clients').set({
    first_name: null, last_name: null, email: null, phone: null, notes: null,
    email_marketing: 0, email_marketing_at: null, sms_marketing: 0, sms_marketing_at: null, erased_at: now, updated_at: now,
  }).where('org_id', '=', orgId).where('id', '=', id).execute();
  await db.updateTable('bookings').set({ notes: null, cancellation_reason: null, updated_at: now })
    .where('org_id', '=', orgId).where('client_id', '=', id).execute();
}
