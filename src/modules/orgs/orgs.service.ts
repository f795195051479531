import type { Database } from '../../db/connect.js';
import { newId, randomString } from '../../lib/ids.js';
import { hashPassword } from '../../lib/password.js';
import { ApiError } from '../../http/errors.js';
import * as repo from './orgs.repo.js';
import { emailKey } from '../../lib/contact.js';
import { runTransaction } from '../../db/transaction.js';

export function slugify(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'shop';
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function uniqueOrgSlug(database: Database, base: string): Promise<string> {
  if (!(await repo.findOrgBySlug(database.db, base))) return base;
  for (;;) {
    const candidate = `${base}-${randomString(4).toLowerCase()}`;
    if (!(await repo.findOrgBySlug(database.db, candidate))) return candidate;
  }
}

/** An organisation and its first owner, in one transaction. */
export async function createOrgWithOwner(
  database: Database,
  input: { name: string; ownerEmail: string; ownerName?: string; ownerPassword?: string },
  now = Date.now(),
): Promise<{ org: repo.OrgRow; owner: { id: string; email: string }; password: string }> {
  const name = input.name.trim();
  if (!name || name.length > 120) throw new ApiError('parameter_invalid', 'The organisation name must be 1 to 120 characters.', 'name');
  const email = emailKey(input.ownerEmail);
  if (!EMAIL_RE.test(email) || email.length > 254) throw new ApiError('parameter_invalid', 'The owner email is not a valid email address.', 'owner_email');
  const password = input.ownerPassword ?? randomString(16);
  if (password.length < 10) throw new ApiError('parameter_invalid', 'The password must be at least 10 characters.', 'owner_password');
  if (await repo.findUserByEmail(database.db, email)) {
    throw new ApiError('resource_conflict', 'A user with this email already exists.', 'owner_email');
  }
  const passwordHash = await hashPassword(password);
  const org: repo.OrgRow = { id: newId('org'), slug: await uniqueOrgSlug(database, slugify(name)), name, created_at: now, updated_at: now };
  const userId = newId('usr');
  await runTransaction(database, async (trx) => {
    await repo.insertOrg(trx, org);
    await repo.insertUser(trx, { id: userId, email, name: input.ownerName?.trim() || email.split('@')[0]!, password_hash: passwordHash, created_at: now, updated_at: now });
    await repo.insertMembership(trx, org.id, userId, 'owner', now);
  });
  return { org, owner: { id: userId, email }, password };
}

export async function requireOrgBySlug(database: Database, slug: string): Promise<repo.OrgRow> {
  const org = await repo.findOrgBySlug(database.db, slug);
  if (!org) throw new ApiError('resource_not_found', `No organisation with slug \`${slug}\`.`, 'org');
  return org;
}
