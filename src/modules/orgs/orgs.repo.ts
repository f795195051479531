import type { Kysely, Selectable } from 'kysely';
import type { DB, OrganisationsTable, UsersTable, MembershipsTable } from '../../db/schema.js';
import { emailKey } from '../../lib/contact.js';

export type OrgRow = Selectable<OrganisationsTable>;
export type UserRow = Selectable<UsersTable>;
export type Role = MembershipsTable['role'];

export const findOrgBySlug = (db: Kysely<DB>, slug: string) =>
  db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();

export const findOrgById = (db: Kysely<DB>, id: string) =>
  db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();

export const findUserByEmail = (db: Kysely<DB>, email: string) =>
  db.selectFrom('users').selectAll().where('email', '=', emailKey(email)).executeTakeFirst();

export async function insertOrg(db: Kysely<DB>, row: OrgRow): Promise<void> {
  await db.insertInto('organisations').values(row).execute();
}

export async function insertUser(db: Kysely<DB>, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function insertMembership(db: Kysely<DB>, orgId: string, userId: string, role: Role, now: number): Promise<void> {
  await db.insertInto('memberships').values({ org_id: orgId, user_id: userId, role, created_at: now, updated_at: now }).execute();
}
