import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe } from 'node:test';
import { randomString } from '../../src/lib/ids.js';
import type { DatabaseTarget } from '../../src/db/connect.js';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REQUIRE_PG = process.env.CI === 'true' || process.env.REQUIRE_POSTGRES === '1';

let pgAvailable: Promise<boolean> | undefined;
function checkPostgres(): Promise<boolean> {
  pgAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (err) {
      if (REQUIRE_PG) throw new Error(`PostgreSQL is required (CI) but unreachable at ${PG_URL}: ${(err as Error).message}`);
      console.warn(`\n!!! PostgreSQL unreachable at ${PG_URL}: PostgreSQL tests are SKIPPED (set TEST_DATABASE_URL). !!!\n`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgAvailable;
}

/** A brand-new, empty database on the engine: a temp SQLite file, or a fresh schema on PostgreSQL. */
export async function freshTarget(engine: 'sqlite' | 'postgres'): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setora-test-'));
    return { target: { kind: 'sqlite', file: path.join(dir, 'setora.db') }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${randomString(10).toLowerCase()}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.query('create extension if not exists btree_gist with schema public').catch(() => undefined);
  await admin.end();
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  return {
    target: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

export type Engine = 'sqlite' | 'postgres';

export const PG_OK = await checkPostgres();

/** Runs a suite once per engine. PostgreSQL is skipped loudly when absent locally, and fails in CI. */
export function forEachEngine(name: string, fn: (engine: Engine) => void): void {
  for (const engine of ['sqlite', 'postgres'] as const) {
    describe(`${name} [${engine}]`, { skip: engine === 'postgres' && !PG_OK ? 'PostgreSQL unavailable' : false }, () => fn(engine));
  }
}
