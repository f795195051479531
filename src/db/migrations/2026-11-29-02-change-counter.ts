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

/** Rows per organisation on PostgreSQL; an organisation's version is the sum of its rows. */
export const VERSION_SLOTS = 64;

/**
 * Frozen: the per-organisation change counter (`org_versions`), the signal that lets every instance keep its
 * caches and still see any change, from any instance, on its very next request (docs/caches.md).
 *
 * Bumped by triggers in the same transaction as the write, so no code path can forget it. On PostgreSQL the
 * triggers are deferred constraint triggers: they run at COMMIT, so a counter row is locked only while the
 * commit is written, and it is the last lock a transaction takes (no lock-order cycles with the staff advisory
 * locks). Even so, one row per organisation would make its writers commit one at a time (measured with
 * pgbench, 20 clients: ~650 commits/s against ~2,600 without): each transaction bumps one of 64 rows chosen
 * by its transaction id, and the version is their sum. The sum is exact: every commit adds one, and a later
 * statement sees every commit an earlier one saw, so two reads with the same sum saw the same commits.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('org_versions')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('org_versions_pk', ['org_id', 'slot'])
    .execute();

  if (dialect === 'postgres') {
    await sql`create function setora_bump_org_version() returns trigger language plpgsql as $$
      begin
        insert into org_versions as v (org_id, slot, version)
          values (case when tg_op = 'DELETE' then old.org_id else new.org_id end, (pg_current_xact_id()::text::bigint % ${sql.raw(String(VERSION_SLOTS))})::integer, 1)
          on conflict (org_id, slot) do update set version = v.version + 1;
        return null;
      end $$`.execute(db);
    for (const table of COUNTED_TABLES) {
      await sql.raw(`create constraint trigger ${table}_bump_org_version after insert or update or delete on ${table}
        deferrable initially deferred for each row execute function setora_bump_org_version()`).execute(db);
    }
    return;
  }
  // SQLite: one writer at a time, so an immediate trigger on one row holds nothing up.
  for (const table of COUNTED_TABLES) {
    for (const [event, row] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
      await sql.raw(`create trigger ${table}_bump_org_version_${event} after ${event} on ${table}
        begin
          insert into org_versions (org_id, slot, version) values (${row}.org_id, 0, 1)
            on conflict (org_id, slot) do update set version = version + 1;
        end`).execute(db);
    }
  }
}
