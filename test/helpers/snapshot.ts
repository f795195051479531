import type { Database } from '../../src/db/connect.js';

/**
 * Every row a mutation could touch for this org (shop data with its hours and links, members, keys, idempotency
 * records, the events outbox), for "nothing changed" assertions.
 */
export async function snapshot(database: Database, orgId: string): Promise<string> {
  const db = database.db;
  const all = (table: 'clients' | 'bookings' | 'locations' | 'location_closures' | 'services' | 'staff' | 'staff_exceptions') =>
    db.selectFrom(table).selectAll().where('org_id', '=', orgId).orderBy('id').execute();
  const links = (table: 'staff_hours' | 'staff_locations' | 'staff_services' | 'service_locations') =>
    db.selectFrom(table).selectAll().where('org_id', '=', orgId).execute().then((rows) => rows.map((r) => JSON.stringify(r)).sort());
  const [clients, bookings, locations, closures, services, staff, exceptions, keys, idem, events, endpoints, hours, staffLocations, staffServices, serviceLocations, members] = await Promise.all([
    all('clients'), all('bookings'), all('locations'), all('location_closures'), all('services'), all('staff'), all('staff_exceptions'),
    db.selectFrom('api_keys').select(['id', 'revoked_at']).where('org_id', '=', orgId).orderBy('id').execute(),
    db.selectFrom('idempotency_keys').select(['key', 'state', 'fingerprint']).where('org_id', '=', orgId).orderBy('key').execute(),
    db.selectFrom('events').select(['id', 'type', 'data']).where('org_id', '=', orgId).orderBy('seq').execute(),
    db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).orderBy('id').execute(),
    links('staff_hours'), links('staff_locations'), links('staff_services'), links('service_locations'),
    db.selectFrom('memberships').select(['user_id', 'role']).where('org_id', '=', orgId).orderBy('user_id').execute(),
  ]);
  return JSON.stringify({ clients, bookings, locations, closures, services, staff, exceptions, keys, idem, events, endpoints, hours, staffLocations, staffServices, serviceLocations, members });
}
