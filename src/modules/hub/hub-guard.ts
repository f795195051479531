import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Database } from '../../db/connect.js';
import { ApiError } from '../../http/errors.js';
import type { Role } from '../orgs/orgs.repo.js';
import type { Actor } from '../events/actor.js';
import * as sessions from './sessions.repo.js';

export const SESSION_COOKIE = 'setora_session';
/** Sliding: each use pushes expiry to 14 days from now, never beyond 90 days from sign-in. */
export const SESSION_IDLE_MS = 14 * 86_400_000;
export const SESSION_MAX_MS = 90 * 86_400_000;
/** Sliding expiry is written at most this often per session, so reads stay reads. */
const TOUCH_EVERY_MS = 10 * 60_000;

export interface HubPrincipal {
  sessionId: string;
  userId: string;
  orgId: string;
  role: Role;
  email: string;
  userName: string;
  org: { id: string; name: string; slug: string };
  csrfToken: string;
}

/**
 * Who may call a route. `anonymous`: no session used (sign-in, sign-up); `optional`: a session is used
 * when present (accepting an invitation); `member`: any role; `admin`: owners and admins only.
 */
export type HubAccess = 'anonymous' | 'optional' | 'member' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    hub?: HubPrincipal;
  }
  interface FastifyContextConfig {
    hubAccess?: HubAccess;
  }
}

export const newToken = (): string => randomBytes(32).toString('base64url');
export const digestToken = (token: string): string => createHash('sha256').update(token).digest('hex');
/**
 * The CSRF token is derived from the session token (which only the cookie holds), so it needs no storage
 * and cannot be computed from anything in the database.
 */
export const csrfTokenFor = (sessionToken: string): string => createHash('sha256').update(`setora-csrf\0${sessionToken}`).digest('base64url');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isStateChanging = (req: FastifyRequest) => !SAFE_METHODS.has(req.method);

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, expiresAt: number, now: number): void {
  const maxAge = Math.max(0, Math.floor((expiresAt - now) / 1000));
  const secure = req.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`);
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`);
}

/** The request's own origin (scheme + Host it came to; behind a trusted proxy, as the proxy says). */
function ownOrigin(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`.toLowerCase();
}

/** State-changing requests must come from our own pages: `Origin` equal to where they arrived, or PUBLIC_URL. */
export function originAllowed(req: FastifyRequest, publicOrigin: string): boolean {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin === 'null') return false;
  const given = origin.toLowerCase();
  return given === ownOrigin(req) || given === publicOrigin;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const notAuthenticated = () => new ApiError('not_authenticated', 'Sign in to continue.');
export const forbidden = (message = 'Only owners and admins can do this.') => new ApiError('forbidden', message);
const csrfFailed = (message: string) => new ApiError('csrf_failed', message);

export interface GuardDeps {
  config: Config;
  database: Database;
  clock: () => number;
}

/** Turns a cookie token into a principal (sliding its expiry), or undefined when it is unknown or expired. */
export async function resolveSession(deps: GuardDeps, token: string): Promise<{ principal: HubPrincipal; renewedUntil?: number } | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined; // not one of ours: no database read
  const now = deps.clock();
  const db = deps.database.db;
  let row = await sessions.findSessionByDigest(db, digestToken(token));
  if (!row) return undefined;
  if (row.expires_at <= now) {
    await sessions.deleteSession(db, row.id);
    return undefined;
  }
  if (row.role === null) {
    // Removed from the org the session was working in: carry on in another of the user's orgs, if any.
    const other = (await sessions.listUserMemberships(db, row.user_id))[0];
    if (!other) {
      await sessions.deleteSession(db, row.id);
      return undefined;
    }
    await sessions.setSessionOrg(db, row.id, other.org_id);
    row = { ...row, org_id: other.org_id, role: other.role, org_name: other.org_name, org_slug: other.org_slug };
  }
  let renewedUntil: number | undefined;
  if (now - row.last_seen_at >= TOUCH_EVERY_MS) {
    renewedUntil = Math.min(now + SESSION_IDLE_MS, row.created_at + SESSION_MAX_MS);
    await sessions.touchSession(db, row.id, now, renewedUntil);
  }
  return {
    principal: {
      sessionId: row.id,
      userId: row.user_id,
      orgId: row.org_id,
      role: row.role!,
      email: row.email,
      userName: row.user_name,
      org: { id: row.org_id, name: row.org_name, slug: row.org_slug },
      csrfToken: csrfTokenFor(token),
    },
    renewedUntil,
  };
}

/**
 * The /hub/api gate, in onRequest (before the body is read): Origin check on every state-changing request,
 * then the session, then the CSRF token, then the role. Each refusal uses the common error envelope.
 */
export function hubGuard(deps: GuardDeps) {
  const publicOrigin = new URL(deps.config.publicUrl).origin.toLowerCase();
  return async function guard(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const access: HubAccess = req.routeOptions.config.hubAccess ?? 'member';
    const changing = isStateChanging(req);
    if (changing && !originAllowed(req, publicOrigin)) {
      throw csrfFailed('This request did not come from a Setora Hub page (Origin check failed).');
    }
    if (access === 'anonymous') return;
    const token = readCookie(req, SESSION_COOKIE);
    const resolved = token ? await resolveSession(deps, token) : undefined;
    if (token && !resolved) clearSessionCookie(req, reply);
    if (!resolved) {
      if (access === 'optional') return;
      throw notAuthenticated();
    }
    const { principal, renewedUntil } = resolved;
    if (changing) {
      const given = req.headers['x-csrf-token'];
      if (typeof given !== 'string' || !sameToken(given, principal.csrfToken)) {
        throw csrfFailed('Missing or wrong X-CSRF-Token header. Reload the page and try again.');
      }
    }
    req.hub = principal;
    if (renewedUntil !== undefined) setSessionCookie(req, reply, token!, renewedUntil, deps.clock());
    if (access === 'admin' && principal.role !== 'owner' && principal.role !== 'admin') throw forbidden();
  };
}

/** The actor of a Hub request (a signed-in member): their org, the `hub` door, this request, the app's clock. */
export function hubActor(req: FastifyRequest, clock: () => number): Actor {
  const p = principalOf(req);
  return { orgId: p.orgId, source: 'hub', requestId: req.id, now: clock(), hub: { userId: p.userId, role: p.role } };
}

/** The principal of a route behind `member` or `admin` access. */
export function principalOf(req: FastifyRequest): HubPrincipal {
  if (!req.hub) throw notAuthenticated();
  return req.hub;
}
