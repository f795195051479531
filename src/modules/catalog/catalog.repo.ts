import type { Kysely, Selectable } from 'kysely';
import type { DB, ServicesTable } from '../../db/schema.js';

export type ServiceRow = Selectable<ServicesTable>;

export interface ServiceFilter {
  locationId?: string;
  activeOnly?: boolean;
}

/** Ordered by created_at, id; `after` is the last row of the previous page. */
export function listServices(db: Kysely<DB>, orgId: string, filter: ServiceFilter, limit: number, after?: [number, string]): Promise<ServiceRow[]> {
  let q = db.selectFrom('services').selectAll('services').where('services.org_id', '=', orgId);
  if (filter.locationId) {
    q = q.where((eb) => eb.exists(
      eb.selectFrom('service_locations as sl').select('sl.service_id')
        .whereRef('sl.service_id', '=', 'services.id').where('sl.org_id', '=', orgId).where('sl.location_id', '=', filter.locationId!),
    ));
  }
  if (filter.activeOnly) q = q.where('services.active', '=', 1);
  if (after) q = q.where((eb) => eb.or([eb('services.created_at', '>', after[0]), eb.and([eb('services.created_at', '=', after[0]), eb('services.id', '>', after[1])])]));
  return q.orderBy('services.created_at').orderBy('services.id').limit(limit).execute();
}

export const findService = (db: Kysely<DB>, orgId: string, id: string) =>
  db.selectFrom('services').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

/** service id → location slugs, for the given services. */
export async function locationSlugsByService(db: Kysely<DB>, orgId: string, serviceIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(serviceIds.map((id) => [id, []]));
  if (!serviceIds.length) return out;
  const rows = await db
    .selectFrom('service_locations as sl')
    .innerJoin('locations as l', (j) => j.onRef('l.id', '=', 'sl.location_id').onRef('l.org_id', '=', 'sl.org_id'))
    .select(['sl.service_id', 'l.slug'])
    .where('sl.org_id', '=', orgId)
    .where('sl.service_id', 'in', serviceIds)
    .orderBy('l.slug')
    .execute();
  for (const r of rows) out.get(r.service_id)?.push(r.slug);
  return out;
}

export async function isServiceOfferedAt(db: Kysely<DB>, orgId: string, serviceId: string, locationId: string): Promise<boolean> {
  const row = await db.selectFrom('service_locations').select('service_id')
    .where('org_id', '=', orgId).where('service_id', '=', serviceId).where('location_id', '=', locationId).executeTakeFirst();
  return !!row;
}

export async function insertService(db: Kysely<DB>, orgId: string, row: Omit<ServiceRow, 'org_id'>, locationIds: string[]): Promise<void> {
  await db.insertInto('services').values({ ...row, org_id: orgId }).execute();
  if (locationIds.length) {
    await db.insertInto('service_locations').values(locationIds.map((location_id) => ({ org_id: orgId, service_id: row.id, location_id }))).execute();
  }
}

export async function updateService(db: Kysely<DB>, orgId: string, id: string, patch: Partial<Omit<ServiceRow, 'org_id' | 'id' | 'created_at'>>, locationIds?: string[]): Promise<void> {
  await db.updateTable('services').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
  if (locationIds) {
    await db.deleteFrom('service_locations').where('org_id', '=', orgId).where('service_id', '=', id).execute();
    if (locationIds.length) await db.insertInto('service_locations').values(locationIds.map((location_id) => ({ org_id: orgId, service_id: id, location_id }))).execute();
  }
}
