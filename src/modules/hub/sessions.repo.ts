import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Role } from '../orgs/orgs.repo.js';
import type { HubSessionsTable } from './hub.tables.js';

export interface SessionLookupRow {
  id: string;
  org_id: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  role: Role | null;
  email: string;
  user_name: string;
  org_name: string;
  org_slug: string;
}

/**
 * Like the API-key lookup, the one unscoped read: the cookie's token is what tells us the user and org.
 * The membership is joined (not stored) so a changed role or a removal is seen on the very next request.
 */
export function findSessionByDigest(db: Kysely<DB>, digest: string): Promise<SessionLookupRow | undefined> {
  return db
    .selectFrom('hub_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('organisations as o', 'o.id', 's.org_id')
    .leftJoin('memberships as m', (j) => j.onRef('m.org_id', '=', 's.org_id').onRef('m.user_id', '=', 's.user_id'))
    .select(['s.id', 's.org_id', 's.user_id', 's.created_at', 's.last_seen_at', 's.expires_at', 'm.role', 'u.email', 'u.name as user_name', 'o.name as org_name', 'o.slug as org_slug'])
    .where('s.token_digest', '=', digest)
    .executeTakeFirst();
}

export async function insertSession(db: Kysely<DB>, row: HubSessionsTable): Promise<void> {
  await db.insertInto('hub_sessions').values(row).execute();
}

export async function touchSession(db: Kysely<DB>, id: string, lastSeenAt: number, expiresAt: number): Promise<void> {
  await db.updateTable('hub_sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function setSessionOrg(db: Kysely<DB>, id: string, orgId: string): Promise<void> {
  await db.updateTable('hub_sessions').set({ org_id: orgId }).where('id', '=', id).execute();
}

export async function deleteSession(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('hub_sessions').where('id', '=', id).execute();
}

/** Every session of a user but one (after a password change), and expired ones while we are at it. */
export async function deleteOtherSessions(db: Kysely<DB>, userId: string, keepId: string): Promise<void> {
  await db.deleteFrom('hub_sessions').where('user_id', '=', userId).where('id', '<>', keepId).execute();
}

/** Sessions working in this org for this user (they were removed from it). */
export async function deleteMemberSessions(db: Kysely<DB>, orgId: string, userId: string): Promise<void> {
  await db.deleteFrom('hub_sessions').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(db: Kysely<DB>, userId: string, now: number): Promise<void> {
  await db.deleteFrom('hub_sessions').where('user_id', '=', userId).where('expires_at', '<=', now).execute();
}

export interface MembershipRow { org_id: string; role: Role; org_name: string; org_slug: string; created_at: number }

export function listUserMemberships(db: Kysely<DB>, userId: string): Promise<MembershipRow[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['m.org_id', 'm.role', 'o.name as org_name', 'o.slug as org_slug', 'm.created_at'])
    .where('m.user_id', '=', userId)
    .orderBy('m.created_at')
    .orderBy('m.org_id')
    .execute();
}
