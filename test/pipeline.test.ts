import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { runTransaction } from '../src/db/transaction.js';
import { deferredWrite } from '../src/db/pipeline.js';

forEachEngine('transactions in fewer round trips', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  let shop: TestShop;
  before(async () => {
    ctx = await startTestApp(engine);
    org = await seedOrg(ctx.database);
    shop = await seedShop(ctx.database, org.orgId, Date.now());
  });
  after(() => ctx.close());

  const names = async () => (await ctx.database.db.selectFrom('locations').select('name').where('org_id', '=', org.orgId).orderBy('name').execute()).map((r) => r.name);

  test('a deferred write commits with the transaction; one that fails rolls back everything before it and raises', async () => {
    const before = await names();
    await runTransaction(ctx.database, async (trx) => {
      await trx.updateTable('locations').set({ name: 'First' }).where('org_id', '=', org.orgId).where('id', '=', shop.location.id).execute();
      await deferredWrite(trx, trx.updateTable('locations').set({ name: 'Second' }).where('org_id', '=', org.orgId).where('id', '=', shop.location.id));
    });
    assert.deepEqual(await names(), [...before.filter((n) => n !== 'Salon'), 'Second'].sort());

    await assert.rejects(runTransaction(ctx.database, async (trx) => {
      await trx.updateTable('locations').set({ name: 'Third' }).where('org_id', '=', org.orgId).where('id', '=', shop.location.id).execute();
      // the same primary key again: refused by the database
      await deferredWrite(trx, trx.insertInto('location_closures').values({ id: 'cls_dup', org_id: org.orgId, location_id: shop.location.id, starts_on: '2030-01-01', ends_on: '2030-01-01', reason: null, created_at: 0 }));
      await deferredWrite(trx, trx.insertInto('location_closures').values({ id: 'cls_dup', org_id: org.orgId, location_id: shop.location.id, starts_on: '2030-01-02', ends_on: '2030-01-02', reason: null, created_at: 0 }));
    }));
    assert.ok((await names()).includes('Second'), 'nothing of the failed transaction was kept');
    assert.equal((await ctx.database.db.selectFrom('location_closures').select('id').where('org_id', '=', org.orgId).where('id', '=', 'cls_dup').execute()).length, 0);
  });

  test('a booking through the API with its event and idempotency record: a transaction of three round trips on PostgreSQL', { skip: engine === 'sqlite' ? 'in-process engine' : false }, async () => {
    const book = (startsAt: string, key: string) => call(ctx.app, {
      method: 'POST', url: '/v1/bookings', key: org.writeKey, headers: { 'idempotency-key': key },
      payload: { location: shop.location.slug, service: shop.haircut.id, staff: shop.blake.id, client: shop.client.id, starts_at: startsAt },
    });
    const day = new Date(Date.now() + 14 * 86_400_000);
    while (day.getUTCDay() !== 3) day.setUTCDate(day.getUTCDate() + 1);
    const at = (h: number) => `${day.toISOString().slice(0, 10)}T${String(h).padStart(2, '0')}:00:00Z`;
    assert.equal((await book(at(11), 'warm-up')).status, 201); // the key's last use is written once

    const sent: string[] = [];
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { text?: string };
      sent.push(typeof q === 'string' ? q : q.text ?? '');
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const res = await book(at(13), 'measured');
      assert.equal(res.status, 201, res.raw);
    } finally {
      pg.Client.prototype.query = original;
    }
    const first = sent.findIndex((t) => /^begin; /.test(t));
    const last = sent.findIndex((t) => /; commit$/.test(t));
    assert.ok(first >= 0 && last > first, sent.map((t) => t.slice(0, 60)).join('\n'));
    // BEGIN with the batched read and lock; the insert; the event, idempotency record and COMMIT
    assert.equal(last - first + 1, 3, sent.slice(first, last + 1).map((t) => t.slice(0, 60)).join('\n'));
    assert.match(sent[last]!, /insert into "events".*update "idempotency_keys".*commit$/s);
    assert.equal((await ctx.database.db.selectFrom('events').select('id').where('org_id', '=', org.orgId).where('type', '=', 'booking.created').execute()).length, 2);
  });
});
