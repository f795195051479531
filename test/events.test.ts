import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { call, seedOrg, startTestApp, type SeededOrg, type TestContext } from './helpers/app.js';
import { EVENT_RETENTION_MS } from '../src/modules/events/events.service.js';

const newClient = (ctx: TestContext, org: SeededOrg, tag: string) =>
  call(ctx.app, { method: 'POST', url: '/v1/clients', key: org.writeKey, payload: { first_name: tag, email: `${tag}-${Math.random()}@example.com` } });

/** Every event id the org has in the outbox, in feed order. */
const stored = async (ctx: TestContext, orgId: string) =>
  (await ctx.database.db.selectFrom('events').select(['id']).where('org_id', '=', orgId).orderBy('tx').orderBy('seq').execute()).map((r) => r.id);

forEachEngine('events feed', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  before(async () => {
    ctx = await startTestApp(engine);
    org = await seedOrg(ctx.database);
  });
  after(() => ctx.close());

  test('oldest first; filters by exact type, prefix and time; get by id; the envelope for bad input', async () => {
    const o = await seedOrg(ctx.database);
    for (let i = 0; i < 3; i++) assert.equal((await newClient(ctx, o, `a${i}`)).status, 201);
    const all = await call(ctx.app, { method: 'GET', url: '/v1/events', key: o.readKey });
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.data.map((e: any) => e.id), await stored(ctx, o.orgId));
    assert.equal(all.body.data[0].type, 'location.created', 'the org\'s location came first');
    const clients = all.body.data.filter((e: any) => e.type === 'client.created');
    assert.deepEqual(clients.map((e: any) => e.data.object.first_name), ['a0', 'a1', 'a2']);
    const e0 = clients[0];
    assert.equal(e0.object, 'event');
    assert.equal(e0.type, 'client.created');
    assert.equal(e0.source, 'api');
    assert.match(e0.request_id, /^req_/);
    assert.match(e0.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(all.body.next_cursor, 'a change feed always hands back where it got to');

    for (const type of ['client.created', 'client.*']) {
      const res = await call(ctx.app, { method: 'GET', url: `/v1/events?type=${type}`, key: o.readKey });
      assert.equal(res.body.data.length, 3, type);
    }
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/events?type=booking.*', key: o.readKey })).body.data.length, 0);
    const later = await call(ctx.app, { method: 'GET', url: `/v1/events?created_after=${encodeURIComponent('2100-01-01T00:00:00+01:00')}`, key: o.readKey });
    assert.equal(later.body.data.length, 0);
    const before = await call(ctx.app, { method: 'GET', url: '/v1/events?created_before=2100-01-01T00:00:00Z', key: o.readKey });
    assert.equal(before.body.data.length, all.body.data.length);

    const one = await call(ctx.app, { method: 'GET', url: `/v1/events/${e0.id}`, key: o.readKey });
    assert.deepEqual(one.body, e0);
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/events/evt_nope', key: o.readKey })).body.error.code, 'resource_not_found');

    const bad: [string, string, string][] = [
      ['type=booking.exploded', 'parameter_invalid', 'type'],
      ['type=bookings.*', 'parameter_invalid', 'type'],
      ['type=', 'parameter_invalid', 'type'],
      ['created_after=2026-11-31T00:00:00Z', 'parameter_invalid', 'created_after'],
      ['created_before=2026-12-01T10:00:00', 'parameter_invalid', 'created_before'],
      ['limit=0', 'parameter_invalid', 'limit'],
      ['colour=blue', 'parameter_unknown', 'colour'],
      ['cursor=abc.def', 'parameter_invalid', 'cursor'],
    ];
    for (const [qs, code, param] of bad) {
      const res = await call(ctx.app, { method: 'GET', url: `/v1/events?${qs}`, key: o.readKey });
      assert.equal(res.status, 400, qs);
      assert.equal(res.body.error.code, code, qs);
      assert.equal(res.body.error.param, param, qs);
    }
    // A cursor from another org, or another filter, is refused.
    const otherCursor = (await call(ctx.app, { method: 'GET', url: '/v1/events?limit=1', key: org.readKey })).body.next_cursor;
    if (otherCursor) assert.equal((await call(ctx.app, { method: 'GET', url: `/v1/events?cursor=${otherCursor}`, key: o.readKey })).body.error?.param, 'cursor');
    const mine = (await call(ctx.app, { method: 'GET', url: '/v1/events?limit=1', key: o.readKey })).body.next_cursor;
    assert.equal((await call(ctx.app, { method: 'GET', url: `/v1/events?type=client.*&cursor=${mine}`, key: o.readKey })).body.error?.param, 'cursor');
  });

  test('paging while events are written concurrently: each event exactly once, in feed order', async () => {
    const o = await seedOrg(ctx.database);
    const seen: string[] = [];
    let cursor: string | undefined;
    let writing = true;
    const writers = [0, 1, 2, 3].map(async (w) => {
      for (let i = 0; i < 15; i++) assert.equal((await newClient(ctx, o, `w${w}-${i}`)).status, 201);
    });
    const done = Promise.all(writers).then(() => { writing = false; });
    const expectedTotal = (await stored(ctx, o.orgId)).length + 60;
    const deadline = Date.now() + 30_000;
    while (seen.length < expectedTotal && Date.now() < deadline) {
      const page = await call(ctx.app, { method: 'GET', url: `/v1/events?limit=7${cursor ? `&cursor=${cursor}` : ''}`, key: o.readKey });
      assert.equal(page.status, 200, page.raw);
      seen.push(...page.body.data.map((e: any) => e.id));
      cursor = page.body.next_cursor ?? cursor;
      if (!page.body.has_more && writing) await new Promise((r) => setTimeout(r, 5));
      else if (!page.body.has_more) await new Promise((r) => setTimeout(r, 20));
    }
    await done;
    assert.equal(new Set(seen).size, seen.length, 'no event twice');
    assert.deepEqual(seen, await stored(ctx, o.orgId), 'every event, in feed order');
    // The kept cursor resumes after the last one seen: nothing more, until something new happens.
    const after = await call(ctx.app, { method: 'GET', url: `/v1/events?cursor=${cursor}`, key: o.readKey });
    assert.deepEqual(after.body.data, []);
    assert.equal(after.body.next_cursor, cursor);
    await newClient(ctx, o, 'late');
    let next: any;
    for (let i = 0; i < 200 && !next?.body.data.length; i++) {
      next = await call(ctx.app, { method: 'GET', url: `/v1/events?cursor=${cursor}`, key: o.readKey });
      if (!next.body.data.length) await new Promise((r) => setTimeout(r, 25));
    }
    assert.deepEqual(next.body.data.map((e: any) => e.data.object.first_name), ['late']);
  });

  test('retention: the worker prunes events older than 30 days', async () => {
    const o = await seedOrg(ctx.database);
    await newClient(ctx, o, 'old');
    const ids = await stored(ctx, o.orgId);
    const old = ids.at(-1)!;
    await ctx.database.db.updateTable('events').set({ created_at: Date.now() - EVENT_RETENTION_MS - 60_000 }).where('id', '=', old).execute();
    await newClient(ctx, o, 'new');
    await ctx.app.webhookWorker.runOnce();
    const left = await stored(ctx, o.orgId);
    assert.equal(left.length, ids.length, 'one pruned, one added');
    assert.ok(!left.includes(old));
  });
});
