import { CompiledQuery, PostgresAdapter, type Compilable, type Kysely } from 'kysely';
import type { DB } from './schema.js';

type Rows<T> = T extends Compilable<infer R> ? R[] : never;

/**
 * Runs several independent reads.
 * - PostgreSQL, inside a transaction (one connection): ONE statement (each read wrapped in `json_agg`), so
 *   the transaction pays one network round trip instead of one per read (a booking needs a dozen reads).
 * - PostgreSQL, outside a transaction: each read as its own pooled statement, all at once. `json_agg`
 *   costs the server about a microsecond per row and the client a JSON parse (docs/scaling.md: for an
 *   availability answer's thousand bookings it was half the time), which a few parallel round trips beat.
 * - SQLite (in-process): one after another.
 * Column values are numbers and text either way (epoch ms fit in 2^53).
 */
export async function readBatch<Q extends readonly Compilable<unknown>[]>(db: Kysely<DB>, queries: Q): Promise<{ [K in keyof Q]: Rows<Q[K]> }> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    const out: unknown[] = [];
    for (const q of queries) out.push((await db.executeQuery(q.compile())).rows);
    return out as never;
  }
  if (!db.isTransaction) return Promise.all(queries.map(async (q) => (await db.executeQuery(q.compile())).rows)) as never;
  const parameters: unknown[] = [];
  const parts = queries.map((q, i) => {
    const compiled = q.compile();
    const offset = parameters.length;
    parameters.push(...compiled.parameters);
    const text = compiled.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    return `(select coalesce(json_agg(t), '[]'::json) from (${text}) t) as r${i}`;
  });
  const result = await db.executeQuery(CompiledQuery.raw(`select ${parts.join(', ')}`, parameters) as CompiledQuery<Record<string, unknown[]>>);
  const row = result.rows[0]!;
  return queries.map((_, i) => row[`r${i}`]) as never;
}
