import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { OnlineBookingSettingsTable } from './online.tables.js';
import './online.tables.js';

export type OnlineSettingsRow = Selectable<OnlineBookingSettingsTable>;
export type OnlineSettingsPatch = Partial<Omit<OnlineSettingsRow, 'org_id' | 'location_id' | 'updated_at'>>;

export const listSettings = (db: Kysely<DB>, orgId: string) =>
  db.selectFrom('online_booking_settings').selectAll().where('org_id', '=', orgId).execute();

export const findSettings = (db: Kysely<DB>, orgId: string, locationId: string) =>
  db.selectFrom('online_booking_settings').selectAll().where('org_id', '=', orgId).where('location_id', '=', locationId).executeTakeFirst();

/** Creates the location's row with `full` (defaults merged by the caller) or updates it with `patch`. */
export async function upsertSettings(db: Kysely<DB>, orgId: string, locationId: string, full: Omit<OnlineSettingsRow, 'org_id' | 'location_id'>, patch: OnlineSettingsPatch & { updated_at: number }): Promise<void> {
  await db.insertInto('online_booking_settings').values({ org_id: orgId, location_id: locationId, ...full })
    .onConflict((oc) => oc.columns(['org_id', 'location_id']).doUpdateSet(patch))
    .execute();
}

/** Ids of the services and staff kept off the booking page. */
export async function hiddenIds(db: Kysely<DB>, orgId: string): Promise<{ services: Set<string>; staff: Set<string> }> {
  const [services, staff] = await Promise.all([
    db.selectFrom('online_hidden_services').select('service_id').where('org_id', '=', orgId).execute(),
    db.selectFrom('online_hidden_staff').select('staff_id').where('org_id', '=', orgId).execute(),
  ]);
  return { services: new Set(services.map((r) => r.service_id)), staff: new Set(staff.map((r) => r.staff_id)) };
}

export async function setServiceHidden(db: Kysely<DB>, orgId: string, serviceId: string, hidden: boolean): Promise<void> {
  if (hidden) await db.insertInto('online_hidden_services').values({ org_id: orgId, service_id: serviceId }).onConflict((oc) => oc.doNothing()).execute();
  else await db.deleteFrom('online_hidden_services').where('org_id', '=', orgId).where('service_id', '=', serviceId).execute();
}

export async function setStaffHidden(db: Kysely<DB>, orgId: string, staffId: string, hidden: boolean): Promise<void> {
  if (hidden) await db.insertInto('online_hidden_staff').values({ org_id: orgId, staff_id: staffId }).onConflict((oc) => oc.doNothing()).execute();
  else await db.deleteFrom('online_hidden_staff').where('org_id', '=', orgId).where('staff_id', '=', staffId).execute();
}
