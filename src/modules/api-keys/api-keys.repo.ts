import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { ApiKeysTable, DB } from '../../db/schema.js';

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

/**
 * The one unscoped query in the system: the credential is what tells us the org. Compiled once and run on
 * the read path (a cached prepared statement on SQLite), since it runs on every API request.
 */
export function activeKeyLookup(database: Database): (digest: string) => Promise<ActiveKeyRow | undefined> {
  const compiled = database.db
    .selectFrom('api_keys')
    .select(['id', 'org_id', 'scope', 'scopes', 'location_ids', 'digest', 'last_used_at'])
    .where('digest', '=', '')
    .where('revoked_at', 'is', null)
    .compile();
  return async (digest) => (await database.readCompiled(compiled, [digest]))[0];
}
