import type { Kysely, Selectable } from 'kysely';
import type { DB, StaffTable, StaffHoursTable, StaffExceptionsTable } from '../../db/schema.js';

export type StaffRow = Selectable<StaffTable>;
export type StaffHoursRow = Selectable<StaffHoursTable>;
export type StaffExceptionRow = Selectable<StaffExceptionsTable>;

export interface StaffFilter {
  locationId?: string;
  /** Only staff who work at one of these locations (a location-limited caller). */
  within?: readonly string[] | null;
  serviceId?: string;
  bookableOnly?: boolean;
}

/** Ordered by created_at, id; `onlyId` narrows to one staff member (to ask whether a filter admits them). */
export function listStaff(db: Kysely<DB>, orgId: string, filter: StaffFilter, limit: number, after?: [number, string], onlyId?: string): Promise<StaffRow[]> {
  let q = db.selectFrom('staff').selectAll('staff').where('staff.org_id', '=', orgId);
  if (onlyId !== undefined) q = q.where('staff.id', '=', onlyId);
  if (filter.locationId) {
    q = q.where((eb) => eb.exists(eb.selectFrom('staff_locations as x').select('x.staff_id')
      .whereRef('x.staff_id', '=', 'staff.id').where('x.org_id', '=', orgId).where('x.location_id', '=', filter.locationId!)));
  }
  if (filter.within) {
    const ids = filter.within.length ? [...filter.within] : [''];
    q = q.where((eb) => eb.exists(eb.selectFrom('staff_locations as w').select('w.staff_id')
      .whereRef('w.staff_id', '=', 'staff.id').where('w.org_id', '=', orgId).where('w.location_id', 'in', ids)));
  }
  if (filter.serviceId) {
    q = q.where((eb) => eb.exists(eb.selectFrom('staff_services as y').select('y.staff_id')
      .whereRef('y.staff_id', '=', 'staff.id').where('y.org_id', '=', orgId).where('y.service_id', '=', filter.serviceId!)));
  }
  if (filter.bookableOnly) q = q.where('staff.bookable', '=', 1);
  if (after) q = q.where((eb) => eb.or([eb('staff.created_at', '>', after[0]), eb.and([eb('staff.created_at', '=', after[0]), eb('staff.id', '>', after[1])])]));
  return q.orderBy('staff.created_at').orderBy('staff.id').limit(limit).execute();
}

export const findStaff = (db: Kysely<DB>, orgId: string, id: string) =>
  db.selectFrom('staff').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

export async function linksFor(db: Kysely<DB>, orgId: string, staffIds: string[]) {
  if (!staffIds.length) return { locations: [], services: [], hours: [] };
  const [locations, services, hours] = await Promise.all([
    db.selectFrom('staff_locations as sl')
      .innerJoin('locations as l', (j) => j.onRef('l.id', '=', 'sl.location_id').onRef('l.org_id', '=', 'sl.org_id'))
      .select(['sl.staff_id', 'l.id as location_id', 'l.slug'])
      .where('sl.org_id', '=', orgId).where('sl.staff_id', 'in', staffIds).orderBy('l.slug').execute(),
    db.selectFrom('staff_services').select(['staff_id', 'service_id']).where('org_id', '=', orgId).where('staff_id', 'in', staffIds).orderBy('service_id').execute(),
    db.selectFrom('staff_hours').selectAll().where('org_id', '=', orgId).where('staff_id', 'in', staffIds).execute(),
  ]);
  return { locations, services, hours };
}


export async function insertStaff(
  db: Kysely<DB>,
  orgId: string,
  row: Omit<StaffRow, 'org_id'>,
  links: { locationIds: string[]; serviceIds: string[]; hours: Omit<StaffHoursRow, 'org_id' | 'staff_id'>[] },
): Promise<void> {
  await db.insertInto('staff').values({ ...row, org_id: orgId }).execute();
  await replaceStaffLinks(db, orgId, row.id, links);
}

