import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { LocationRow, ClosureRow } from '../locations/locations.repo.js';
import type { ServiceRow } from '../catalog/catalog.repo.js';
import type { StaffRow, StaffExceptionRow } from '../staff/staff.repo.js';

/**
 * The writes shop setup needs that the domain repos don't have yet (editing a location or a staff member,
 * removing a closure or an exception), and whole-org reads for the settings screens. Every query is
 * scoped by org_id.
 */

export const listAllLocations = (db: Kysely<DB>, orgId: string): Promise<LocationRow[]> =>
  db.selectFrom('locations').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').limit(500).execute();

export async function updateLocationRow(db: Kysely<DB>, orgId: string, id: string, patch: Partial<Omit<LocationRow, 'org_id' | 'id' | 'created_at'>>): Promise<void> {
  await db.updateTable('locations').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
}

/** Closures not yet over; `floor` (YYYY-MM-DD) is a day before today anywhere. */
export const listClosures = (db: Kysely<DB>, orgId: string, floor: string): Promise<ClosureRow[]> =>
  db.selectFrom('location_closures').selectAll().where('org_id', '=', orgId).where('ends_on', '>=', floor).orderBy('starts_on').orderBy('id').execute();

export async function deleteClosure(db: Kysely<DB>, orgId: string, locationId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('location_closures').where('org_id', '=', orgId).where('location_id', '=', locationId).where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export const listAllServices = (db: Kysely<DB>, orgId: string): Promise<ServiceRow[]> =>
  db.selectFrom('services').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').limit(1000).execute();

export async function serviceLocationIds(db: Kysely<DB>, orgId: string): Promise<Map<string, string[]>> {
  const rows = await db.selectFrom('service_locations').select(['service_id', 'location_id']).where('org_id', '=', orgId).execute();
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.service_id, [...(out.get(r.service_id) ?? []), r.location_id]);
  return out;
}

export const listAllStaff = (db: Kysely<DB>, orgId: string): Promise<StaffRow[]> =>
  db.selectFrom('staff').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').limit(1000).execute();

export async function updateStaffRow(db: Kysely<DB>, orgId: string, id: string, patch: Partial<Omit<StaffRow, 'org_id' | 'id' | 'created_at'>>): Promise<void> {
  await db.updateTable('staff').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
}

/** Exceptions from `floor` on, for these staff. */
export function upcomingExceptions(db: Kysely<DB>, orgId: string, staffIds: string[], floor: string): Promise<StaffExceptionRow[]> {
  if (!staffIds.length) return Promise.resolve([]);
  return db.selectFrom('staff_exceptions').selectAll().where('org_id', '=', orgId).where('staff_id', 'in', staffIds).where('date', '>=', floor)
    .orderBy('date').orderBy('start_minute').execute();
}

export async function deleteException(db: Kysely<DB>, orgId: string, staffId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('staff_exceptions').where('org_id', '=', orgId).where('staff_id', '=', staffId).where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export const findServicesByIds = (db: Kysely<DB>, orgId: string, ids: string[]): Promise<Pick<ServiceRow, 'id'>[]> =>
  ids.length ? db.selectFrom('services').select('id').where('org_id', '=', orgId).where('id', 'in', ids).execute() : Promise.resolve([]);
