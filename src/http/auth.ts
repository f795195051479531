import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, INVALID_API_KEY_MESSAGE } from './errors.js';
import { isWellFormedApiKey, digestApiKey, digestsEqual } from '../lib/api-key.js';
import type { ActiveKey } from '../modules/api-keys/api-keys.repo.js';
import type { LastUsedTracker } from '../modules/api-keys/last-used.js';
import type { RateLimiter } from './rate-limit.js';

export interface ApiPrincipal {
  orgId: string;
  keyId: string;
  scope: 'read' | 'read_write';
  /** The org's data version read with the key (db/change-signal.ts): caches answer under it. */
  dataVersion: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: ApiPrincipal;
  }
}

const REALM = 'Bearer realm="setora"';
const BEARER = /^bearer +(\S*) *$/i;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const missingKey = () =>
  new ApiError('missing_api_key', 'No API key provided. Send it as `Authorization: Bearer sk_live_…`.', 'Authorization', {}, { 'www-authenticate': REALM });
export const invalidKey = () =>
  new ApiError('invalid_api_key', INVALID_API_KEY_MESSAGE, 'Authorization', {}, { 'www-authenticate': `${REALM}, error="invalid_token"` });
export const insufficientScope = (scope: string) =>
  new ApiError(
    'insufficient_scope',
    `This API key has the \`${scope}\` scope, which does not permit this request. Use a \`read_write\` key.`,
    'Authorization',
    {},
    { 'www-authenticate': `${REALM}, error="insufficient_scope"` },
  );

export interface ApiAuthDeps {
  lookup: (digest: string) => Promise<ActiveKey | undefined>;
  lastUsed: LastUsedTracker;
  limiter: RateLimiter;
  rateLimitPerMinute: number;
  authFailuresPerMinute: number;
  clock: () => number;
}

/**
 * The `/v1` gate, run in onRequest (before the body is read or validated): key → org, scope, rate limit.
 * Malformed keys and bad checksums are refused without a database read; every refusal of a key is the same
 * bytes. Failed attempts are counted per IP so that guessing is throttled.
 */
export function apiAuthHook(deps: ApiAuthDeps) {
  const failureBucket = (req: FastifyRequest) => `authfail:${req.ip}`;

  async function refuse(req: FastifyRequest, error: ApiError): Promise<never> {
    await deps.limiter.hit(failureBucket(req), deps.authFailuresPerMinute, 60_000, deps.clock());
    throw error;
  }

  return async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = req.headers.authorization;
    if (await deps.limiter.peek(failureBucket(req), deps.authFailuresPerMinute, deps.clock())) {
      throw new ApiError('rate_limited', 'Too many failed authentication attempts from this address. Try again shortly.', undefined, {}, { 'retry-after': '60' });
    }
    if (header === undefined) return refuse(req, missingKey());
    const match = BEARER.exec(header);
    const key = match?.[1];
    if (!key || !isWellFormedApiKey(key)) return refuse(req, invalidKey());
    const digest = digestApiKey(key);
    const row = await deps.lookup(digest);
    if (!row || !digestsEqual(row.digest, digest)) return refuse(req, invalidKey());

    req.principal = { orgId: row.org_id, keyId: row.id, scope: row.scope, dataVersion: row.data_version };
    deps.lastUsed.touch(row.id, row.org_id, row.last_used_at);

    const rl = await deps.limiter.hit(`key:${row.id}`, deps.rateLimitPerMinute, 60_000, deps.clock());
    reply.header('ratelimit-limit', String(rl.limit));
    reply.header('ratelimit-remaining', String(rl.remaining));
    reply.header('ratelimit-reset', String(rl.resetSeconds));
    if (!rl.allowed) {
      throw new ApiError('rate_limited', 'Too many requests for this API key. Slow down and retry after the time in `Retry-After`.', undefined, {}, { 'retry-after': String(rl.resetSeconds) });
    }
    if (!READ_METHODS.has(req.method) && row.scope !== 'read_write') throw insufficientScope(row.scope);
  };
}
