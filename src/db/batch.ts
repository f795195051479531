import { CompiledQuery, PostgresAdapter, type Compilable, type Kysely } from 'kysely';
import type { DB } from './schema.js';

type Rows<T> = T extends Compilable<infer R> ? R[] : never;

/**
 * Runs several independent reads. On PostgreSQL they go as ONE statement (each wrapped in `json_agg`), so a
 * transaction pays one network round trip instead of one per read: on this platform every socket write is
 * expensive, and a booking needs a dozen reads. On SQLite (in-process) they simply run one after another.
 * Column values come back as JSON: numbers stay numbers (epoch ms fit in 2^53), text stays text.
 */
export async function readBatch<Q extends readonly Compilable<unknown>[]>(db: Kysely<DB>, queries: Q): Promise<{ [K in keyof Q]: Rows<Q[K]> }> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    const out: unknown[] = [];
    for (const q of queries) out.push((await db.executeQuery(q.compile())).rows);
    return out as never;
  }
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
