import type { Database } from '../../src/db/connect.js';

/** Every row an API mutation could touch for this org, for "nothing changed" assertions. */
export async function snapshot(database: Database, orgId: string): Promise<string> {
  const db = database.db;
  const [clients, bookings, keys, idem, endpoints, events] = await Promise.all([
    db.selectFrom('clients').selectAll().where('org_id', '=', orgId).orderBy('id').execute(),
    db.selectFrom('bookings').selectAll().where('org_id', '=', orgId).orderBy('id').execute(),
    db.selectFrom('api_keys').select(['id', 'revoked_at']).where('org_id', '=', orgId).orderBy('id').execute(),
    db.selectFrom('idempotency_keys').select(['key', 'state', 'fingerprint']).where('org_id', '=', orgId).orderBy('key').execute(),
    db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).orderBy('id').execute(),
    db.selectFrom('events').select(['id', 'type']).where('org_id', '=', orgId).orderBy('id').execute(),
  ]);
  return JSON.stringify({ clients, bookings, keys, idem, endpoints, events });
}
