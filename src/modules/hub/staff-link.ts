import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/errors.js';
import { RetryableConflict, runTransaction } from '../../db/transaction.js';
import { ApiError, notFound } from '../../http/errors.js';
import { findStaff } from '../staff/staff.repo.js';
import * as repo from './team.repo.js';
import type { HubPrincipal } from './hub-guard.js';

/**
 * A member's own staff record ("My day"): who they are in the diary, so it can open on their column.
 * One each way per organisation (table `hub_staff_links`, composite keys with the org).
 */

/** The staff record linked to a member in an org, or null. */
export function linkedStaff(db: Kysely<DB>, orgId: string, userId: string): Promise<{ id: string; display_name: string } | undefined> {
  return db.selectFrom('hub_staff_links as k')
    .innerJoin('staff as s', (j) => j.onRef('s.org_id', '=', 'k.org_id').onRef('s.id', '=', 'k.staff_id'))
    .select(['s.id', 's.display_name'])
    .where('k.org_id', '=', orgId).where('k.user_id', '=', userId)
    .executeTakeFirst();
}

const taken = (name: string) => new ApiError('resource_conflict', `That staff record is already linked to ${name}. Unlink it there first.`, 'staff_id');

/**
 * Links a member to a staff record of the org (`null` unlinks). An unknown or foreign staff id is `404` on
 * `staff_id`; a staff record already linked to someone else is `409 resource_conflict` (also when two
 * admins link it at the same moment: the unique key decides).
 */
export async function setStaffLink(database: Database, p: HubPrincipal, userId: string, staffId: string | null, now: number): Promise<void> {
  await runTransaction(database, async (trx) => {
    if (!(await repo.findMember(trx, p.orgId, userId))) throw new ApiError('resource_not_found', 'No such member.');
    if (staffId !== null && !(await findStaff(trx, p.orgId, staffId))) throw notFound('staff', 'staff_id');
    if (staffId !== null) {
      const holder = await trx.selectFrom('hub_staff_links as k').innerJoin('users as u', 'u.id', 'k.user_id').select(['k.user_id', 'u.name'])
        .where('k.org_id', '=', p.orgId).where('k.staff_id', '=', staffId).executeTakeFirst();
      if (holder && holder.user_id !== userId) throw taken(holder.name);
    }
    await trx.deleteFrom('hub_staff_links').where('org_id', '=', p.orgId).where('user_id', '=', userId).execute();
    if (staffId === null) return;
    try {
      await trx.insertInto('hub_staff_links').values({ org_id: p.orgId, user_id: userId, staff_id: staffId, created_at: now }).execute();
    } catch (err) {
      // Linked to someone else at the same moment: run again, and the check above names who.
      if (isUniqueViolation(err)) throw new RetryableConflict(taken('another member'));
      throw err;
    }
  });
}