export async function replaceStaffLinks(
  db: Kysely<DB>,
  orgId: string,
  staffId: string,
  links: { locationIds?: string[]; serviceIds?: string[]; hours?: Omit<StaffHoursRow, 'org_id' | 'staff_id'>[] },
): Promise<void> {
  if (links.locationIds) {
    await db.deleteFrom('staff_locations').where('org_id', '=', orgId).where('staff_id', '=', staffId).execute();
    if (links.locationIds.length) await db.insertInto('staff_locations').values(links.locationIds.map((location_id) => ({ org_id: orgId, staff_id: staffId, location_id }))).execute();
  }
  if (links.serviceIds) {
    await db.deleteFrom('staff_services').where('org_id', '=', orgId).where('staff_id', '=', staffId).execute();
    if (links.serviceIds.length) await db.insertInto('staff_services').values(links.serviceIds.map((service_id) => ({ org_id: orgId, staff_id: staffId, service_id }))).execute();
  }
  if (links.hours) {
    await db.deleteFrom('staff_hours').where('org_id', '=', orgId).where('staff_id', '=', staffId).execute();
    if (links.hours.length) await db.insertInto('staff_hours').values(links.hours.map((h) => ({ ...h, org_id: orgId, staff_id: staffId }))).execute();
  }
}

export async function insertException(db: Kysely<DB>, orgId: string, row: Omit<StaffExceptionRow, 'org_id'>): Promise<void> {
  await db.insertInto('staff_exceptions').values({ ...row, org_id: orgId }).execute();
}

/** Weekly hours of these staff (at least one) at one location: a query to run or batch. */
export const hoursAtQuery = (db: Kysely<DB>, orgId: string, staffIds: string[], locationId: string) =>
  db.selectFrom('staff_hours').selectAll().where('org_id', '=', orgId).where('staff_id', 'in', staffIds).where('location_id', '=', locationId);

/** Dated exceptions of these staff (at least one) on local dates in [from, to]: a query to run or batch. */
export const exceptionsQuery = (db: Kysely<DB>, orgId: string, staffIds: string[], from: string, to: string) =>
  db.selectFrom('staff_exceptions').selectAll().where('org_id', '=', orgId).where('staff_id', 'in', staffIds).where('date', '>=', from).where('date', '<=', to);

export function exceptionsFor(db: Kysely<DB>, orgId: string, staffIds: string[], from: string, to: string): Promise<StaffExceptionRow[]> {
  if (!staffIds.length) return Promise.resolve([]);
  return exceptionsQuery(db, orgId, staffIds, from, to).execute();
}

/** Bookable staff who work at the location (by slug) and perform the service, oldest first: to run or batch. */
export const eligibleStaffBySlugQuery = (db: Kysely<DB>, orgId: string, locationSlug: string, serviceId: string) =>
  db.selectFrom('staff').selectAll('staff')
    .where('staff.org_id', '=', orgId).where('staff.bookable', '=', 1)
    .where((eb) => eb.exists(eb.selectFrom('staff_locations as x')
      .innerJoin('locations as l', (j) => j.onRef('l.id', '=', 'x.location_id').onRef('l.org_id', '=', 'x.org_id'))
      .select('x.staff_id').whereRef('x.staff_id', '=', 'staff.id').where('x.org_id', '=', orgId).where('l.slug', '=', locationSlug)))
    .where((eb) => eb.exists(eb.selectFrom('staff_services as y').select('y.staff_id')
      .whereRef('y.staff_id', '=', 'staff.id').where('y.org_id', '=', orgId).where('y.service_id', '=', serviceId)))
    .orderBy('staff.created_at').orderBy('staff.id');

/** The ids of eligibleStaffBySlugQuery, as a subquery. */
export const eligibleStaffIdsBySlugQuery = (db: Kysely<DB>, orgId: string, locationSlug: string, serviceId: string) =>
  eligibleStaffBySlugQuery(db, orgId, locationSlug, serviceId).clearSelect().clearOrderBy().select('staff.id');

/** Dated exceptions of these staff from local date `floor` on (time off and extra hours not yet over). */
export function exceptionsFrom(db: Kysely<DB>, orgId: string, staffIds: string[], floor: string): Promise<StaffExceptionRow[]> {
  if (!staffIds.length) return Promise.resolve([]);
  return db.selectFrom('staff_exceptions').selectAll().where('org_id', '=', orgId).where('staff_id', 'in', staffIds).where('date', '>=', floor)
    .orderBy('date').orderBy('start_minute').execute();
}

export async function updateStaffRow(db: Kysely<DB>, orgId: string, id: string, patch: Partial<Omit<StaffRow, 'org_id' | 'id' | 'created_at'>>): Promise<void> {
  await db.updateTable('staff').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
}

export async function deleteException(db: Kysely<DB>, orgId: string, staffId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('staff_exceptions').where('org_id', '=', orgId).where('staff_id', '=', staffId).where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
