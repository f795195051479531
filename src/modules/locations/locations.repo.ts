import type { Kysely, Selectable } from 'kysely';
import type { DB, LocationsTable, LocationClosuresTable } from '../../db/schema.js';
import type { Database } from '../../db/connect.js';
import { preparedRead } from '../../db/prepared.js';

export type LocationRow = Selectable<LocationsTable>;
export type ClosureRow = Selectable<LocationClosuresTable>;

const firstPage = preparedRead<LocationRow, 'orgId' | 'limit'>((db, p) =>
  db.selectFrom('locations').selectAll().where('org_id', '=', p('orgId')).orderBy('created_at').orderBy('id').limit(p('limit')),
);
const nextPage = preparedRead<LocationRow, 'orgId' | 'limit' | 'createdAt' | 'id'>((db, p) =>
  db
    .selectFrom('locations')
    .selectAll()
    .where('org_id', '=', p('orgId'))
    .where((eb) => eb.or([eb('created_at', '>', p('createdAt')), eb.and([eb('created_at', '=', p('createdAt')), eb('id', '>', p('id'))])]))
    .orderBy('created_at')
    .orderBy('id')
    .limit(p('limit')),
);
const bySlug = preparedRead<LocationRow, 'orgId' | 'slug'>((db, p) =>
  db.selectFrom('locations').selectAll().where('org_id', '=', p('orgId')).where('slug', '=', p('slug')),
);
const openClosures = preparedRead<ClosureRow, 'orgId' | 'today'>((db, p) =>
  db.selectFrom('location_closures').selectAll().where('org_id', '=', p('orgId')).where('ends_on', '>=', p('today')).orderBy('starts_on'),
);

/** Ordered by created_at, id; `after` is the last row of the previous page; `within` limits to these ids. */
export function listLocations(database: Database, orgId: string, limit: number, after?: [number, string], within?: readonly string[] | null): Promise<LocationRow[]> {
  if (within) {
    let q = database.db.selectFrom('locations').selectAll().where('org_id', '=', orgId).where('id', 'in', within.length ? [...within] : ['']);
    if (after) q = q.where((eb) => eb.or([eb('created_at', '>', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '>', after[1])])]));
    return q.orderBy('created_at').orderBy('id').limit(limit).execute();
  }
  return after ? nextPage(database, { orgId, limit, createdAt: after[0], id: after[1] }) : firstPage(database, { orgId, limit });
}

export async function findLocationBySlug(database: Database, orgId: string, slug: string): Promise<LocationRow | undefined> {
  return (await bySlug(database, { orgId, slug }))[0];
}

/** Closures not yet over (any location of the org); `today` as YYYY-MM-DD is a safe lower bound for every zone. */
export function listOpenClosures(database: Database, orgId: string, today: string): Promise<ClosureRow[]> {
  return openClosures(database, { orgId, today });
}

export async function insertLocation(db: Kysely<DB>, orgId: string, row: Omit<LocationRow, 'org_id'>): Promise<void> {
  await db.insertInto('locations').values({ ...row, org_id: orgId }).execute();
}

export async function insertClosure(db: Kysely<DB>, orgId: string, row: Omit<ClosureRow, 'org_id'>): Promise<void> {
  await db.insertInto('location_closures').values({ ...row, org_id: orgId }).execute();
}

export async function findLocationsByIds(db: Kysely<DB>, orgId: string, ids: string[]): Promise<LocationRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('locations').selectAll().where('org_id', '=', orgId).where('id', 'in', ids).execute();
}

export const findLocationById = (db: Kysely<DB>, orgId: string, id: string) =>
  db.selectFrom('locations').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

/** The same as findLocationBySlug, inside a transaction (no read cache). */
export const findLocationBySlugIn = (db: Kysely<DB>, orgId: string, slug: string) =>
  db.selectFrom('locations').selectAll().where('org_id', '=', orgId).where('slug', '=', slug).executeTakeFirst();

/** One location's closures not yet over (`floor` is a day before today in every zone), inside a transaction. */
export const closuresOf = (db: Kysely<DB>, orgId: string, locationId: string, floor: string): Promise<ClosureRow[]> =>
  db.selectFrom('location_closures').selectAll().where('org_id', '=', orgId).where('location_id', '=', locationId)
    .where('ends_on', '>=', floor).orderBy('starts_on').orderBy('id').execute();

export async function updateLocationRow(db: Kysely<DB>, orgId: string, id: string, patch: Partial<Omit<LocationRow, 'org_id' | 'id' | 'created_at'>>): Promise<void> {
  await db.updateTable('locations').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
}

export async function deleteClosure(db: Kysely<DB>, orgId: string, locationId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('location_closures').where('org_id', '=', orgId).where('location_id', '=', locationId).where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function findLocationsBySlugs(db: Kysely<DB>, orgId: string, slugs: string[]): Promise<LocationRow[]> {
  if (!slugs.length) return [];
  return db.selectFrom('locations').selectAll().where('org_id', '=', orgId).where('slug', 'in', slugs).execute();
}
