import { parseArgs } from 'node:util';
import { loadConfig, type Env } from '../config.js';
import { openDatabase, type Database } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { ApiError } from '../http/errors.js';
import { createDemoOrg } from '../modules/demo/demo.service.js';
import { createOrgWithOwner, requireOrgBySlug } from '../modules/orgs/orgs.service.js';
import { addUserToOrg } from '../modules/orgs/members.service.js';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyView, type KeyScope } from '../modules/api-keys/api-keys.service.js';

const list = (v: unknown): string[] | undefined => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
/** How a key's grant reads in one line: its preset, or its fine scopes, and its locations. */
const grantOf = (k: ApiKeyView): string => `${k.scope ?? k.scopes.join(',')}${k.locations ? ` @ ${k.locations.join(',')}` : ''}`;

const USAGE = `Usage: setora <command> [options]   (add --json for machine-readable output)

  migrate                                   run pending database migrations
  demo                                      create a demo shop with an owner login and a read_write key
  orgs create --name NAME --owner-email EMAIL [--owner-password P]
  users create --org SLUG --email EMAIL --role owner|admin|staff [--password P]
  keys create --org SLUG --label LABEL (--scope read|read_write | --scopes S1,S2,…) [--locations SLUG1,SLUG2]
             fine scopes: catalog:read clients:read clients:write bookings:read bookings:write
                          events:read webhooks:read webhooks:write (:write includes :read)
  keys list --org SLUG
  keys revoke --org SLUG KEY_ID

Uses the same DATA_DIR / DATABASE_URL as the server.`;

class UsageError extends Error {}

interface Out {
  json: boolean;
  print(human: string, data: unknown): void;
}

function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${name}`);
  return v;
}

async function run(database: Database, words: string[], values: Record<string, unknown>, positionals: string[], out: Out): Promise<void> {
  const cmd = words.join(' ');
  switch (cmd) {
    case 'migrate': {
      const results = await migrate(database);
      const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
      return out.print(applied.length ? `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}` : 'Database is up to date.', { applied });
    }
    case 'demo': {
      await migrate(database);
      const d = await createDemoOrg(database);
      return out.print(
        `Demo organisation "${d.org.name}" (slug ${d.org.slug})\n  owner login: ${d.owner.email} / ${d.owner.password}\n  API key (read_write, shown once): ${d.apiKey}`,
        { org: d.org, owner: d.owner, api_key: d.apiKey, locations: d.locations },
      );
    }
    case 'orgs create': {
      await migrate(database);
      const { org, owner, password } = await createOrgWithOwner(database, {
        name: required(values, 'name'),
        ownerEmail: required(values, 'owner-email'),
        ownerPassword: values['owner-password'] as string | undefined,
      });
      const shownPassword = values['owner-password'] ? undefined : password;
      return out.print(
        `Created organisation "${org.name}" (slug ${org.slug}, id ${org.id})\n  owner: ${owner.email}${shownPassword ? ` / ${shownPassword} (generated; shown once)` : ''}`,
        { org: { id: org.id, slug: org.slug, name: org.name }, owner: { id: owner.id, email: owner.email, ...(shownPassword ? { password: shownPassword } : {}) } },
      );
    }
    case 'users create': {
      const org = await requireOrgBySlug(database, required(values, 'org'));
      const role = required(values, 'role');
      if (!['owner', 'admin', 'staff'].includes(role)) throw new UsageError('--role must be owner, admin or staff');
      const u = await addUserToOrg(database, org.id, { email: required(values, 'email'), role: role as 'owner', password: values.password as string | undefined });
      return out.print(`Added ${u.email} to ${org.slug} as ${role}${u.password ? ` (password ${u.password}, shown once)` : ''}`, { user: u, org: org.slug });
    }
    case 'keys create': {
      const org = await requireOrgBySlug(database, required(values, 'org'));
      const scope = values.scope as string | undefined;
      const scopes = list(values.scopes);
      if ((scope === undefined) === (scopes === undefined)) throw new UsageError('give --scope read|read_write or --scopes S1,S2,…');
      if (scope !== undefined && scope !== 'read' && scope !== 'read_write') throw new UsageError('--scope must be read or read_write');
      const { key, plaintext } = await createApiKey(database, org.id, { label: required(values, 'label'), scope: scope as KeyScope | undefined, scopes, locations: list(values.locations) });
      return out.print(`Created key ${key.id} "${key.label}" (${grantOf(key)}). Copy it now, it is shown once:\n${plaintext}`, { ...key, key: plaintext });
    }
    case 'keys list': {
      const org = await requireOrgBySlug(database, required(values, 'org'));
      const keys = await listApiKeys(database, org.id);
      const rows = keys.map((k) => `${k.id}  ${grantOf(k).padEnd(10)} ${k.display}  ${k.label}  created ${k.created_at}  last used ${k.last_used_at ?? 'never'}${k.revoked_at ? `  REVOKED ${k.revoked_at}` : ''}`);
      return out.print(rows.length ? rows.join('\n') : 'No keys.', { object: 'list', data: keys });
    }
    case 'keys revoke': {
      const org = await requireOrgBySlug(database, required(values, 'org'));
      const keyId = positionals[0];
      if (!keyId) throw new UsageError('missing KEY_ID');
      const key = await revokeApiKey(database, org.id, keyId);
      return out.print(`Revoked ${key.id} "${key.label}" at ${key.revoked_at}.`, key);
    }
    default:
      throw new UsageError(cmd ? `unknown command "${cmd}"` : 'no command given');
  }
}

const COMMAND_WORDS: Record<string, number> = { migrate: 1, demo: 1, orgs: 2, users: 2, keys: 2 };

export async function runCli(argv: string[], env: Env = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, name: { type: 'string' }, 'owner-email': { type: 'string' },
        'owner-password': { type: 'string' }, org: { type: 'string' }, scope: { type: 'string' }, scopes: { type: 'string' }, locations: { type: 'string' }, label: { type: 'string' },
        email: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' },
      },
    });
  } catch (err) {
    console.error(`setora: ${(err as Error).message.split('\n')[0]}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const n = COMMAND_WORDS[positionals[0]!] ?? 1;
  const words = positionals.slice(0, n);
  const rest = positionals.slice(n);
  const out: Out = { json: !!values.json, print: (human, data) => console.log(values.json ? JSON.stringify(data, null, 2) : human) };
  let database: Database | undefined;
  try {
    const config = loadConfig(env);
    database = openDatabase(config.database);
    await run(database, words, values, rest, out);
    return 0;
  } catch (err) {
    const message = err instanceof ApiError || err instanceof UsageError ? err.message : `${(err as Error).message ?? err}`;
    if (values.json) console.error(JSON.stringify({ error: { code: err instanceof ApiError ? err.code : err instanceof UsageError ? 'usage' : 'error', message } }));
    else console.error(`setora: ${message}`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    await database?.close().catch(() => undefined);
  }
}
