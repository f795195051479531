import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { call, startTestApp, type TestContext } from '../helpers/app.js';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.js';
import { hub, memberOf, setUpShop, signUp, type HubSession } from './hub-helpers.js';

/** Runs the worker until `done` holds (see test/webhooks.test.ts on PostgreSQL's settled feed). */
async function workUntil(ctx: TestContext, done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await ctx.app.webhookWorker.runOnce();
    await new Promise((r) => setTimeout(r, 20));
  }
}

const addClient = (ctx: TestContext, owner: HubSession, name: string) =>
  hub(ctx.app, owner, { method: 'POST', url: '/hub/api/clients', payload: { first_name: name } });

forEachEngine('hub Settings → Developer → Webhooks', (engine) => {
  let ctx: TestContext;
  let receiver: Receiver;
  before(async () => {
    ctx = await startTestApp(engine, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }, { webhooks: { timeoutMs: 500 } });
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await ctx.close();
  });

  test('create (secret once), list with delivery counts, delivery log, resend one event, replay since a time', async () => {
    const owner = await signUp(ctx.app);
    const created = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/webhooks', payload: { url: receiver.url, enabled_events: ['client.*'], description: 'CRM' } });
    assert.equal(created.status, 201, created.raw);
    assert.match(created.body.secret, /^whsec_/);
    const id = created.body.id;
    receiver.state.secrets = [created.body.secret];
    const since = new Date().toISOString();
    for (const name of ['Ann', 'Bob']) assert.equal((await addClient(ctx, owner, name)).status, 201);
    await workUntil(ctx, () => receiver.ids().size >= 2);
    assert.ok(receiver.received.every((r) => r.verified));

    const list = await hub(ctx.app, owner, { url: '/hub/api/webhooks' });
    assert.equal(list.status, 200);
    assert.equal(list.body.data[0].id, id);
    assert.equal(list.body.data[0].deliveries.succeeded, 2);
    assert.ok(!list.raw.includes('whsec_'), 'never the secret in the list');

    const log = await hub(ctx.app, owner, { url: `/hub/api/webhooks/${id}/attempts` });
    assert.equal(log.status, 200);
    assert.equal(log.body.data.length, 2);
    assert.deepEqual(Object.keys(log.body.data[0]).sort(), ['attempt', 'attempted_at', 'error', 'event_id', 'event_type', 'id', 'latency_ms', 'outcome', 'response_excerpt', 'status_code']);
    assert.equal(log.body.data[0].status_code, 200);
    assert.equal(log.body.data[0].event_type, 'client.created');

    const eventId = log.body.data[1].event_id;
    const resent = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/webhooks/${id}/resend`, payload: { event_id: eventId } });
    assert.deepEqual(resent.body, { scheduled: 1 });
    await workUntil(ctx, () => receiver.received.filter((r) => r.id === eventId).length >= 2);

    const replay = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/webhooks/${id}/replay`, payload: { since } });
    assert.deepEqual(replay.body, { scheduled: 2 });
    await workUntil(ctx, () => receiver.received.length >= 5);
    assert.equal(receiver.ids().size, 2, 'the same events again, with the same webhook-id');

    const rotated = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/webhooks/${id}/rotate_secret` });
    assert.match(rotated.body.secret, /^whsec_/);
    const disabled = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/webhooks/${id}`, payload: { status: 'disabled' } });
    assert.equal(disabled.body.disabled_reason, 'manual');
    assert.equal((await hub(ctx.app, owner, { method: 'DELETE', url: `/hub/api/webhooks/${id}` })).body.deleted, true);
  });

  test('owners and admins only; another shop\'s endpoint is 404; bad input names the field', async () => {
    const owner = await signUp(ctx.app);
    const staff = await memberOf(ctx.app, ctx.database, owner, 'staff');
    assert.equal((await hub(ctx.app, staff, { url: '/hub/api/webhooks' })).status, 403);
    const mine = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/webhooks', payload: { url: receiver.url, enabled_events: ['*'] } });
    const other = await signUp(ctx.app);
    for (const [method, url, payload] of [
      ['GET', `/hub/api/webhooks/${mine.body.id}/attempts`, undefined],
      ['PATCH', `/hub/api/webhooks/${mine.body.id}`, { description: 'x' }],
      ['POST', `/hub/api/webhooks/${mine.body.id}/resend`, { event_id: 'evt_x' }],
      ['POST', `/hub/api/webhooks/${mine.body.id}/replay`, { since: '2026-01-01T00:00:00Z' }],
      ['DELETE', `/hub/api/webhooks/${mine.body.id}`, undefined],
    ] as const) {
      const res = await hub(ctx.app, other, { method, url, payload });
      assert.equal(res.status, 404, `${method} ${url}`);
    }
    for (const [payload, code, param] of [
      [{ url: 'ftp://x', enabled_events: ['*'] }, 'parameter_invalid', 'url'],
      [{ url: receiver.url, enabled_events: ['booking.nope'] }, 'parameter_invalid', 'enabled_events.0'],
      [{ enabled_events: ['*'] }, 'parameter_missing', 'url'],
      [{ url: receiver.url, enabled_events: ['*'], extra: 1 }, 'parameter_unknown', 'extra'],
    ] as const) {
      const res = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/webhooks', payload });
      assert.equal(res.body.error?.code, code, JSON.stringify(payload));
      assert.equal(res.body.error.param, param);
    }
    const badReplay = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/webhooks/${mine.body.id}/replay`, payload: { since: '2026-02-30T00:00:00Z' } });
    assert.equal(badReplay.body.error.param, 'since');
  });

  test('keys with fine scopes and a location limit, made in the Hub, work on /v1 as granted', async () => {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const made = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/keys', payload: { label: 'Board', scopes: ['bookings:read', 'catalog:read'], locations: [shop.slug] } });
    assert.equal(made.status, 201, made.raw);
    assert.equal(made.body.key.scope, null);
    assert.deepEqual(made.body.key.scopes, ['catalog:read', 'bookings:read']);
    assert.deepEqual(made.body.key.locations, [shop.slug]);
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/bookings', key: made.body.plaintext })).status, 200);
    const refused = await call(ctx.app, { method: 'GET', url: '/v1/clients', key: made.body.plaintext });
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /`clients:read`/);
    const list = await hub(ctx.app, owner, { url: '/hub/api/keys' });
    assert.deepEqual(list.body.data[0].locations, [shop.slug]);
    for (const [payload, param] of [
      [{ label: 'x', scopes: ['bookings:delete'] }, 'scopes.0'],
      [{ label: 'x', scope: 'read', scopes: ['catalog:read'] }, 'scopes'],
      [{ label: 'x', scope: 'read', locations: ['nowhere'] }, 'locations'],
    ] as const) {
      const res = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/keys', payload });
      assert.equal(res.status, 400, JSON.stringify(payload));
      assert.equal(res.body.error.param, param, JSON.stringify(payload));
    }
  });
});
