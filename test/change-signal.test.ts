import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, freshTarget } from './helpers/engines.js';
import { openDatabase, type Database } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { seedOrg, type SeededOrg } from './helpers/app.js';
import { seedShop } from './helpers/shop.js';
import { digestApiKey } from '../src/lib/api-key.js';
import { activeKeyLookup } from '../src/modules/api-keys/api-keys.repo.js';
import { revokeApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { coalesced, orgVersionReader, sendStaleBatches } from '../src/db/change-signal.js';

const stored = async (database: Database, orgId: string) =>
  (await database.db.selectFrom('org_versions').select('version').where('org_id', '=', orgId).execute()).reduce((sum, r) => sum + Number(r.version), 0);

forEachEngine('change signal', (engine) => {
  let database: Database;
  let drop: () => Promise<void>;
  let a: SeededOrg;
  let b: SeededOrg;
  before(async () => {
    const fresh = await freshTarget(engine);
    drop = fresh.drop;
    database = openDatabase(fresh.target);
    await migrate(database);
    a = await seedOrg(database);
    b = await seedOrg(database);
  });
  after(async () => {
    await database.close();
    await drop();
  });

  test('every write to a counted table moves its own org\'s counter, in the same transaction, and no other org\'s', async () => {
    const [a0, b0] = [await stored(database, a.orgId), await stored(database, b.orgId)];
    const shop = await seedShop(database, a.orgId, Date.now());
    const a1 = await stored(database, a.orgId);
    assert.ok(a1 > a0, `${a1} > ${a0}`);
    assert.equal(await stored(database, b.orgId), b0);

    // Each counted table, by update and delete too; a rolled-back write leaves the counter as it was.
    const touch = [
      () => database.db.updateTable('locations').set({ name: 'Renamed' }).where('org_id', '=', a.orgId).execute(),
      () => database.db.updateTable('services').set({ duration_minutes: 45 }).where('org_id', '=', a.orgId).where('id', '=', shop.haircut.id).execute(),
      () => database.db.updateTable('staff').set({ bookable: 0 }).where('org_id', '=', a.orgId).where('id', '=', shop.blake.id).execute(),
      () => database.db.deleteFrom('staff_hours').where('org_id', '=', a.orgId).where('staff_id', '=', shop.blake.id).execute(),
      () => database.db.deleteFrom('staff_services').where('org_id', '=', a.orgId).where('staff_id', '=', shop.blake.id).execute(),
      () => database.db.deleteFrom('staff_locations').where('org_id', '=', a.orgId).where('staff_id', '=', shop.blake.id).execute(),
      () => database.db.deleteFrom('service_locations').where('org_id', '=', a.orgId).where('service_id', '=', shop.colour.id).execute(),
      () => database.db.insertInto('location_closures').values({ id: `cls_${Date.now()}`, org_id: a.orgId, location_id: shop.location.id, starts_on: '2030-01-01', ends_on: '2030-01-01', reason: null, created_at: 0 }).execute(),
      () => database.db.insertInto('staff_exceptions').values({ id: `exc_${Date.now()}`, org_id: a.orgId, staff_id: shop.alex.id, location_id: null, date: '2030-01-02', start_minute: 0, end_minute: 1440, kind: 'off', reason: null, created_at: 0 }).execute(),
    ];
    let last = await stored(database, a.orgId);
    for (const write of touch) {
      await write();
      const now = await stored(database, a.orgId);
      assert.ok(now > last, `${write.toString().slice(6, 90)} moved the counter`);
      last = now;
    }
    await assert.rejects(database.db.transaction().execute(async (trx) => {
      await trx.updateTable('locations').set({ name: 'Never' }).where('org_id', '=', a.orgId).execute();
      throw new Error('roll back');
    }));
    assert.equal(await stored(database, a.orgId), last);
    assert.equal(await stored(database, b.orgId), b0);
  });

  test('concurrent writers in one org each add exactly one, on PostgreSQL spread over the counter\'s rows', async () => {
    const start = await stored(database, a.orgId);
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      database.db.transaction().execute((trx) => trx.updateTable('locations').set({ name: `Shop ${i}` }).where('org_id', '=', a.orgId).where('slug', '=', a.locationSlug).execute())));
    assert.equal(await stored(database, a.orgId), start + 20);
    const rows = await database.db.selectFrom('org_versions').select('slot').where('org_id', '=', a.orgId).execute();
    if (engine === 'postgres') assert.ok(rows.length >= 10, `${rows.length} rows`);
    else assert.equal(rows.length, 1);
  });

  test('the reader sees a commit at once; lookups asked in one turn share one statement', async () => {
    const versions = orgVersionReader(database);
    const v0 = await versions(a.orgId);
    await database.db.updateTable('locations').set({ name: 'Again' }).where('org_id', '=', a.orgId).execute();
    const v1 = await versions(a.orgId);
    assert.ok(v1 > v0, `${v1} > ${v0}`);

    const lookup = activeKeyLookup(database);
    const before = database.queryCount();
    const rows = await Promise.all([a.readKey, a.writeKey, b.readKey, a.readKey].map((k) => lookup(digestApiKey(k))));
    assert.deepEqual(rows.map((r) => r?.org_id), [a.orgId, a.orgId, b.orgId, a.orgId]);
    if (engine === 'postgres') {
      assert.equal(database.queryCount() - before, 1, 'one statement for the turn');
      assert.equal(rows[0]!.data_version, await stored(database, a.orgId));
    }

    // Revoked, then asked for while an earlier batch may still be in flight: the later ask is refused.
    const inFlight = lookup(digestApiKey(b.readKey));
    await revokeApiKey(database, b.orgId, b.readKeyId);
    assert.equal(await lookup(digestApiKey(b.readKey)), undefined);
    await inFlight;
  });
});

