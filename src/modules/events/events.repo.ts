import type { Insertable, Kysely } from 'kysely';
import type { DB, EventsTable } from '../../db/schema.js';
import { deferredWrite } from '../../db/pipeline.js';

/**
 * Appends one event inside the caller's transaction (seq and, on PostgreSQL, tx are set by the database). Sent
 * with the transaction's next statement or its COMMIT (db/pipeline.ts): the outbox costs no round trip.
 */
export async function insertEvent(db: Kysely<DB>, orgId: string, row: Omit<Insertable<EventsTable>, 'org_id' | 'seq' | 'tx'>): Promise<void> {
  await deferredWrite(db, db.insertInto('events').values({ ...row, org_id: orgId }));
}

/** Events recorded about these objects (for redaction after an erasure). */
export function eventsAbout(db: Kysely<DB>, orgId: string, objectIds: string[]) {
  if (!objectIds.length) return Promise.resolve([]);
  return db.selectFrom('events').select(['id', 'data']).where('org_id', '=', orgId).where('object_id', 'in', objectIds).execute();
}

export async function replaceEventData(db: Kysely<DB>, orgId: string, id: string, data: string): Promise<void> {
  await db.updateTable('events').set({ data }).where('org_id', '=', orgId).where('id', '=', id).execute();
}
