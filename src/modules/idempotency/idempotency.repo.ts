import type { Kysely, Selectable } from 'kysely';
import type { DB, IdempotencyKeysTable } from '../../db/schema.js';
import { deferredWrite } from '../../db/pipeline.js';

export type IdempotencyRow = Selectable<IdempotencyKeysTable>;

export const findRecord = (db: Kysely<DB>, orgId: string, key: string) =>
  db.selectFrom('idempotency_keys').selectAll().where('org_id', '=', orgId).where('key', '=', key).executeTakeFirst();

/** Claims the key; false when another request holds (or held) it. */
export async function claim(db: Kysely<DB>, orgId: string, key: string, fingerprint: string, now: number, ttlMs: number): Promise<boolean> {
  const res = await db.insertInto('idempotency_keys')
    .values({ org_id: orgId, key, fingerprint, state: 'running', response_status: null, response_body: null, created_at: now, expires_at: now + ttlMs })
    .onConflict((oc) => oc.columns(['org_id', 'key']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Stores the answer under the key; inside the change's transaction it travels with COMMIT (db/pipeline.ts). */
export async function complete(db: Kysely<DB>, orgId: string, key: string, status: number, body: string): Promise<void> {
  await deferredWrite(db, db.updateTable('idempotency_keys').set({ state: 'done', response_status: status, response_body: body })
    .where('org_id', '=', orgId).where('key', '=', key));
}

export async function release(db: Kysely<DB>, orgId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('org_id', '=', orgId).where('key', '=', key).execute();
}

/** Records past their 24 hours, for this org (run opportunistically when a new key is claimed). */
export async function pruneExpired(db: Kysely<DB>, orgId: string, now: number): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('org_id', '=', orgId).where('expires_at', '<=', now).execute();
}
