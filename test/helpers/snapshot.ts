import type { Database } from '../../src/db/connect.js';

/** Every row a mutation could touch for this org (shop data, keys, idempotency records, the events outbox), for "nothing changed" assertions. */
export async function snapshot(database: Database, orgId: string): Promise<string> {
  const db = database.db;
  const all = (table: 'clients' | 'bookings' | 'locations' | 'location_closures' | 'services' | 'staff' | 'staff_exceptions') =>
    db.selectFrom(table).selectAll().where('org_id', '=', orgId).orderBy('id').execute();
  const [clients, bookings, locations, closures, services, staff, exceptions, keys, idem, events, endpoints] = await Promise.all([
    all('clients'), all('bookings'), all('locations'), all('location_closures'), all('services'), all('staff'), all('staff_exceptions'),
    db.selectFrom('api_keys').select(['id', 'revoked_at']).where('org_id', '=', orgId).orderBy('id').execute(),
    db.selectFrom('idempotency_keys').select(['key', 'state', 'fingerprint']).where('org_id', '=', orgId).orderBy('key').execute(),
    db.selectFrom('events').select(['id', 'type', 'data']).where('org_id', '=', orgId).orderBy('seq').execute(),
    db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).orderBy('id').execute(),
  ]);
  return JSON.stringify({ clients, bookings, locations, closures, services, staff, exceptions, keys, idem, events, endpoints });
}
