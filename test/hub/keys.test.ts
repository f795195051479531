import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { call, startTestApp, type TestContext } from '../helpers/app.js';
import { countRows, hub, memberOf, signUp } from './hub-helpers.js';

forEachEngine('hub Settings → Developer (API keys)', (engine) => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp(engine); });
  after(() => ctx.close());

  test('create → plaintext once; it works on /v1; the list shows label, scope, display prefix, creator and last use, never the key', async () => {
    const owner = await signUp(ctx.app);
    const created = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/keys', payload: { label: 'Website booking widget', scope: 'read_write' } });
    assert.equal(created.status, 201);
    const { plaintext, key } = created.body;
    assert.match(plaintext, /^sk_live_[0-9A-Za-z]{36}$/);
    assert.equal(key.label, 'Website booking widget');
    assert.equal(key.scope, 'read_write');
    assert.equal(key.display, `${plaintext.slice(0, 12)}…${plaintext.slice(-4)}`);
    assert.equal(key.created_by, owner.userId);
    assert.equal(key.created_by_name, 'Olive Owner');
    assert.equal(key.last_used_at, null);

    const api = await call(ctx.app, { method: 'GET', url: '/v1/locations', key: plaintext });
    assert.equal(api.status, 200);
    const list = await hub(ctx.app, owner, { url: '/hub/api/keys' });
    assert.equal(list.status, 200);
    assert.equal(list.body.data.length, 1);
    assert.ok(list.body.data[0].last_used_at, 'last use shown (coalesced writes are flushed for this screen)');
    assert.ok(!JSON.stringify(list.body).includes(plaintext.slice(8)), 'no plaintext in the list');
    assert.ok(!('digest' in list.body.data[0]));
  });

  test('revoke is effective at once: the next API call is 401 invalid_api_key', async () => {
    const owner = await signUp(ctx.app);
    const { body } = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/keys', payload: { label: 'Till', scope: 'read' } });
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/locations', key: body.plaintext })).status, 200);
    const revoked = await hub(ctx.app, owner, { method: 'DELETE', url: `/hub/api/keys/${body.key.id}` });
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revoked_at);
    const after = await call(ctx.app, { method: 'GET', url: '/v1/locations', key: body.plaintext });
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, 'invalid_api_key');
    const again = await hub(ctx.app, owner, { method: 'DELETE', url: `/hub/api/keys/${body.key.id}` });
    assert.equal(again.status, 200, 'revoking twice is harmless');
    assert.equal(again.body.revoked_at, revoked.body.revoked_at);
  });

  test('bad input names the field and creates nothing', async () => {
    const owner = await signUp(ctx.app);
    for (const [payload, code, param] of [
      [{ label: '', scope: 'read' }, 'parameter_invalid', 'label'],
      [{ label: 'x'.repeat(101), scope: 'read' }, 'parameter_invalid', 'label'],
      [{ label: 'ok', scope: 'admin' }, 'parameter_invalid', 'scope'],
      [{ scope: 'read' }, 'parameter_missing', 'label'],
      [{ label: 'ok', scope: 'read', prefix: 'x' }, 'parameter_unknown', 'prefix'],
    ] as const) {
      const res = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/keys', payload });
      assert.equal(res.status, 400, JSON.stringify(payload));
      assert.equal(res.body.error.code, code);
      assert.equal(res.body.error.param, param);
    }
    assert.equal(await countRows(ctx.database, 'api_keys', owner.orgId), 0);
  });

  test('staff: 403 forbidden on every key endpoint; admins may', async () => {
    const owner = await signUp(ctx.app);
    const { body } = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/keys', payload: { label: 'Till', scope: 'read' } });
    const staff = await memberOf(ctx.app, ctx.database, owner, 'staff');
    for (const req of [
      { url: '/hub/api/keys' },
      { method: 'POST' as const, url: '/hub/api/keys', payload: { label: 'mine', scope: 'read_write' } },
      { method: 'DELETE' as const, url: `/hub/api/keys/${body.key.id}` },
    ]) {
      const res = await hub(ctx.app, staff, req);
      assert.equal(res.status, 403, `${req.method ?? 'GET'} ${req.url}`);
      assert.equal(res.body.error.code, 'forbidden');
    }
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/locations', key: body.plaintext })).status, 200, 'not revoked');
    assert.equal(await countRows(ctx.database, 'api_keys', owner.orgId), 1);
    const admin = await memberOf(ctx.app, ctx.database, owner, 'admin');
    assert.equal((await hub(ctx.app, admin, { url: '/hub/api/keys' })).status, 200);
  });

  test('another org\'s key id is a 404 and stays valid', async () => {
    const mine = await signUp(ctx.app);
    const theirs = await signUp(ctx.app);
    const { body } = await hub(ctx.app, theirs, { method: 'POST', url: '/hub/api/keys', payload: { label: 'Theirs', scope: 'read' } });
    const res = await hub(ctx.app, mine, { method: 'DELETE', url: `/hub/api/keys/${body.key.id}` });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'resource_not_found');
    assert.equal((await call(ctx.app, { method: 'GET', url: '/v1/locations', key: body.plaintext })).status, 200);
    assert.equal((await hub(ctx.app, mine, { url: '/hub/api/keys' })).body.data.length, 0);
  });
});
