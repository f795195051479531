import { PostgresAdapter, sql, type Insertable, type Kysely, type Selectable } from 'kysely';
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

export type EventRow = Selectable<EventsTable>;

/** Position in feed order: (tx, seq) (see the booking-core migration). */
export type FeedPosition = [tx: number, seq: number];

export interface EventFilter {
  /** Exact type, or a prefix ending in `.` (from `booking.*`). */
  type?: { exact: string } | { prefix: string };
  createdAfter?: number;
  createdBefore?: number;
  /** A location-limited caller: only events about these locations, or org-wide ones (location_ids null). */
  within?: readonly string[] | null;
}

const isPostgres = (db: Kysely<DB>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Only rows every reader can rely on: on PostgreSQL, those written by transactions older than every transaction
 * still running, so no row can later commit in front of one already returned (SQLite has one writer: all).
 */
function settled<Q extends { where: (...a: any[]) => Q }>(db: Kysely<DB>, q: Q, column = 'tx'): Q {
  return isPostgres(db) ? q.where(sql.ref(column), '<', sql`pg_snapshot_xmin(pg_current_snapshot())::text::bigint`) : q;
}

/** Ids are ours (`loc_` + [a-z0-9]): a JSON-quoted id in the array text, with LIKE's `_` escaped. */
const mentions = (locationId: string) => `%"${locationId.replace(/[\\%_]/g, (c) => `\\${c}`)}"%`;

/** The org's events in feed order after `after`, filtered in SQL so that every page is full. */
export function listEvents(db: Kysely<DB>, orgId: string, f: EventFilter, limit: number, after?: FeedPosition): Promise<EventRow[]> {
  let q = db.selectFrom('events').selectAll().where('org_id', '=', orgId);
  q = settled(db, q);
  if (f.type && 'exact' in f.type) q = q.where('type', '=', f.type.exact);
  if (f.type && 'prefix' in f.type) q = q.where('type', 'like', `${f.type.prefix}%`);
  if (f.createdAfter !== undefined) q = q.where('created_at', '>=', f.createdAfter);
  if (f.createdBefore !== undefined) q = q.where('created_at', '<', f.createdBefore);
  if (f.within) {
    const within = f.within;
    q = q.where((eb) => eb.or([eb('location_ids', 'is', null), ...within.map((id) => sql<boolean>`location_ids like ${mentions(id)} escape '\\'`)]));
  }
  if (after) q = q.where((eb) => eb.or([eb('tx', '>', after[0]), eb.and([eb('tx', '=', after[0]), eb('seq', '>', after[1])])]));
  return q.orderBy('tx').orderBy('seq').limit(limit).execute();
}

export const findEvent = (db: Kysely<DB>, orgId: string, id: string) =>
  db.selectFrom('events').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

/**
 * System work (the webhook fan-out), across organisations: the next settled events after `after` in feed order.
 * Each row carries its org, and everything done with it afterwards is scoped by that org.
 */
export function eventsAfter(db: Kysely<DB>, after: FeedPosition, limit: number): Promise<EventRow[]> {
  let q = db.selectFrom('events').selectAll();
  q = settled(db, q);
  q = q.where((eb) => eb.or([eb('tx', '>', after[0]), eb.and([eb('tx', '=', after[0]), eb('seq', '>', after[1])])]));
  return q.orderBy('tx').orderBy('seq').limit(limit).execute();
}

/** Retention (system work, across organisations): deletes up to `batch` events recorded before `before`. */
export async function pruneEventsBefore(db: Kysely<DB>, before: number, batch: number): Promise<number> {
  const res = await db.deleteFrom('events')
    .where('seq', 'in', (eb) => eb.selectFrom('events').select('seq').where('created_at', '<', before).limit(batch))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
