import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Frozen: the Hub's sign-in sessions and team invitations. Both hold only a SHA-256 digest of their token
 * (the token itself lives in the user's cookie or the invitation link), so a copy of the database lets no
 * one in. Sign-in throttling is kept by the rate limiter (memory or Redis), not here.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('hub_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The organisation the user is working in: sessions are chosen per org, like every shop row.
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('token_digest', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hub_sessions_org_user_idx').on('hub_sessions').columns(['org_id', 'user_id']).execute();
  await db.schema.createIndex('hub_sessions_user_idx').on('hub_sessions').columns(['user_id', 'expires_at']).execute();

  await db.schema
    .createTable('hub_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('token_digest', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'admin', 'staff')`))
    .addColumn('email', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('accepted_by', 'text', (c) => c.references('users.id'))
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('hub_invitations_org_created_idx').on('hub_invitations').columns(['org_id', 'created_at', 'id']).execute();
}
