import type { Database } from '../../db/connect.js';
import { createOrgWithOwner } from '../orgs/orgs.service.js';
import { createApiKey } from '../api-keys/api-keys.service.js';
import { randomString } from '../../lib/ids.js';
import { seedDemoShop } from './demo-shop.js';

export interface DemoResult {
  org: { id: string; slug: string; name: string };
  owner: { email: string; password: string };
  apiKey: string;
  locations: string[];
}

/**
 * A new demo organisation with an owner login, a realistic shop and a `read_write` key. The first
 * organisation in a database gets the documented service and staff ids (demo-facts.ts); later ones random ids.
 */
export async function createDemoOrg(database: Database, now = Date.now()): Promise<DemoResult> {
  const stableIds = !(await anyOrganisation(database));
  const tag = randomString(6).toLowerCase();
  const { org, owner, password } = await createOrgWithOwner(database, {
    name: 'Fade & Bloom',
    ownerEmail: `owner-${tag}@example.com`,
    ownerName: 'Sam Okafor',
  }, now);
  const locations = await seedDemoShop(database, org.id, now, { stableIds });
  const { plaintext } = await createApiKey(database, org.id, { label: 'Demo key', scope: 'read_write', createdBy: owner.id }, now);
  return { org: { id: org.id, slug: org.slug, name: org.name }, owner: { email: owner.email, password }, apiKey: plaintext, locations };
}

/** First start on an empty database: make the demo shop so there is something to look at. */
export async function seedDemoIfEmpty(database: Database): Promise<DemoResult | undefined> {
  if (await anyOrganisation(database)) return undefined;
  return createDemoOrg(database);
}

const anyOrganisation = async (database: Database) => !!(await database.db.selectFrom('organisations').select('id').limit(1).executeTakeFirst());

/** The first-start banner: where things are, the owner login, the key (shown once) and the walkthrough's first lines. */
export function printDemoBanner(demo: DemoResult, baseUrl: string): void {
  const lines = [
    '',
    `  Demo shop "${demo.org.name}" created (org ${demo.org.slug}).`,
    '',
    `  Hub:            ${baseUrl}/`,
    `  Owner login:    ${demo.owner.email} / ${demo.owner.password}`,
    `  API reference:  ${baseUrl}/docs`,
    '',
    '  Demo API key (read_write). It is shown once: copy it now.',
    `    ${demo.apiKey}`,
    '',
    '  Try it (README, "Walkthrough", goes on from here):',
    `    export SETORA=${baseUrl}`,
    `    export SETORA_KEY=${demo.apiKey}`,
    '    curl "$SETORA/v1/locations" -H "Authorization: Bearer $SETORA_KEY"',
    '',
  ];
  console.log(lines.join('\n'));
}
