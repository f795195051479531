import type { Database } from '../src/db/connect.js';
import { createOrgWithOwner } from '../src/modules/orgs/orgs.service.js';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { seedDemoShop } from '../src/modules/demo/demo-shop.js';
import { randomString } from '../src/lib/ids.js';

/** Data for a benchmark: an org with the demo shop, a read_write key, plus whatever the named scenario needs. */
export async function seedBenchData(database: Database, scenario: string): Promise<Record<string, unknown>> {
  const tag = randomString(6).toLowerCase();
  const { org } = await createOrgWithOwner(database, { name: `Bench ${tag}`, ownerEmail: `bench-${tag}@example.com` });
  await seedDemoShop(database, org.id, Date.now());
  const { plaintext } = await createApiKey(database, org.id, { label: 'bench', scope: 'read_write' });
  return { key: plaintext, orgId: org.id, scenario };
}
