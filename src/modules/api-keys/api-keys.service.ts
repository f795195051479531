import type { Database } from '../../db/connect.js';
import { generateApiKey, digestApiKey, displayPrefix } from '../../lib/api-key.js';
import { newId } from '../../lib/ids.js';
import { ApiError } from '../../http/errors.js';
import * as repo from './api-keys.repo.js';
import { isoOrNull as iso } from '../../http/schemas.js';

export type KeyScope = 'read' | 'read_write';

export interface ApiKeyView {
  object: 'api_key';
  id: string;
  label: string;
  scope: KeyScope;
  display: string;
  created_at: string;
  created_by: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}


export function toApiKeyView(row: repo.ApiKeyRow): ApiKeyView {
  return {
    object: 'api_key',
    id: row.id,
    label: row.label,
    scope: row.scope,
    display: `${row.prefix}…${row.last4}`,
    created_at: iso(row.created_at)!,
    created_by: row.created_by,
    last_used_at: iso(row.last_used_at),
    revoked_at: iso(row.revoked_at),
  };
}

/** Creates a key and returns its plaintext: the only moment it exists outside the caller's hands. */
export async function createApiKey(
  database: Database,
  orgId: string,
  input: { label: string; scope: KeyScope; createdBy?: string | null },
  now = Date.now(),
): Promise<{ key: ApiKeyView; plaintext: string }> {
  const label = input.label.trim();
  if (!label || label.length > 100) throw new ApiError('parameter_invalid', 'A key needs a label of 1 to 100 characters.', 'label');
  if (input.scope !== 'read' && input.scope !== 'read_write') throw new ApiError('parameter_invalid', 'Scope must be `read` or `read_write`.', 'scope');
  const plaintext = generateApiKey();
  const { prefix, last4 } = displayPrefix(plaintext);
  const row: Omit<repo.ApiKeyRow, 'org_id'> = {
    id: newId('key'),
    label,
    scope: input.scope,
    digest: digestApiKey(plaintext),
    prefix,
    last4,
    created_by: input.createdBy ?? null,
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  await repo.insertApiKey(database.db, orgId, row);
  return { key: toApiKeyView({ ...row, org_id: orgId }), plaintext };
}

export async function listApiKeys(database: Database, orgId: string): Promise<ApiKeyView[]> {
  return (await repo.listApiKeys(database.db, orgId)).map(toApiKeyView);
}

export async function revokeApiKey(database: Database, orgId: string, keyId: string, now = Date.now()): Promise<ApiKeyView> {
  const existing = await repo.findApiKey(database.db, orgId, keyId);
  if (!existing) throw new ApiError('resource_not_found', 'No such API key.', 'key_id');
  if (existing.revoked_at === null) await repo.revokeApiKey(database.db, orgId, keyId, now);
  return toApiKeyView((await repo.findApiKey(database.db, orgId, keyId))!);
}
