/** Recognise constraint violations from either engine, so services can map them to typed API errors. */
interface DbError { code?: string; message?: string; constraint?: string }

export function isOverlapViolation(err: unknown): boolean {
  const e = err as DbError;
  if (e?.code === '23P01') return true; // PostgreSQL exclusion constraint
  return typeof e?.message === 'string' && e.message.includes('bookings_no_overlap'); // SQLite trigger RAISE(ABORT)
}

export function isUniqueViolation(err: unknown, column?: string): boolean {
  const e = err as DbError;
  const unique = e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  if (!unique || !column) return unique;
  return `${e.constraint ?? ''} ${e.message ?? ''}`.includes(column);
}

export function isBusy(err: unknown): boolean {
  const e = err as DbError;
  return e?.code === 'SQLITE_BUSY' || e?.code === '40001' || e?.code === '40P01';
}
