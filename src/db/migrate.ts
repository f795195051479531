import { sql, Migrator, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import { randomBytes } from 'node:crypto';
import type { Database } from './connect.js';
import * as foundation from './migrations/2026-11-28-01-foundation.js';
import * as shopModel from './migrations/2026-11-28-02-shop-model.js';
import * as hub from './migrations/2026-11-28-03-hub.js';
import * as bookingCore from './migrations/2026-11-29-01-booking-core.js';
import * as changeCounter from './migrations/2026-11-29-02-change-counter.js';
import * as webhooks from './migrations/2026-11-30-01-webhooks.js';
import * as hubStaffLink from './migrations/2026-11-30-03-hub-staff-link.js';
import * as eventsOneFeedIndex from './migrations/2026-11-30-04-events-one-feed-index.js';
import * as onlineBooking from './migrations/2026-11-30-02-online-booking.js';

type DialectMigration = { up: (db: any, dialect: Database['dialect']) => Promise<void> };

/** Dated, in order, frozen once landed: add a new file, never edit an old one. */
const MIGRATIONS: Record<string, DialectMigration> = {
  '2026-11-28-01-foundation': foundation,
  '2026-11-28-02-shop-model': shopModel,
  '2026-11-28-03-hub': hub,
  '2026-11-29-01-booking-core': bookingCore,
  '2026-11-29-02-change-counter': changeCounter,
  '2026-11-30-01-webhooks': webhooks,
  '2026-11-30-03-hub-staff-link': hubStaffLink,
  '2026-11-30-02-online-booking': onlineBooking,
  '2026-11-30-04-events-one-feed-index': eventsOneFeedIndex,
};

export async function migrate(database: Database): Promise<MigrationResult[]> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(MIGRATIONS)) out[name] = { up: (db) => m.up(db, database.dialect) };
      return out;
    },
  };
  // On PostgreSQL, name the schema explicitly: Kysely looks for its tables across every schema otherwise,
  // and would be fooled by another Setora database living in a sibling schema.
  const schema = database.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(database.db)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db: database.db,
    provider,
    migrationTableName: 'setora_migrations',
    migrationLockTableName: 'setora_migrations_lock',
    // Migrations land from parallel branches; each is independent of those dated after it, so a database that
    // already ran a later-dated one still takes an earlier one that arrived after it.
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  // Kysely's introspector (checking for its own migration table) scans every schema of the database; a sibling
  // schema dropped during that scan (another Setora database's teardown, e.g. parallel test runs) makes
  // PostgreSQL report it missing (SQLSTATE 3F000). Nothing was migrated yet then: look again.
  let outcome = await migrator.migrateToLatest();
  for (let attempt = 1; outcome.error && (outcome.error as { code?: string }).code === '3F000' && attempt < 5; attempt++) {
    outcome = await migrator.migrateToLatest();
  }
  const { error, results } = outcome;
  if (error) throw error instanceof Error ? error : new Error(String(error));
  await ensureServerSecret(database);
  return results ?? [];
}

/** True when every known migration has run (for /readyz). */
export async function migrationsCurrent(database: Database): Promise<boolean> {
  const rows = await database.db.selectFrom('setora_migrations' as any).select('name' as any).execute();
  const done = new Set(rows.map((r: any) => r.name));
  return Object.keys(MIGRATIONS).every((n) => done.has(n));
}

/**
 * A secret shared by every instance on this database (cursor signatures). Kept in the database rather
 * than config so that several stateless instances agree without extra setup.
 */
async function ensureServerSecret(database: Database): Promise<void> {
  await database.db
    .insertInto('server_secrets')
    .values({ name: 'cursor', value: randomBytes(32).toString('hex') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export async function loadServerSecret(database: Database, name: string): Promise<string> {
  const row = await database.db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
