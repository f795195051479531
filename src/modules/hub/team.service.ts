import type { Database } from '../../db/connect.js';
import { isUniqueViolation } from '../../db/errors.js';
import { ApiError } from '../../http/errors.js';
import { iso, isoOrNull } from '../../http/schemas.js';
import { normaliseEmail } from '../../lib/contact.js';
import { newId } from '../../lib/ids.js';
import { hashPassword } from '../../lib/password.js';
import { findUserByEmail, insertMembership, insertUser, type Role } from '../orgs/orgs.repo.js';
import * as sessions from './sessions.repo.js';
import * as repo from './team.repo.js';
import { digestToken, forbidden, newToken, type HubPrincipal } from './hub-guard.js';
import { startSession, type NewSession } from './accounts.service.js';
import { runTransaction } from '../../db/transaction.js';

export const INVITATION_TTL_MS = 7 * 86_400_000;

const lastOwner = () => new ApiError('resource_conflict', 'An organisation needs at least one owner. Make someone else an owner first.', 'role');
const noSuchMember = () => new ApiError('resource_not_found', 'No such member.');

/** Only an owner may hand out or take away the owner role; admins manage admins and staff. */
function assertMayChange(actor: Role, from: Role | undefined, to: Role | undefined): void {
  if ((from === 'owner' || to === 'owner') && actor !== 'owner') throw forbidden('Only an owner can grant or remove the owner role.');
}

export async function listTeam(database: Database, p: HubPrincipal, now: number) {
  const [members, invitations] = await Promise.all([repo.listMembers(database.db, p.orgId), repo.listPendingInvitations(database.db, p.orgId, now)]);
  return {
    object: 'team' as const,
    members: members.map((m) => ({
      user_id: m.user_id, name: m.name, email: m.email, role: m.role, joined_at: iso(m.created_at), you: m.user_id === p.userId,
      staff: m.staff_id ? { id: m.staff_id, display_name: m.staff_name! } : null,
    })),
    invitations: invitations.map((i) => invitationView(i, i.created_by_name)),
  };
}

function invitationView(i: repo.InvitationRow, createdByName: string | null) {
  return { object: 'invitation' as const, id: i.id, role: i.role, email: i.email, created_at: iso(i.created_at), created_by: createdByName, expires_at: iso(i.expires_at), accepted_at: isoOrNull(i.accepted_at), revoked_at: isoOrNull(i.revoked_at) };
}

export async function setMemberRole(database: Database, p: HubPrincipal, userId: string, role: Role, now: number) {
  await runTransaction(database, async (trx) => {
    const owners = await repo.lockOwners(trx, p.orgId, database.dialect);
    const member = await repo.findMember(trx, p.orgId, userId);
    if (!member) throw noSuchMember();
    assertMayChange(p.role, member.role, role);
    if (member.role === 'owner' && role !== 'owner' && owners.length <= 1) throw lastOwner();
    await repo.setRole(trx, p.orgId, userId, role, now);
  });
  return listTeam(database, p, now);
}

/** Removes a member (or lets one leave); their sessions in this org end at once. */
export async function removeMember(database: Database, p: HubPrincipal, userId: string, now: number) {
  await runTransaction(database, async (trx) => {
    const owners = await repo.lockOwners(trx, p.orgId, database.dialect);
    const member = await repo.findMember(trx, p.orgId, userId);
    if (!member) throw noSuchMember();
    assertMayChange(p.role, member.role, undefined);
    if (member.role === 'owner' && owners.length <= 1) throw lastOwner();
    await repo.deleteMembership(trx, p.orgId, userId);
    await sessions.deleteMemberSessions(trx, p.orgId, userId);
  });
  return listTeam(database, p, now);
}

/** A single-use link, valid for a week; its token is shown once (only the digest is kept). */
export async function createInvitation(database: Database, p: HubPrincipal, input: { role: Role; email?: string }, now: number) {
  assertMayChange(p.role, undefined, input.role);
  let email: string | null = null;
  if (input.email !== undefined && input.email.trim() !== '') {
    email = normaliseEmail(input.email);
    if (!email) throw new ApiError('parameter_invalid', 'Not a valid email address.', 'email');
  }
  const token = newToken();
  const row: repo.InvitationRow = {
    id: newId('inv'), org_id: p.orgId, token_digest: digestToken(token), role: input.role, email, created_by: p.userId,
    created_at: now, expires_at: now + INVITATION_TTL_MS, accepted_at: null, accepted_by: null, revoked_at: null,
  };
  await repo.insertInvitation(database.db, row);
  return { invitation: invitationView(row, p.userName), token, path: `/invite/${token}` };
}

