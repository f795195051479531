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


/** Closures not yet over; `floor` (YYYY-MM-DD) is a day before today anywhere. */
export const listClosures = (db: Kysely<DB>, orgId: string, floor: string): Promise<ClosureRow[]> =>
  db.selectFrom('location_closures').selectAll().where('org_id', '=', orgId).where('ends_on', '>=', floor).orderBy('starts_on').orderBy('id').execute();


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


/** Exceptions from `floor` on, for these staff. */
export function upcomingExceptions(db: Kysely<DB>, orgId: string, staffIds: string[], floor: string): Promise<StaffExceptionRow[]> {
  if (!staffIds.length) return Promise.resolve([]);
  return db.selectFrom('staff_exceptions').selectAll().where('org_id', '=', orgId).where('staff_id', 'in', staffIds).where('date', '>=', floor)
    .orderBy('date').orderBy('start_minute').execute();
}


