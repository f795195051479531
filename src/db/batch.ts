import { PostgresAdapter, type Compilable, type Kysely } from 'kysely';
import { pipelinedReads } from './pipeline.js';
import type { DB } from './schema.js';

type Rows<T> = T extends Compilable<infer R> ? R[] : never;

/**
 * Runs several independent reads. On PostgreSQL they go in ONE round trip, as a pipeline of ordinary
 * statements (db/pipeline.ts): a transaction pays one wait instead of one per read (a booking needs a dozen
 * reads), and rows come back as rows. (An earlier version wrapped each read in `json_agg` to the same end; the
 * JSON cost about a microsecond per row to build and as much to parse, half the time of an availability read:
 * docs/scaling.md.) On SQLite (in-process) they simply run one after another.
 */
export async function readBatch<Q extends readonly Compilable<unknown>[]>(db: Kysely<DB>, queries: Q): Promise<{ [K in keyof Q]: Rows<Q[K]> }> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return pipelinedReads(db, queries.map((q) => q.compile())) as never;
  const out: unknown[] = [];
  for (const q of queries) out.push((await db.executeQuery(q.compile())).rows);
  return out as never;
}
