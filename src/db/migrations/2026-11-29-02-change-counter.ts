import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * The tables whose rows feed a cached answer (availability, location views): a change to any of them, by any
 * code path or process, moves its organisation's counter. Keep in step with docs/caches.md.
 */
export const COUNTED_TABLES = [
  'locations', 'location_closures', 'services', 'service_locations', 'staff', 'staff_locations', 'staff_services',
  'staff_hours', 'staff_exceptions', 'bookings',
] as const;

/**
 * Frozen: the per-organisation change counter (`org_versions`), the signal that lets every instance keep its
 * caches and still see any change, from any instance, on its very next request (docs/caches.md).
 *
 * Bumped by triggers in the same transaction as the write, so no code path can forget it. On PostgreSQL the
 * triggers are deferred constraint triggers: the counter's row is locked only during COMMIT, so writers in one
 * organisation queue on it for the length of a commit, not of their whole transaction, and it is always the
 * last lock a transaction takes (no lock-order cycles with the staff advisory locks).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('org_versions')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();

  if (dialect === 'postgres') {
    await sql`create function setora_bump_org_version() returns trigger language plpgsql as $$
      begin
        insert into org_versions as v (org_id, version)
          values (case when tg_op = 'DELETE' then old.org_id else new.org_id end, 1)
          on conflict (org_id) do update set version = v.version + 1;
        return null;
      end $$`.execute(db);
    for (const table of COUNTED_TABLES) {
      await sql.raw(`create constraint trigger ${table}_bump_org_version after insert or update or delete on ${table}
        deferrable initially deferred for each row execute function setora_bump_org_version()`).execute(db);
    }
    return;
  }
  // SQLite: one writer at a time, so an immediate trigger holds nothing up.
  for (const table of COUNTED_TABLES) {
    for (const [event, row] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
      await sql.raw(`create trigger ${table}_bump_org_version_${event} after ${event} on ${table}
        begin
          insert into org_versions (org_id, version) values (${row}.org_id, 1)
            on conflict (org_id) do update set version = version + 1;
        end`).execute(db);
    }
  }
}
