import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from 'kysely';
import type { DB } from './schema.js';
import { pipelinedPool } from './pipeline.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Queries sent so far (tests count them: a bad-checksum key must cost zero). */
  readonly queryCount: () => number;
  /**
   * Run an already-compiled read outside Kysely's connection queue. On SQLite this uses a second,
   * read-only connection (WAL lets it read while the writer works), a cached prepared statement, and a
   * result cache dropped whenever the database changes; on PostgreSQL a pooled query as a named prepared
   * statement (parsed and planned once per connection). Used on hot paths: API-key lookup, the change
   * signal, location reads. Callers must not mutate the rows they get.
   */
  readCompiled<R>(query: CompiledQuery<R>, parameters: readonly unknown[]): Promise<R[]>;
  /**
   * SQLite only: a number that changes whenever the stored data may have changed (any commit, by any
   * connection or process). Lets a service memoise a derived answer exactly as long as the read cache would
   * hold its inputs. Undefined on PostgreSQL, where other instances write unseen: there the per-organisation
   * counter stands in for it (change-signal.ts).
   */
  dataEpoch?: () => number;
  close(): Promise<void>;
}

/**
 * `preparedStatements: false` runs hot reads as unnamed statements, for a pooler that cannot keep named ones
 * (PgBouncer before 1.21 in transaction mode; docs/scaling.md).
 */
export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize?: number; preparedStatements?: boolean };

// int8 (epoch ms) as a JS number, not a string: values stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

function cachedStatements(raw: SqliteDatabase.Database, counter: { n: number }) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return (sql: string) => {
    counter.n++;
    let stmt = cache.get(sql);
    if (!stmt) {
      if (cache.size > 1000) cache.clear();
      stmt = raw.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
}

function openSqlite(file: string): Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = new SqliteDatabase(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const reader = new SqliteDatabase(file, { readonly: true });
  reader.pragma('busy_timeout = 5000');
  const counter = { n: 0 };
  const prepareWrite = cachedStatements(raw, counter);
  const prepareRead = cachedStatements(reader, counter);
  // Hot reads are remembered until the database changes. `PRAGMA data_version` moves whenever another
  // connection commits, e.g. another process on the file such as `setora keys revoke`; our own writer's
  // statements are counted directly (writeEpoch). The pragma is asked at most once per event-loop turn:
  // requests handled in one turn are concurrent anyway. So a revoked key or an edited location is seen by the
  // very next request, as if nothing were cached.
  const dataVersion = reader.prepare('pragma data_version').pluck();
  let seenVersion: unknown;
  let writeEpoch = 0;
  let seenEpoch = -1;
  let checkedThisTurn = false;
  let generation = 0;
  const results = new Map<string, unknown[]>();
  const refresh = (): number => {
    if (!checkedThisTurn || writeEpoch !== seenEpoch) {
      const version = dataVersion.get();
      if (version !== seenVersion || writeEpoch !== seenEpoch) {
        results.clear();
        generation++;
      }
      seenVersion = version;
      seenEpoch = writeEpoch;
      if (!checkedThisTurn) {
        checkedThisTurn = true;
        setImmediate(() => (checkedThisTurn = false));
      }
    }
    return generation;
  };
  const readCached = (sql: string, parameters: readonly unknown[]): unknown[] => {
    refresh();
    const key = `${sql}\0${parameters.join('\u0001')}`; // parameters of hot reads are strings and numbers
    let rows = results.get(key);
    if (!rows) {
      rows = prepareRead(sql).all(...(parameters as unknown[]));
      if (results.size >= 5000) results.clear();
      results.set(key, rows);
    }
    return rows;
  };
  const database = {
    close: () => raw.close(),
    // Kysely's SQLite driver prepares every query afresh (~4× the cost of a cached statement), and
    // opens transactions with a plain BEGIN, which can fail with SQLITE_BUSY when it later needs to
    // write while another process wrote. Cache statements and take the write lock up front instead.
    prepare: (sql: string) => {
      const stmt = prepareWrite(sql === 'begin' ? 'begin immediate' : sql);
      if (stmt.reader) return stmt;
      return { reader: false, run: (...args: unknown[]) => { writeEpoch++; return stmt.run(...args); } };
    },
  };
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: database as unknown as SqliteDatabase.Database }) });
  return {
    db,
    dialect: 'sqlite',
    queryCount: () => counter.n,
    readCompiled: async (query, parameters) => readCached(query.sql, parameters) as never,
    dataEpoch: refresh,
    close: async () => {
      reader.close();
      await db.destroy();
    },
  };
}

function openPostgres(url: string, poolSize = 10, preparedStatements = true): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const counter = { n: 0 };
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: pipelinedPool(pool) as unknown as pg.Pool }),
    log: (event) => {
      if (event.level === 'query' || event.level === 'error') counter.n++;
    },
  });
  // Hot reads as named prepared statements: PostgreSQL parses and plans each once per connection instead
  // of on every call (an unnamed statement is planned afresh each time).
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) names.set(text, (name = `setora_r${names.size}`));
    return name;
  };
  return {
    db,
    dialect: 'postgres',
    queryCount: () => counter.n,
    readCompiled: async (query, parameters) => {
      counter.n++;
      const name = preparedStatements ? nameOf(query.sql) : undefined;
      const result = await pool.query({ name, text: query.sql, values: parameters as unknown[] });
      return result.rows;
    },
    close: () => db.destroy(),
  };
}

export function openDatabase(target: DatabaseTarget): Database {
  return target.kind === 'sqlite' ? openSqlite(target.file) : openPostgres(target.url, target.poolSize, target.preparedStatements);
}
