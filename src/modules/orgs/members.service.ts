import type { Database } from '../../db/connect.js';
import { ApiError } from '../../http/errors.js';
import { newId, randomString } from '../../lib/ids.js';
import { hashPassword } from '../../lib/password.js';
import * as repo from './orgs.repo.js';
import { emailKey } from '../../lib/contact.js';

/** Adds a user (new, or existing by email) to an organisation with a role. */
export async function addUserToOrg(
  database: Database,
  orgId: string,
  input: { email: string; role: repo.Role; password?: string; name?: string },
  now = Date.now(),
): Promise<{ id: string; email: string; role: repo.Role; password?: string }> {
  const email = emailKey(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ApiError('parameter_invalid', 'Not a valid email address.', 'email');
  const existing = await repo.findUserByEmail(database.db, email);
  let password: string | undefined;
  const userId = existing?.id ?? newId('usr');
  if (!existing) {
    password = input.password ?? randomString(16);
    if (password.length < 10) throw new ApiError('parameter_invalid', 'The password must be at least 10 characters.', 'password');
    await repo.insertUser(database.db, { id: userId, email, name: input.name ?? email.split('@')[0]!, password_hash: await hashPassword(password), created_at: now, updated_at: now });
  }
  const member = await database.db.selectFrom('memberships').select('role').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
  if (member) throw new ApiError('resource_conflict', 'That user is already a member of this organisation.', 'email');
  await repo.insertMembership(database.db, orgId, userId, input.role, now);
  return { id: userId, email, role: input.role, ...(password && !input.password ? { password } : {}) };
}
