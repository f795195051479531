import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { ApiKeysTable, DB } from '../../db/schema.js';
import { coalesced, versionOf } from '../../db/change-signal.js';

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type ActiveKeyRow = Pick<ApiKeyRow, 'id' | 'org_id' | 'scope' | 'scopes' | 'location_ids' | 'digest' | 'last_used_at'>;

export async function insertApiKey(db: Kysely<DB>, orgId: string, row: Omit<ApiKeyRow, 'org_id'>): Promise<void> {
  await db.insertInto('api_keys').values({ ...row, org_id: orgId }).execute();
}

export async function listApiKeys(db: Kysely<DB>, orgId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function findApiKey(db: Kysely<DB>, orgId: string, keyId: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('org_id', '=', orgId).where('id', '=', keyId).executeTakeFirst();
}

export async function revokeApiKey(db: Kysely<DB>, orgId: string, keyId: string, at: number): Promise<boolean> {
  const res = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('org_id', '=', orgId)
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function setLastUsed(db: Kysely<DB>, orgId: string, keyId: string, at: number): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('org_id', '=', orgId).where('id', '=', keyId).execute();
}

/** A live key as the `/v1` gate needs it, with its organisation's data version (change-signal.ts). */
export type ActiveKey = ActiveKeyRow & { data_version: number };

/**
 * The one unscoped query in the system: the credential is what tells us the org. It runs on every API
 * request, so it is compiled once and run on the read path. On PostgreSQL it also reads the org's change
 * counter (one round trip for both), and lookups arriving in the same event-loop turn share one statement,
 * sent after they all arrived: a key revoked by any instance is refused by the very next request. On
 * SQLite it is a cached prepared statement whose result is dropped whenever the database changes.
 */
export function activeKeyLookup(database: Database): (digest: string) => Promise<ActiveKey | undefined> {
  if (database.dialect === 'sqlite') {
    const compiled = database.db
      .selectFrom('api_keys')
      .select(['id', 'org_id', 'scope', 'scopes', 'location_ids', 'digest', 'last_used_at'])
      .where('digest', '=', '')
      .where('revoked_at', 'is', null)
      .compile();
    return async (digest) => {
      const row = (await database.readCompiled(compiled, [digest]))[0];
      return row && { ...row, data_version: versionOf(database, 0) };
    };
  }
  const compiled = sql<ActiveKey>`select k.id, k.org_id, k.scope, k.scopes, k.location_ids, k.digest, k.last_used_at, coalesce(v.version, 0) as data_version
    from api_keys k left join lateral (select sum(version)::bigint as version from org_versions where org_id = k.org_id) v on true
    where k.digest = any(${''}::text[]) and k.revoked_at is null`.compile(database.db);
  return coalesced(async (digests: string[]) =>
    new Map((await database.readCompiled(compiled, [digests])).map((r) => [r.digest, r])));
}
