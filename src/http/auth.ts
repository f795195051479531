import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, INVALID_API_KEY_MESSAGE } from './errors.js';
import { isWellFormedApiKey, digestApiKey, digestsEqual } from '../lib/api-key.js';
import type { ActiveKey } from '../modules/api-keys/api-keys.repo.js';
import type { LastUsedTracker } from '../modules/api-keys/last-used.js';
import type { RateLimiter } from './rate-limit.js';
import { grantedScopes, type FineScope } from './scopes.js';

export interface ApiPrincipal {
  orgId: string;
  keyId: string;
  /** A published preset, or `custom` (fine scopes). */
  scope: 'read' | 'read_write' | 'custom';
  scopes: ReadonlySet<FineScope>;
  /** The locations the key is limited to (ids), or null for every location. */
  locationIds: readonly string[] | null;
  /** The org's data version read with the key (db/change-signal.ts): caches answer under it. */
  dataVersion: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: ApiPrincipal;
  }
  interface FastifyContextConfig {
    /** The scope a /v1 route needs, from ROUTE_SCOPES (set when the route is registered). */
    scope?: FineScope;
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
/** A key with fine scopes that lacks the one this route needs: the message names it (API.md §3). */
export const missingScope = (scope: FineScope) =>
  new ApiError(
    'insufficient_scope',
    `This API key does not have the \`${scope}\` scope, which this request needs. Create a key with \`${scope}\` in Settings → Developer.`,
    'Authorization',
    {},
    { 'www-authenticate': `${REALM}, error="insufficient_scope", scope="${scope}"` },
  );

/** Webhook endpoints receive the whole organisation's events, so a location-limited key cannot manage them. */
export const locationLimitedWebhooks = () =>
  new ApiError(
    'insufficient_scope',
    'This API key is limited to some locations; webhook endpoints receive events from every location, so they need a key for all locations.',
    'Authorization',
    {},
    { 'www-authenticate': `${REALM}, error="insufficient_scope"` },
  );

// Parsed scope and location lists per stored text: keys are few, requests many.
const parsedGrants = new Map<string, Pick<ApiPrincipal, 'scopes' | 'locationIds'>>();
function grantsOf(row: ActiveKey): Pick<ApiPrincipal, 'scopes' | 'locationIds'> {
  const cacheKey = `${row.scope}\u0001${row.scopes ?? ''}\u0001${row.location_ids ?? ''}`;
  let grants = parsedGrants.get(cacheKey);
  if (!grants) {
    grants = {
      scopes: grantedScopes(row.scope, row.scopes ? (JSON.parse(row.scopes) as string[]) : null),
      locationIds: row.location_ids ? Object.freeze(JSON.parse(row.location_ids) as string[]) : null,
    };
    if (parsedGrants.size > 1000) parsedGrants.clear();
    parsedGrants.set(cacheKey, grants);
  }
  return grants;
}

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

    req.principal = { orgId: row.org_id, keyId: row.id, scope: row.scope, dataVersion: row.data_version, ...grantsOf(row) };
    deps.lastUsed.touch(row.id, row.org_id, row.last_used_at);

    const rl = await deps.limiter.hit(`key:${row.id}`, deps.rateLimitPerMinute, 60_000, deps.clock());
    reply.header('ratelimit-limit', String(rl.limit));
    reply.header('ratelimit-remaining', String(rl.remaining));
    reply.header('ratelimit-reset', String(rl.resetSeconds));
    if (!rl.allowed) {
      throw new ApiError('rate_limited', 'Too many requests for this API key. Slow down and retry after the time in `Retry-After`.', undefined, {}, { 'retry-after': String(rl.resetSeconds) });
    }
    const required = req.routeOptions.config?.scope;
    if (required?.startsWith('webhooks:') && req.principal.locationIds) throw locationLimitedWebhooks();
    if (row.scope === 'custom') {
      if (required && !req.principal.scopes.has(required)) throw missingScope(required);
    } else if (required ? !req.principal.scopes.has(required) : row.scope === 'read' && !READ_METHODS.has(req.method)) {
      // The presets keep their published refusal, word for word.
      throw insufficientScope(row.scope);
    }
  };
}
