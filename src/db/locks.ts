import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

/**
 * Serialises writers that would contend for the same rows, inside the current transaction.
 *
 * PostgreSQL: transaction-scoped advisory locks, taken in sorted order so two transactions never wait on
 * each other in a cycle. Without them, two bookings racing for overlapping times of one staff member each
 * wait on the other's uncommitted row in the exclusion constraint: a deadlock that PostgreSQL only breaks
 * after `deadlock_timeout`. The constraint stays the guarantee; the lock makes losing the race a quick,
 * clean 409. SQLite needs nothing: its transactions start with BEGIN IMMEDIATE, one writer at a time.
 */
export async function lockKeys(db: Kysely<DB>, keys: string[]): Promise<void> {
  const statement = lockStatement(db, keys);
  if (statement) await db.executeQuery(statement.compile());
}

/**
 * The same locks as a query that can join a `readBatch` (saving a round trip), or undefined where no lock is
 * needed (SQLite, or no keys).
 */
export function lockStatement(db: Kysely<DB>, keys: string[]) {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const sorted = [...new Set(keys)].sort();
  if (!sorted.length) return undefined;
  // The ORDER BY makes every transaction take its locks in the same order.
  return db.selectNoFrom(sql<null>`(select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from (select k from unnest(${sorted}::text[]) as k order by k) as ks)`.as('locked'));
}

export const staffLockKey = (orgId: string, staffId: string) => `setora:staff:${orgId}:${staffId}`;
