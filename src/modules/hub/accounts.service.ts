import type { Database } from '../../db/connect.js';
import { ApiError } from '../../http/errors.js';
import type { RateLimiter } from '../../http/rate-limit.js';
import { newId } from '../../lib/ids.js';
import { hashPassword, verifyPassword } from '../../lib/password.js';
import { createOrgWithOwner } from '../orgs/orgs.service.js';
import { findUserByEmail } from '../orgs/orgs.repo.js';
import * as sessions from './sessions.repo.js';
import { linkedStaff } from './staff-link.js';
import { SESSION_IDLE_MS, csrfTokenFor, digestToken, newToken, type HubPrincipal } from './hub-guard.js';
import { emailKey } from '../../lib/contact.js';
import { runTransaction } from '../../db/transaction.js';

/** Failed sign-ins allowed per account and per client address in a window (DESIGN.md: both are limited). */
export const SIGNIN_LIMITS = { perAccount: 10, perIp: 50, windowMs: 15 * 60_000 };
/** Sign-ups (each costs a scrypt hash and an org) per client address. */
export const SIGNUP_LIMIT = { perIp: 20, windowMs: 60 * 60_000 };

export const WRONG_CREDENTIALS = 'Email or password is incorrect.';

export interface NewSession { token: string; expiresAt: number; userId: string; orgId: string }

export async function startSession(database: Database, userId: string, orgId: string, now: number): Promise<NewSession> {
  const token = newToken();
  const expiresAt = now + SESSION_IDLE_MS;
  await sessions.deleteExpiredSessions(database.db, userId, now);
  await sessions.insertSession(database.db, { id: newId('ses'), org_id: orgId, user_id: userId, token_digest: digestToken(token), created_at: now, last_seen_at: now, expires_at: expiresAt });
  return { token, expiresAt, userId, orgId };
}

/** What the SPA needs to start: who, which org and role (and their own staff record), the other orgs, and the CSRF token. */
export async function sessionView(database: Database, p: Pick<HubPrincipal, 'userId' | 'email' | 'userName' | 'orgId' | 'role' | 'csrfToken'>) {
  const [orgs, staff] = await Promise.all([sessions.listUserMemberships(database.db, p.userId), linkedStaff(database.db, p.orgId, p.userId)]);
  const current = orgs.find((o) => o.org_id === p.orgId);
  return {
    object: 'hub_session' as const,
    user: { id: p.userId, email: p.email, name: p.userName },
    org: current ? { id: current.org_id, name: current.org_name, slug: current.org_slug } : null,
    role: p.role,
    /** Their own staff record in this org ("My day"), or null. */
    staff: staff ?? null,
    orgs: orgs.map((o) => ({ id: o.org_id, name: o.org_name, slug: o.org_slug, role: o.role })),
    csrf_token: p.csrfToken,
  };
}

/** The view for a session just started (sign-in, sign-up, accepted invitation). */
export async function newSessionView(database: Database, s: NewSession) {
  const user = (await database.db.selectFrom('users').select(['email', 'name']).where('id', '=', s.userId).executeTakeFirstOrThrow());
  const role = (await database.db.selectFrom('memberships').select('role').where('org_id', '=', s.orgId).where('user_id', '=', s.userId).executeTakeFirstOrThrow()).role;
  return sessionView(database, { userId: s.userId, email: user.email, userName: user.name, orgId: s.orgId, role, csrfToken: csrfTokenFor(s.token) });
}

export async function signUp(
  database: Database,
  limiter: RateLimiter,
  input: { shop_name: string; name: string; email: string; password: string },
  ctx: { ip: string; now: number },
): Promise<NewSession> {
  const rl = await limiter.hit(`hub-signup:${ctx.ip}`, SIGNUP_LIMIT.perIp, SIGNUP_LIMIT.windowMs, ctx.now);
  if (!rl.allowed) throw rateLimited(rl.resetSeconds, 'Too many sign-ups from this address.');
  try {
    const { org, owner } = await createOrgWithOwner(database, { name: input.shop_name, ownerEmail: input.email, ownerName: input.name, ownerPassword: input.password }, ctx.now);
    return startSession(database, owner.id, org.id, ctx.now);
  } catch (err) {
    // The orgs service names its own parameters; the sign-up form's fields are named differently.
    if (err instanceof ApiError && err.param) {
      const param = ({ name: 'shop_name', owner_email: 'email', owner_password: 'password' } as Record<string, string>)[err.param] ?? err.param;
      throw new ApiError(err.code, err.message, param, err.extra, err.headers);
    }
    throw err;
  }
}

