import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { ApiError } from '../../http/errors.js';
import * as repo from './idempotency.repo.js';

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A `running` record older than this belongs to a request that died mid-way: it may be taken over. */
const ABANDONED_AFTER_MS = 60_000;

export interface MutationResult {
  status: number;
  body: unknown;
}

export interface MutationOutcome extends MutationResult {
  replayed: boolean;
}

/** Stable JSON (sorted keys) so that the same body in another key order is the same request. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonical(body ?? null)}`).digest('hex');
}

/** Writes inside a change's own transaction, after the change (see the use cases' `beforeCommit`). */
export type BeforeCommit = (trx: Kysely<DB>, body: unknown) => Promise<void>;

/** Which refusals are remembered under the key: the outcome of the request itself, not a malformed ask. */
const STORED_ERRORS = new Set(['slot_unavailable', 'booking_not_modifiable', 'client_already_exists']);

/**
 * Runs a change under API.md §7: the first response for a key is stored for 24 hours (written in the same
 * transaction as the change, through the use case's `beforeCommit`) and replayed; a different request with the
 * key is `422 idempotency_key_reused`; one still running is `409 idempotency_key_in_use`. `op` is the use case,
 * answering with `status` on success; its typed refusals (STORED_ERRORS) are remembered too.
 */
export async function runMutation(
  database: Database,
  orgId: string,
  request: { key?: string; method: string; path: string; body: unknown; requestId: string; now: number; status: number },
  op: (beforeCommit?: BeforeCommit) => Promise<unknown>,
): Promise<MutationOutcome> {
  const { key, now, status } = request;
  if (key === undefined) return { status, body: await op(), replayed: false };
  if (key.length === 0 || key.length > 255) throw new ApiError('parameter_invalid', 'An `Idempotency-Key` is 1 to 255 characters.', 'Idempotency-Key');
  const fp = fingerprint(request.method, request.path, request.body);

  for (let claimed = false; !claimed;) {
    const existing = await repo.findRecord(database.db, orgId, key);
    if (existing) {
      const expired = existing.expires_at <= now;
      const abandoned = existing.state === 'running' && existing.created_at <= now - ABANDONED_AFTER_MS;
      if (expired || abandoned) {
        await repo.release(database.db, orgId, key);
        continue;
      }
      if (existing.fingerprint !== fp) {
        throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request. Use a new key for a new request.', 'Idempotency-Key');
      }
      if (existing.state === 'done') return { status: existing.response_status!, body: JSON.parse(existing.response_body!), replayed: true };
      throw new ApiError('idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed. Retry shortly.', 'Idempotency-Key');
    }
    await repo.pruneExpired(database.db, orgId, now);
    claimed = await repo.claim(database.db, orgId, key, fp, now, IDEMPOTENCY_TTL_MS);
  }

  try {
    const body = await op((trx, answer) => repo.complete(trx, orgId, key, status, JSON.stringify(answer)));
    return { status, body, replayed: false };
  } catch (err) {
    if (err instanceof ApiError && STORED_ERRORS.has(err.code)) {
      await repo.complete(database.db, orgId, key, err.status, JSON.stringify(err.body(request.requestId)));
    } else {
      await repo.release(database.db, orgId, key).catch(() => undefined);
    }
    throw err;
  }
}
