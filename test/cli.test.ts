import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { forEachEngine, freshTarget } from './helpers/engines.js';
import { openDatabase } from '../src/db/connect.js';
import { isWellFormedApiKey } from '../src/lib/api-key.js';
import { createLocation } from '../src/modules/locations/locations.service.js';
import { requireOrgBySlug } from '../src/modules/orgs/orgs.service.js';
import { systemActor } from '../src/modules/events/actor.js';

function setora(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/setora.js', ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

forEachEngine('the setora command', (engine) => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  before(async () => {
    const fresh = await freshTarget(engine);
    drop = fresh.drop;
    env = { DATABASE_URL: fresh.target.kind === 'postgres' ? fresh.target.url : `sqlite:${fresh.target.file}` };
  });
  after(() => drop());

  test('migrate, orgs create, keys create / list / revoke with --json; the key works and is never listed', async () => {
    const m = await setora(['migrate', '--json'], env);
    assert.equal(m.code, 0, m.stderr);
    assert.deepEqual(JSON.parse(m.stdout).applied.slice(0, 2), ['2026-11-28-01-foundation', '2026-11-28-02-shop-model']);
    assert.deepEqual(JSON.parse((await setora(['migrate', '--json'], env)).stdout).applied, []);

    const o = await setora(['orgs', 'create', '--name', 'Kut & Co', '--owner-email', 'Owner@Example.com', '--json'], env);
    assert.equal(o.code, 0, o.stderr);
    const org = JSON.parse(o.stdout);
    assert.equal(org.org.slug, 'kut-co');
    assert.equal(org.owner.email, 'owner@example.com');
    assert.ok(org.owner.password.length >= 12, 'a generated password is shown once');

    const k = await setora(['keys', 'create', '--org', 'kut-co', '--scope', 'read', '--label', 'Display board', '--json'], env);
    assert.equal(k.code, 0, k.stderr);
    const key = JSON.parse(k.stdout);
    assert.ok(isWellFormedApiKey(key.key));
    assert.equal(key.scope, 'read');

    const l = await setora(['keys', 'list', '--org', 'kut-co', '--json'], env);
    const listed = JSON.parse(l.stdout).data;
    assert.equal(listed.length, 1);
    assert.deepEqual(Object.keys(listed[0]).sort(), ['created_at', 'created_by', 'display', 'id', 'label', 'last_used_at', 'locations', 'object', 'revoked_at', 'scope', 'scopes']);
    assert.ok(!l.stdout.includes(key.key.slice(12, 30)), 'no plaintext in the list');
    assert.equal(listed[0].display, `${key.key.slice(0, 12)}…${key.key.slice(-4)}`);

    const r = await setora(['keys', 'revoke', '--org', 'kut-co', key.id, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout).revoked_at);
    const database = openDatabase(engine === 'postgres' ? { kind: 'postgres', url: env.DATABASE_URL! } : { kind: 'sqlite', file: env.DATABASE_URL!.slice(7) });
    const row = await database.db.selectFrom('api_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow();
    await database.close();
    assert.ok(row.revoked_at);
    assert.ok(!JSON.stringify(row).includes(key.key.slice(8)));
  });

  test('keys create --scopes … --locations …: fine scopes and a location limit, shown by keys list', async () => {
    const database = openDatabase(engine === 'postgres' ? { kind: 'postgres', url: env.DATABASE_URL! } : { kind: 'sqlite', file: env.DATABASE_URL!.slice(7) });
    const org = await requireOrgBySlug(database, 'kut-co');
    await createLocation(database, systemActor(org.id), { slug: 'shoreditch', name: 'Shoreditch', timeZone: 'Europe/London', address: { line1: '1 Old St', city: 'London', postcode: 'EC1V 9AA' }, openingHours: [] });
    await database.close();
    const k = await setora(['keys', 'create', '--org', 'kut-co', '--label', 'Board', '--scopes', 'bookings:read,catalog:read', '--locations', 'shoreditch', '--json'], env);
    assert.equal(k.code, 0, k.stderr);
    const key = JSON.parse(k.stdout);
    assert.equal(key.scope, null);
    assert.deepEqual(key.scopes, ['catalog:read', 'bookings:read']);
    assert.deepEqual(key.locations, ['shoreditch']);
    const human = await setora(['keys', 'list', '--org', 'kut-co'], env);
    assert.match(human.stdout, /catalog:read,bookings:read @ shoreditch/);
    const json = JSON.parse((await setora(['keys', 'list', '--org', 'kut-co', '--json'], env)).stdout).data;
    assert.ok(json.some((x: any) => x.id === key.id && x.locations[0] === 'shoreditch'));
    for (const [args, code, message] of [
      [['--scopes', 'bookings:admin'], 1, /Unknown scope `bookings:admin`/],
      [['--scopes', 'catalog:read', '--locations', 'nowhere'], 1, /No location with slug `nowhere`/],
      [['--scope', 'read', '--scopes', 'catalog:read'], 2, /give --scope/],
    ] as const) {
      const res = await setora(['keys', 'create', '--org', 'kut-co', '--label', 'x', ...args], env);
      assert.equal(res.code, code, res.stderr);
      assert.match(res.stderr, message);
    }
  });

  test('errors: stderr, one line, non-zero exit', async () => {
    const cases: [string[], number, RegExp][] = [
      [['keys', 'create', '--org', 'nope', '--scope', 'read', '--label', 'x'], 1, /No organisation with slug `nope`/],
      [['keys', 'create', '--org', 'kut-co', '--scope', 'admin', '--label', 'x'], 2, /--scope must be read or read_write/],
      [['keys', 'create', '--org', 'kut-co', '--scope', 'read'], 2, /missing --label/],
      [['keys', 'revoke', '--org', 'kut-co', 'key_nope'], 1, /No such API key/],
      [['orgs', 'create', '--name', 'X', '--owner-email', 'not-an-email'], 1, /not a valid email/],
      [['frobnicate'], 2, /unknown command/],
      [['keys', 'list', '--bogus'], 2, /bogus/],
    ];
    for (const [args, code, message] of cases) {
      const res = await setora(args, env);
      assert.equal(res.code, code, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, message);
      assert.equal(res.stdout, '');
      assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    }
    const json = await setora(['keys', 'list', '--org', 'nope', '--json'], env);
    assert.equal(json.code, 1);
    assert.equal(JSON.parse(json.stderr).error.code, 'resource_not_found');
  });

  test('demo: a new org each time, with a working read_write key and an owner login', async () => {
    const a = JSON.parse((await setora(['demo', '--json'], env)).stdout);
    const b = JSON.parse((await setora(['demo', '--json'], env)).stdout);
    assert.notEqual(a.org.slug, b.org.slug);
    assert.ok(isWellFormedApiKey(a.api_key));
    assert.match(a.owner.email, /@example\.com$/);
    assert.deepEqual(a.locations, ['shoreditch', 'clapham']);
  });
});