const rateLimited = (seconds: number, what: string) =>
  new ApiError('rate_limited', `${what} Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}.`, undefined, {}, { 'retry-after': String(seconds) });

// Checked against when the email is unknown, so that an unknown account takes as long as a wrong password.
let decoyHash: Promise<string> | undefined;

/**
 * Email + password → a session in the user's first org. Failures are counted per account and per address
 * and share one message, whatever was wrong; once over either limit, even the right password waits.
 */
export async function signIn(
  database: Database,
  limiter: RateLimiter,
  input: { email: string; password: string },
  ctx: { ip: string; now: number },
): Promise<NewSession> {
  const email = emailKey(input.email);
  const accountBucket = `hub-signin:acct:${email}`;
  const ipBucket = `hub-signin:ip:${ctx.ip}`;
  if ((await limiter.peek(accountBucket, SIGNIN_LIMITS.perAccount, ctx.now)) || (await limiter.peek(ipBucket, SIGNIN_LIMITS.perIp, ctx.now))) {
    throw rateLimited(SIGNIN_LIMITS.windowMs / 1000, 'Too many sign-in attempts.');
  }
  const user = await findUserByEmail(database.db, email);
  decoyHash ??= hashPassword('decoy password that nobody has');
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash));
  const orgs = user && ok ? await sessions.listUserMemberships(database.db, user.id) : [];
  if (!user || !ok || !orgs.length) {
    await limiter.hit(accountBucket, SIGNIN_LIMITS.perAccount, SIGNIN_LIMITS.windowMs, ctx.now);
    await limiter.hit(ipBucket, SIGNIN_LIMITS.perIp, SIGNIN_LIMITS.windowMs, ctx.now);
    throw new ApiError('not_authenticated', WRONG_CREDENTIALS);
  }
  return startSession(database, user.id, orgs[0]!.org_id, ctx.now);
}

export async function signOut(database: Database, p: HubPrincipal): Promise<void> {
  await sessions.deleteSession(database.db, p.sessionId);
}

export const MIN_PASSWORD = 10;

/** Needs the current password; every other session of the user ends (this one carries on). */
export async function changePassword(
  database: Database,
  limiter: RateLimiter,
  p: HubPrincipal,
  input: { current_password: string; new_password: string },
  now: number,
): Promise<void> {
  const bucket = `hub-signin:acct:${p.email}`;
  if (await limiter.peek(bucket, SIGNIN_LIMITS.perAccount, now)) throw rateLimited(SIGNIN_LIMITS.windowMs / 1000, 'Too many wrong passwords.');
  const user = (await database.db.selectFrom('users').select(['password_hash']).where('id', '=', p.userId).executeTakeFirstOrThrow());
  if (!(await verifyPassword(input.current_password, user.password_hash))) {
    await limiter.hit(bucket, SIGNIN_LIMITS.perAccount, SIGNIN_LIMITS.windowMs, now);
    throw new ApiError('parameter_invalid', 'That is not your current password.', 'current_password');
  }
  if (input.new_password === input.current_password) throw new ApiError('parameter_invalid', 'Choose a password different from the current one.', 'new_password');
  const hash = await hashPassword(input.new_password);
  await runTransaction(database, async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, updated_at: now }).where('id', '=', p.userId).execute();
    await sessions.deleteOtherSessions(trx, p.userId, p.sessionId);
  });
}

/** Switch the session to another org the user belongs to; any other id is a 404. */
export async function switchOrg(database: Database, p: HubPrincipal, orgId: string) {
  const member = (await sessions.listUserMemberships(database.db, p.userId)).find((o) => o.org_id === orgId);
  if (!member) throw new ApiError('resource_not_found', 'No such organisation.', 'org_id');
  await sessions.setSessionOrg(database.db, p.sessionId, orgId);
  return sessionView(database, { ...p, orgId, role: member.role });
}