export async function revokeInvitation(database: Database, p: HubPrincipal, id: string, now: number) {
  const inv = await repo.findInvitation(database.db, p.orgId, id);
  if (!inv) throw new ApiError('resource_not_found', 'No such invitation.');
  assertMayChange(p.role, undefined, inv.role);
  await repo.revokeInvitation(database.db, p.orgId, id, now);
  return invitationView((await repo.findInvitation(database.db, p.orgId, id))!, null);
}

const invalidInvitation = () => new ApiError('resource_not_found', 'This invitation link is not valid: it may have expired, been used or been withdrawn.');

async function usableInvitation(database: Database, token: string, now: number) {
  const inv = await repo.findInvitationByDigest(database.db, digestToken(token));
  if (!inv || inv.accepted_at !== null || inv.revoked_at !== null || inv.expires_at <= now) throw invalidInvitation();
  return inv;
}

/** What the accept page shows before anyone signs in. */
export async function describeInvitation(database: Database, token: string, now: number) {
  const inv = await usableInvitation(database, token, now);
  return { object: 'invitation_preview' as const, org: { name: inv.org_name }, role: inv.role, email: inv.email, expires_at: iso(inv.expires_at) };
}

export interface AcceptInput { name?: string; email?: string; password?: string }

/**
 * Signed in: the current user joins the org (and the session switches to it). Signed out: a new account is
 * created with the given name, email and password, and signed in. An existing account must sign in first.
 */
export async function acceptInvitation(
  database: Database,
  token: string,
  p: HubPrincipal | undefined,
  input: AcceptInput,
  now: number,
): Promise<{ orgId: string; role: Role; session?: NewSession }> {
  const inv = await usableInvitation(database, token, now);
  if (p) {
    const extra = (['name', 'email', 'password'] as const).find((k) => input[k] !== undefined);
    if (extra) throw new ApiError('parameter_unknown', `You are signed in: \`${extra}\` is not needed.`, extra);
    if (inv.email && inv.email !== p.email) throw forbidden('This invitation was made for another email address.');
    await runTransaction(database, async (trx) => {
      if (await repo.findMember(trx, inv.org_id, p.userId)) throw new ApiError('resource_conflict', 'You are already a member of this organisation.');
      if (!(await repo.markAccepted(trx, inv.org_id, inv.id, p.userId, now))) throw invalidInvitation();
      await insertMembership(trx, inv.org_id, p.userId, inv.role, now);
    });
    await sessions.setSessionOrg(database.db, p.sessionId, inv.org_id);
    return { orgId: inv.org_id, role: inv.role };
  }

  for (const k of ['name', 'email', 'password'] as const) {
    if (input[k] === undefined) throw new ApiError('parameter_missing', `Missing required field \`${k}\`.`, k);
  }
  const email = normaliseEmail(input.email!);
  if (!email) throw new ApiError('parameter_invalid', 'Not a valid email address.', 'email');
  if (inv.email && inv.email !== email) throw new ApiError('parameter_invalid', 'This invitation was made for another email address.', 'email');
  const exists = () => new ApiError('resource_conflict', 'An account with this email already exists. Sign in first, then open the invitation link again.', 'email');
  if (await findUserByEmail(database.db, email)) throw exists();
  const hash = await hashPassword(input.password!);
  const userId = newId('usr');
  try {
    await runTransaction(database, async (trx) => {
      await insertUser(trx, { id: userId, email, name: input.name!.trim(), password_hash: hash, created_at: now, updated_at: now });
      if (!(await repo.markAccepted(trx, inv.org_id, inv.id, userId, now))) throw invalidInvitation();
      await insertMembership(trx, inv.org_id, userId, inv.role, now);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw exists();
    throw err;
  }
  return { orgId: inv.org_id, role: inv.role, session: await startSession(database, userId, inv.org_id, now) };
}
