import type { Kysely } from 'kysely';
import type { Database } from './connect.js';
import type { DB } from './schema.js';
import { isBusy } from './errors.js';

/**
 * Thrown inside a transaction when the attempt lost a race that a fresh attempt may win: the database
 * refused a write (exclusion constraint, unique key) or a guarded update found the row changed. `final` is
 * what the caller gets if the last attempt loses too (typically a typed 409).
 */
export class RetryableConflict extends Error {
  constructor(readonly final: Error) {
    super(final.message);
  }
}

/** Attempts per change: enough to ride out a burst of racing writers; each retry reads fresh data. */
export const MAX_ATTEMPTS = 4;

/**
 * The one transaction runner. Runs `op` in a transaction and commits; when an attempt throws
 * `RetryableConflict`, or the engine reports a transient conflict (SQLite busy, PostgreSQL serialization
 * failure or deadlock), the whole transaction is rolled back and run again with fresh reads, up to
 * MAX_ATTEMPTS; after that the conflict's `final` error (or the engine's) is thrown. Any other error rolls back
 * and is thrown at once. `op` must therefore be safe to run more than once (no side effects outside `trx`).
 */
export async function runTransaction<T>(database: Database, op: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.db.transaction().execute(op);
    } catch (err) {
      const retry = attempt < MAX_ATTEMPTS && (err instanceof RetryableConflict || isBusy(err));
      if (!retry) throw err instanceof RetryableConflict ? err.final : err;
    }
  }
}
