import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Frozen: a Hub member's link to their own staff record ("My day": a barber signs in and the diary opens on
 * their column). One staff record per member and one member per staff record, in the same organisation
 * (composite keys, so a link can never cross tenants). Removing the member removes the link.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('hub_staff_links')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('hub_staff_links_pk', ['org_id', 'user_id'])
    .addUniqueConstraint('hub_staff_links_staff_uq', ['org_id', 'staff_id'])
    .addForeignKeyConstraint('hub_staff_links_member_fk', ['org_id', 'user_id'], 'memberships', ['org_id', 'user_id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('hub_staff_links_staff_fk', ['org_id', 'staff_id'], 'staff', ['org_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
}
