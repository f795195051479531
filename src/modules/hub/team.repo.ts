import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Dialect } from '../../db/connect.js';
import type { Role } from '../orgs/orgs.repo.js';
import type { HubInvitationsTable } from './hub.tables.js';

export interface MemberRow { user_id: string; role: Role; email: string; name: string; created_at: number; staff_id: string | null; staff_name: string | null }

/** Members with their linked staff record, if any (staff-link.ts). */
export function listMembers(db: Kysely<DB>, orgId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('hub_staff_links as k', (j) => j.onRef('k.org_id', '=', 'm.org_id').onRef('k.user_id', '=', 'm.user_id'))
    .leftJoin('staff as s', (j) => j.onRef('s.org_id', '=', 'k.org_id').onRef('s.id', '=', 'k.staff_id'))
    .select(['m.user_id', 'm.role', 'u.email', 'u.name', 'm.created_at', 'k.staff_id', 's.display_name as staff_name'])
    .where('m.org_id', '=', orgId)
    .orderBy('m.created_at')
    .orderBy('m.user_id')
    .execute();
}

export const findMember = (db: Kysely<DB>, orgId: string, userId: string) =>
  db.selectFrom('memberships').select(['user_id', 'role']).where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();

/**
 * The org's owners, locked for the rest of the transaction on PostgreSQL, so that two admins demoting the
 * last two owners at once cannot both succeed (SQLite transactions already take the write lock up front).
 */
export async function lockOwners(db: Kysely<DB>, orgId: string, dialect: Dialect): Promise<string[]> {
  const q = db.selectFrom('memberships').select('user_id').where('org_id', '=', orgId).where('role', '=', 'owner');
  const rows = dialect === 'postgres' ? await q.forUpdate().execute() : await q.execute();
  return rows.map((r) => r.user_id);
}

export async function setRole(db: Kysely<DB>, orgId: string, userId: string, role: Role, now: number): Promise<void> {
  await db.updateTable('memberships').set({ role, updated_at: now }).where('org_id', '=', orgId).where('user_id', '=', userId).execute();
}

export async function deleteMembership(db: Kysely<DB>, orgId: string, userId: string): Promise<void> {
  await db.deleteFrom('hub_staff_links').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
  await db.deleteFrom('memberships').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
}

export type InvitationRow = HubInvitationsTable;

export async function insertInvitation(db: Kysely<DB>, row: InvitationRow): Promise<void> {
  await db.insertInto('hub_invitations').values(row).execute();
}

/** Invitations still usable: not accepted, not revoked, not expired. */
export function listPendingInvitations(db: Kysely<DB>, orgId: string, now: number) {
  return db
    .selectFrom('hub_invitations as i')
    .leftJoin('users as u', 'u.id', 'i.created_by')
    .selectAll('i')
    .select('u.name as created_by_name')
    .where('i.org_id', '=', orgId)
    .where('i.accepted_at', 'is', null)
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', now)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .execute();
}

export const findInvitation = (db: Kysely<DB>, orgId: string, id: string) =>
  db.selectFrom('hub_invitations').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

/** By token digest: the link is the credential, like an API key. */
export const findInvitationByDigest = (db: Kysely<DB>, digest: string) =>
  db
    .selectFrom('hub_invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.org_id')
    .selectAll('i')
    .select('o.name as org_name')
    .where('i.token_digest', '=', digest)
    .executeTakeFirst();

export async function revokeInvitation(db: Kysely<DB>, orgId: string, id: string, now: number): Promise<void> {
  await db.updateTable('hub_invitations').set({ revoked_at: now }).where('org_id', '=', orgId).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** Single use: true only for the request that flipped it. */
export async function markAccepted(db: Kysely<DB>, orgId: string, id: string, userId: string, now: number): Promise<boolean> {
  const res = await db
    .updateTable('hub_invitations')
    .set({ accepted_at: now, accepted_by: userId })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export const countOwners = async (db: Kysely<DB>, orgId: string) =>
  Number((await db.selectFrom('memberships').select(sql<number>`count(*)`.as('n')).where('org_id', '=', orgId).where('role', '=', 'owner').executeTakeFirstOrThrow()).n);
