import { createRequire } from 'node:module';
import pg from 'pg';
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { DB } from './schema.js';

/**
 * Fewer round trips for PostgreSQL transactions (docs/scaling.md, "Bookings in three round trips").
 *
 * Each statement the `pg` client sends waits for its answer before the next goes out. In a short transaction
 * most of the time is these waits, and two of them carry nothing the code needs to wait for: `BEGIN`, and
 * writes whose outcome nobody inspects (the event a change records). So, per pooled connection:
 * - `BEGIN` is held back and sent in the same round trip as the transaction's first statement;
 * - a write marked with `deferredWrite` is held back and sent with the next statement or with `COMMIT`;
 * - held-back statements go as one protocol pipeline (Parse/Bind/Execute for each, then one Sync), so they
 *   keep their bound parameters. If one fails, PostgreSQL skips the rest (a `COMMIT` among them never runs),
 *   the error is the pipeline's, and the transaction is rolled back as for any failed statement.
 * Nothing changes for statements outside a transaction, and nothing on SQLite.
 */

const DEFERRED = '/* setora:deferred */ ';
const BATCH = '/* setora:batch */';
// How `pg` turns a JS value into a parameter (its own Query does the same).
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (v: unknown) => unknown };

/**
 * Runs a write inside `trx` whose result the caller does not inspect. On PostgreSQL it travels with the
 * transaction's next statement or its COMMIT, saving a round trip; an error it raises surfaces there and rolls
 * the transaction back. Elsewhere (SQLite, or outside a transaction) it runs at once.
 */
export async function deferredWrite(trx: Kysely<DB>, query: Compilable<unknown>): Promise<void> {
  const compiled = query.compile();
  await trx.executeQuery(CompiledQuery.raw(DEFERRED + compiled.sql, [...compiled.parameters]));
}

interface Statement { text: string; values?: readonly unknown[] }

/**
 * Several reads in ONE round trip on PostgreSQL, each as its own statement in a pipeline (rows come back as
 * usual, no JSON): the rows of each, in order. Inside a transaction they also carry whatever was held back.
 * PostgreSQL only (the caller checks the dialect).
 */
export async function pipelinedReads(db: Kysely<DB>, queries: CompiledQuery[]): Promise<unknown[][]> {
  const statements: Statement[] = queries.map((q) => ({ text: q.sql, values: q.parameters }));
  return (await db.executeQuery(CompiledQuery.raw(BATCH, [statements as never]))).rows as unknown[][];
}

/** A query that sends several statements in one pipeline and collects one result per statement that has one. */
class Pipeline extends pg.Query {
  constructor(private readonly statements: Statement[], callback: (err: Error | null, results: Result | Result[]) => void) {
    super({ text: statements.map((s) => s.text).join('; '), queryMode: 'extended', callback } as never);
  }

  prepare(connection: any): void {
    for (const s of this.statements) {
      connection.parse({ text: s.text, name: '' });
      connection.bind({ portal: '', statement: '', values: s.values ?? [], valueMapper: prepareValue });
      connection.describe({ type: 'P', name: '' });
      connection.execute({ portal: '', rows: 0 });
    }
    connection.sync();
  }
}

type Result = { command: string; rowCount: number | null; rows: unknown[] };
const empty = (command: string): Result => ({ command, rowCount: 0, rows: [] });

/** Wraps a pooled client so that its transactions hold back `BEGIN` and deferred writes (see above). */
function pipelined(client: pg.PoolClient) {
  let beginHeld = false;
  let inTransaction = false;
  let held: Statement[] = [];

  /** Every statement's result, in order (one round trip). */
  async function sendAll(statements: Statement[]): Promise<Result[]> {
    // A custom query is not a promise: it reports through its callback once PostgreSQL is ready again.
    const out = await new Promise<Result | Result[]>((resolve, reject) => {
      client.query(new Pipeline(statements, (err, results) => (err ? reject(err) : resolve(results))) as never);
    });
    return Array.isArray(out) ? out : [out];
  }

  async function send(statements: Statement[]): Promise<Result> {
    if (statements.length === 1) return client.query(statements[0]!.text, statements[0]!.values as unknown[]) as unknown as Result;
    return (await sendAll(statements)).at(-1)!;
  }

  const query = async (text: string, values?: unknown[]): Promise<Result> => {
    const word = text.length <= 8 ? text.toLowerCase() : '';
    if (word === 'begin') {
      beginHeld = true;
      inTransaction = true;
      return empty('BEGIN');
    }
    if (word === 'rollback') {
      const sentBegin = !beginHeld;
      beginHeld = false;
      inTransaction = false;
      held = [];
      return sentBegin ? send([{ text }]) : empty('ROLLBACK');
    }
    if (inTransaction && text.startsWith(DEFERRED)) {
      held.push({ text: text.slice(DEFERRED.length), values });
      return empty('INSERT');
    }
    if (word === 'commit') {
      inTransaction = false;
      if (beginHeld && !held.length) {
        beginHeld = false;
        return empty('COMMIT'); // nothing was sent: nothing to commit
      }
    }
    const before = [...(beginHeld ? [{ text: 'begin' }] : []), ...held];
    beginHeld = false;
    held = [];
    if (text === BATCH) {
      const reads = values![0] as Statement[];
      const results = await sendAll([...before, ...reads]);
      return { command: 'SELECT', rowCount: reads.length, rows: results.slice(before.length).map((r) => r.rows) };
    }
    return send([...before, { text, values }]);
  };

  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'query') return (text: unknown, values?: unknown[]) => (typeof text === 'string' ? query(text, values) : target.query(text as never));
      if (prop === 'release') {
        return (err?: Error | boolean) => {
          beginHeld = false;
          inTransaction = false;
          held = [];
          return target.release(err);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The pool Kysely uses on PostgreSQL: each client wrapped once (see above). */
export function pipelinedPool(pool: pg.Pool) {
  const wrapped = new WeakMap<pg.PoolClient, pg.PoolClient>();
  return {
    async connect(): Promise<pg.PoolClient> {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) wrapped.set(client, (w = pipelined(client)));
      return w;
    },
    end: () => pool.end(),
  };
}