test('coalesced reads: one fetch per turn, a batch sent early once it is 2 ms old, every caller answered', async () => {
  const fetches: string[][] = [];
  const read = coalesced(async (keys: string[]) => {
    fetches.push(keys);
    return new Map(keys.map((k) => [k, k.toUpperCase()]));
  });
  // One turn, three callers (one key twice): one fetch, each key once.
  assert.deepEqual(await Promise.all(['a', 'b', 'a'].map(read)), ['A', 'B', 'A']);
  assert.deepEqual(fetches, [['a', 'b']]);
  // One long turn (a flood's I/O phase): a key asked 3 ms after the batch opened sends it, with that key in it.
  fetches.length = 0;
  const early = [read('c'), read('d')];
  const until = performance.now() + 3;
  while (performance.now() < until) { /* the turn goes on */ }
  early.push(read('e'), read('f'));
  assert.deepEqual(fetches, [['c', 'd', 'e']], 'sent in the same turn, after its third caller asked');
  assert.deepEqual(await Promise.all(early), ['C', 'D', 'E', 'F']);
  assert.deepEqual(fetches, [['c', 'd', 'e'], ['f']]);
  // More keys in a turn than one statement takes: every caller still answered.
  fetches.length = 0;
  const many = Array.from({ length: 1200 }, (_, i) => `k${i}`);
  assert.deepEqual(await Promise.all(many.map(read)), many.map((k) => k.toUpperCase()));
  assert.equal(fetches.flat().length, 1200);
});

test('sendStaleBatches: a batch left waiting in a long turn goes out with the next arriving request', async () => {
  const fetches: string[][] = [];
  const read = coalesced(async (keys: string[]) => {
    fetches.push(keys);
    return new Map(keys.map((k) => [k, k]));
  });
  const answer = read('x');
  sendStaleBatches();
  assert.deepEqual(fetches, [], 'a fresh batch waits for others to join');
  const until = performance.now() + 3;
  while (performance.now() < until) { /* the turn goes on; no key asked */ }
  sendStaleBatches();
  assert.deepEqual(fetches, [['x']], 'sent in the same turn, without a new key');
  assert.equal(await answer, 'x');
  await new Promise((r) => setImmediate(r));
  assert.equal(fetches.length, 1, 'and only once');
});
