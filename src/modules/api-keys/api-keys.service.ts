import type { Database } from '../../db/connect.js';
import { generateApiKey, digestApiKey, displayPrefix } from '../../lib/api-key.js';
import { newId } from '../../lib/ids.js';
import { ApiError } from '../../http/errors.js';
import { FINE_SCOPES, grantedScopes, isFineScope, PRESETS, type FineScope, type Preset } from '../../http/scopes.js';
import { findLocationsByIds, findLocationsBySlugs } from '../locations/locations.repo.js';
import * as repo from './api-keys.repo.js';
import { isoOrNull as iso } from '../../http/schemas.js';

export type KeyScope = Preset;

export interface ApiKeyView {
  object: 'api_key';
  id: string;
  label: string;
  /** The published preset, or null when the key has fine scopes. */
  scope: Preset | null;
  /** Every scope the key grants (a preset's expanded; a `:write` with its `:read`). */
  scopes: FineScope[];
  /** Slugs of the locations the key is limited to, or null for every location. */
  locations: string[] | null;
  display: string;
  created_at: string;
  created_by: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** `slugs` maps location id → slug for the key's location limit. */
export function toApiKeyView(row: repo.ApiKeyRow, slugs: ReadonlyMap<string, string> = new Map()): ApiKeyView {
  const locationIds = row.location_ids ? (JSON.parse(row.location_ids) as string[]) : null;
  const granted = grantedScopes(row.scope, row.scopes ? (JSON.parse(row.scopes) as string[]) : null);
  return {
    object: 'api_key',
    id: row.id,
    label: row.label,
    scope: row.scope === 'custom' ? null : row.scope,
    scopes: FINE_SCOPES.filter((s) => granted.has(s)),
    locations: locationIds ? locationIds.map((id) => slugs.get(id) ?? id).sort() : null,
    display: `${row.prefix}…${row.last4}`,
    created_at: iso(row.created_at)!,
    created_by: row.created_by,
    last_used_at: iso(row.last_used_at),
    revoked_at: iso(row.revoked_at),
  };
}

async function viewsOf(database: Database, orgId: string, rows: repo.ApiKeyRow[]): Promise<ApiKeyView[]> {
  const ids = [...new Set(rows.flatMap((r) => (r.location_ids ? (JSON.parse(r.location_ids) as string[]) : [])))];
  const slugs = new Map((await findLocationsByIds(database.db, orgId, ids)).map((l) => [l.id, l.slug]));
  return rows.map((r) => toApiKeyView(r, slugs));
}

export interface CreateKeyInput {
  label: string;
  /** A published preset; or leave it out and give `scopes`. */
  scope?: Preset;
  /** Fine scopes (API.md §3), e.g. `['bookings:read', 'catalog:read']`. */
  scopes?: string[];
  /** Location slugs to limit the key to; omitted or null: every location. */
  locations?: string[] | null;
  createdBy?: string | null;
}

/** Checks a key's grant: a preset or a non-empty list of known fine scopes, and locations of this org. */
async function checkGrant(database: Database, orgId: string, input: CreateKeyInput): Promise<Pick<repo.ApiKeyRow, 'scope' | 'scopes' | 'location_ids'>> {
  if ((input.scope === undefined) === (input.scopes === undefined)) {
    throw new ApiError('parameter_invalid', 'Give either a preset `scope` (read or read_write) or a list of `scopes`, not both.', input.scope === undefined ? 'scope' : 'scopes');
  }
  if (input.scope !== undefined && !(PRESETS as readonly string[]).includes(input.scope)) throw new ApiError('parameter_invalid', 'Scope must be `read` or `read_write`.', 'scope');
  let scopes: FineScope[] | null = null;
  if (input.scopes !== undefined) {
    const unknown = input.scopes.find((s) => !isFineScope(s));
    if (unknown !== undefined) throw new ApiError('parameter_invalid', `Unknown scope \`${unknown}\`. Scopes: ${FINE_SCOPES.join(', ')}.`, 'scopes');
    if (!input.scopes.length) throw new ApiError('parameter_invalid', 'Give at least one scope.', 'scopes');
    scopes = FINE_SCOPES.filter((s) => input.scopes!.includes(s));
  }
  let locationIds: string[] | null = null;
  if (input.locations !== undefined && input.locations !== null) {
    const wanted = [...new Set(input.locations)];
    if (!wanted.length) throw new ApiError('parameter_invalid', 'Give at least one location, or none for every location.', 'locations');
    const found = await findLocationsBySlugs(database.db, orgId, wanted);
    const missing = wanted.find((slug) => !found.some((l) => l.slug === slug));
    if (missing !== undefined) throw new ApiError('parameter_invalid', `No location with slug \`${missing}\`.`, 'locations');
    if (scopes?.some((s) => s.startsWith('webhooks:'))) {
      throw new ApiError('parameter_invalid', 'Webhook endpoints receive events from every location: a location-limited key cannot have webhooks scopes.', 'scopes');
    }
    locationIds = found.map((l) => l.id).sort();
  }
  return { scope: scopes ? 'custom' : input.scope!, scopes: scopes ? JSON.stringify(scopes) : null, location_ids: locationIds ? JSON.stringify(locationIds) : null };
}

/** Creates a key and returns its plaintext: the only moment it exists outside the caller's hands. */
export async function createApiKey(database: Database, orgId: string, input: CreateKeyInput, now = Date.now()): Promise<{ key: ApiKeyView; plaintext: string }> {
  const label = input.label.trim();
  if (!label || label.length > 100) throw new ApiError('parameter_invalid', 'A key needs a label of 1 to 100 characters.', 'label');
  const grant = await checkGrant(database, orgId, input);
  const plaintext = generateApiKey();
  const { prefix, last4 } = displayPrefix(plaintext);
  const row: Omit<repo.ApiKeyRow, 'org_id'> = {
    id: newId('key'),
    label,
    ...grant,
    digest: digestApiKey(plaintext),
    prefix,
    last4,
    created_by: input.createdBy ?? null,
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  await repo.insertApiKey(database.db, orgId, row);
  return { key: (await viewsOf(database, orgId, [{ ...row, org_id: orgId }]))[0]!, plaintext };
}

export async function listApiKeys(database: Database, orgId: string): Promise<ApiKeyView[]> {
  return viewsOf(database, orgId, await repo.listApiKeys(database.db, orgId));
}

export async function revokeApiKey(database: Database, orgId: string, keyId: string, now = Date.now()): Promise<ApiKeyView> {
  const existing = await repo.findApiKey(database.db, orgId, keyId);
  if (!existing) throw new ApiError('resource_not_found', 'No such API key.', 'key_id');
  if (existing.revoked_at === null) await repo.revokeApiKey(database.db, orgId, keyId, now);
  return (await viewsOf(database, orgId, [(await repo.findApiKey(database.db, orgId, keyId))!]))[0]!;
}
