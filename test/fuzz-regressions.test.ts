import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { listen } from './helpers/http.js';
import { snapshot } from './helpers/snapshot.js';
import { sendRaw, type WireResponse } from './helpers/wire.js';
import { envelopeProblem } from './helpers/fuzz.js';
import { addUserToOrg } from '../src/modules/orgs/members.service.js';

/**
 * Findings of the fuzz suite (test/fuzz.test.ts) outside the issue's own list, each kept as the plain request
 * that found it, over a real socket, on both engines.
 */

forEachEngine('fuzz regressions', (engine) => {
  let ctx: TestContext;
  let port: number;
  let org: SeededOrg;
  let shop: TestShop;
  let hubHeaders: [string, string][];
  before(async () => {
    ctx = await startTestApp(engine);
    port = Number(new URL(await listen(ctx.app)).port);
    org = await seedOrg(ctx.database);
    shop = await seedShop(ctx.database, org.orgId, Date.now());
    const email = `regress-${engine}@example.com`;
    await addUserToOrg(ctx.database, org.orgId, { email, role: 'owner', password: 'correct horse battery', name: 'Owner' });
    const origin = `http://127.0.0.1:${port}`;
    const signin = await sendRaw(port, { method: 'POST', target: '/hub/api/signin', headers: [['Origin', origin], ['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify({ email, password: 'correct horse battery' })) });
    assert.equal(signin.status, 200, signin.text);
    hubHeaders = [['Cookie', signin.headers['set-cookie']!.split(';')[0]!], ['Origin', origin], ['X-CSRF-Token', JSON.parse(signin.text).csrf_token]];
  });
  after(() => ctx.close());

  const auth = (): [string, string][] => [['Authorization', `Bearer ${org.writeKey}`]];
  const refused = (res: WireResponse, code: string) => {
    assert.equal(envelopeProblem(res), undefined, res.text);
    assert.equal(JSON.parse(res.text).error.code, code, res.text);
  };

  test('a query value or name that is not valid percent-encoded UTF-8 is 400 parameter_invalid, on every route (it was taken as literal text: 200)', async () => {
    for (const target of ['/v1/clients?q=%C3%28', `/v1/clients/${shop.client.id}?id=%FF`, '/v1/locations?%FF=1', '/v1/services?location=%', '/v1/staff?service=%G1']) {
      const res = await sendRaw(port, { method: 'GET', target, headers: auth() });
      assert.equal(res.status, 400, `${target}: ${res.text}`);
      refused(res, 'parameter_invalid');
    }
    const hub = await sendRaw(port, { method: 'GET', target: '/hub/api/clients?q=%C3%28', headers: hubHeaders });
    assert.equal(hub.status, 400, hub.text);
    refused(hub, 'parameter_invalid');
    const before = await snapshot(ctx.database, org.orgId);
    const post = await sendRaw(port, { method: 'POST', target: '/v1/clients?x=%ED%A0%80', headers: [...auth(), ['Content-Type', 'application/json']], body: Buffer.from('{"first_name":"Query"}') });
    assert.equal(post.status, 400, post.text);
    assert.equal(await snapshot(ctx.database, org.orgId), before, 'nothing stored');
    // Well-formed encoding still works, `+` as a space included.
    const ok = await sendRaw(port, { method: 'GET', target: '/v1/clients?q=Jo+B%C3%A9', headers: auth() });
    assert.equal(ok.status, 200, ok.text);
  });

  test('an Expect header other than 100-continue is ignored, not a bare 417 outside the envelope', async () => {
    const got = await sendRaw(port, { method: 'GET', target: `/v1/locations/${shop.location.slug}`, headers: [...auth(), ['Expect', 'the-unexpected']] });
    assert.equal(got.status, 200, got.text);
    assert.equal(JSON.parse(got.text).slug, shop.location.slug);
    const refusedRes = await sendRaw(port, { method: 'GET', target: '/v1/locations/nowhere', headers: [...auth(), ['Expect', 'the-unexpected']] });
    assert.equal(refusedRes.status, 404, refusedRes.text);
    refused(refusedRes, 'resource_not_found');
    const created = await sendRaw(port, { method: 'POST', target: '/v1/clients', headers: [...auth(), ['Content-Type', 'application/json'], ['Expect', 'x-anything']], body: Buffer.from('{"first_name":"Expecting"}') });
    assert.equal(created.status, 201, created.text);
  });
});
