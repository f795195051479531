import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { startTestApp, type TestContext } from '../helpers/app.js';
import { addUserToOrg } from '../../src/modules/orgs/members.service.js';
import { createOrgWithOwner } from '../../src/modules/orgs/orgs.service.js';
import { randomString } from '../../src/lib/ids.js';
import { ORIGIN, PASSWORD, cookieFrom, hub, signIn, signUp } from './hub-helpers.js';

const DAY = 86_400_000;
const freshEmail = () => `person-${randomString(8).toLowerCase()}@example.com`;
const withoutRequestId = (body: any) => ({ error: { ...body.error, request_id: undefined } });

forEachEngine('hub accounts', (engine) => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp(engine, {}, { now: Date.parse('2026-12-07T08:00:00Z') }); });
  after(() => ctx.close());

  test('sign up creates the org and its owner and signs in: HttpOnly, SameSite=Lax session cookie; only a digest stored', async () => {
    const email = freshEmail();
    const res = await hub(ctx.app, undefined, { method: 'POST', url: '/hub/api/signup', payload: { shop_name: 'Kut & Co', name: 'Ana Owner', email, password: PASSWORD } });
    assert.equal(res.status, 201);
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /^setora_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=1209600; HttpOnly; SameSite=Lax$/);
    assert.equal(res.body.user.email, email);
    assert.equal(res.body.org.name, 'Kut & Co');
    assert.equal(res.body.role, 'owner');
    assert.deepEqual(res.body.orgs.map((o: any) => o.role), ['owner']);
    assert.match(res.body.csrf_token, /^[A-Za-z0-9_-]{43}$/);
    const token = cookieFrom(cookie).split('=')[1]!;
    const rows = await ctx.database.db.selectFrom('hub_sessions').selectAll().where('user_id', '=', res.body.user.id).execute();
    assert.equal(rows.length, 1);
    assert.ok(!JSON.stringify(rows).includes(token), 'the token itself is not stored');
    assert.ok(!JSON.stringify(rows).includes(res.body.csrf_token), 'nor the CSRF token');
    const me = await hub(ctx.app, { cookie: cookieFrom(cookie), csrf: '', userId: '', orgId: '', email }, { url: '/hub/api/session' });
    assert.equal(me.status, 200);
    assert.equal(me.body.csrf_token, res.body.csrf_token);
  });

  test('sign up refuses bad input with the field named, and creates nothing', async () => {
    const before = (await ctx.database.db.selectFrom('organisations').select('id').execute()).length;
    const good = { shop_name: 'Shop', name: 'Ana', email: freshEmail(), password: PASSWORD };
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ ...good, email: 'not-an-email' }, 400, 'parameter_invalid', 'email'],
      [{ ...good, password: 'short' }, 400, 'parameter_invalid', 'password'],
      [{ ...good, shop_name: undefined }, 400, 'parameter_missing', 'shop_name'],
      [{ ...good, role: 'owner' }, 400, 'parameter_unknown', 'role'],
    ];
    for (const [payload, status, code, param] of cases) {
      const res = await hub(ctx.app, undefined, { method: 'POST', url: '/hub/api/signup', payload });
      assert.equal(res.status, status, JSON.stringify(payload));
      assert.equal(res.body.error.code, code);
      assert.equal(res.body.error.param, param);
      assert.equal(res.headers['set-cookie'], undefined);
    }
    const taken = await signUp(ctx.app);
    const dup = await hub(ctx.app, undefined, { method: 'POST', url: '/hub/api/signup', payload: { ...good, email: taken.email.toUpperCase() } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'resource_conflict');
    assert.equal(dup.body.error.param, 'email');
    assert.equal((await ctx.database.db.selectFrom('organisations').select('id').execute()).length, before + 1);
  });

  test('over HTTPS (behind a trusted proxy) the cookie is Secure', async () => {
    const tls = await startTestApp(engine, { TRUST_PROXY: 'true' });
    try {
      const res = await hub(tls.app, undefined, {
        method: 'POST', url: '/hub/api/signup', origin: 'https://hub.example.com',
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hub.example.com' },
        payload: { shop_name: 'Secure Shop', name: 'Ana', email: freshEmail(), password: PASSWORD },
      });
      assert.equal(res.status, 201, res.raw);
      assert.match(String(res.headers['set-cookie']), /; HttpOnly; SameSite=Lax; Secure$/);
      assert.match(String(res.headers['strict-transport-security']), /max-age/);
    } finally {
      await tls.close();
    }
  });

  test('sign in: right password → new session; wrong password and unknown email → the same generic 401', async () => {
    const owner = await signUp(ctx.app);
    const ok = await hub(ctx.app, undefined, { method: 'POST', url: '/hub/api/signin', payload: { email: `  ${owner.email.toUpperCase()} `, password: PASSWORD } });
    assert.equal(ok.status, 200);
    assert.notEqual(cookieFrom(ok.headers['set-cookie'] as string), owner.cookie, 'a fresh token per sign-in');
    const wrong = await hub(ctx.app, undefined, { method: 'POST', url: '/hub/api/signin', payload: { email: owner.email, password: 'wrong password!' } });
    const unknown = await hub(ctx.app, undefined, { method: 'POST', url: '/hub/api/signin', payload: { email: freshEmail(), password: PASSWORD } });
    for (const res of [wrong, unknown]) {
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'not_authenticated');
      assert.equal(res.body.error.message, 'Email or password is incorrect.');
      assert.equal(res.headers['set-cookie'], undefined);
    }
    assert.deepEqual(withoutRequestId(wrong.body), withoutRequestId(unknown.body));
  });

  test('sign-in failures are limited per account: the 11th try waits, even with the right password; others are unaffected', async () => {
    const victim = await signUp(ctx.app);
    const bystander = await signUp(ctx.app);
    for (let i = 0; i < 10; i++) {
      const res = await hub(ctx.app, undefined, { method: 'POST', url: '/hub/api/signin', payload: { email: victim.email, password: `guess number ${i}` } });
      assert.equal(res.status, 401);
    }
    const locked = await hub(ctx.app, undefined, { method: 'POST', url: '/hub/api/signin', payload: { email: victim.email, password: PASSWORD } });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, 'rate_limited');
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.equal((await signIn(ctx.app, bystander.email)).email, bystander.email);
  });

  test('sign-in failures are limited per address across accounts', async () => {
    const app = await startTestApp(engine);
    try {
      const owner = await signUp(app.app);
      for (let i = 0; i < 50; i++) {
        const res = await hub(app.app, undefined, { method: 'POST', url: '/hub/api/signin', payload: { email: freshEmail(), password: 'nope nope nope' } });
        assert.equal(res.status, 401, `attempt ${i}`);
      }
      const res = await hub(app.app, undefined, { method: 'POST', url: '/hub/api/signin', payload: { email: owner.email, password: PASSWORD } });
      assert.equal(res.status, 429);
    } finally {
      await app.close();
    }
  });

  test('GET /session without a cookie, or with an unknown one, is 401 not_authenticated (and the bad cookie is cleared)', async () => {
    const none = await hub(ctx.app, undefined, { url: '/hub/api/session' });
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'not_authenticated');
    const bad = await hub(ctx.app, undefined, { url: '/hub/api/session', headers: { cookie: `setora_session=${'A'.repeat(43)}` } });
    assert.equal(bad.status, 401);
    assert.match(String(bad.headers['set-cookie']), /^setora_session=; Path=\/; Max-Age=0/);
  });

  test('sign out ends the session: cookie cleared, the old token refused', async () => {
    const owner = await signUp(ctx.app);
    const res = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/signout' });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['set-cookie']), /Max-Age=0/);
    assert.equal((await hub(ctx.app, owner, { url: '/hub/api/session' })).status, 401);
    assert.equal((await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/signout' })).status, 401);
  });

  test('change password: needs the current one; ends the other sessions, keeps this one', async () => {
    const owner = await signUp(ctx.app);
    const laptop = await signIn(ctx.app, owner.email);
    const wrong = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/password', payload: { current_password: 'not my password', new_password: 'a brand new secret' } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.param, 'current_password');
    const short = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/password', payload: { current_password: PASSWORD, new_password: 'short' } });
    assert.equal(short.status, 400);
    assert.equal(short.body.error.param, 'new_password');
    assert.equal((await hub(ctx.app, laptop, { url: '/hub/api/session' })).status, 200, 'nothing changed yet');
    const ok = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/password', payload: { current_password: PASSWORD, new_password: 'a brand new secret' } });
    assert.equal(ok.status, 200);
    assert.equal((await hub(ctx.app, owner, { url: '/hub/api/session' })).status, 200);
    assert.equal((await hub(ctx.app, laptop, { url: '/hub/api/session' })).status, 401);
    await assert.rejects(signIn(ctx.app, owner.email, PASSWORD));
    assert.equal((await signIn(ctx.app, owner.email, 'a brand new secret')).userId, owner.userId);
  });

  test('sessions slide: 14 days idle ends one, activity extends it, and 90 days is the most', async () => {
    const start = ctx.clock.now;
    try {
      const idle = await signUp(ctx.app);
      const busy = await signIn(ctx.app, idle.email);
      ctx.clock.now = start + 10 * DAY;
      const renewed = await hub(ctx.app, busy, { url: '/hub/api/session' });
      assert.equal(renewed.status, 200);
      assert.match(String(renewed.headers['set-cookie']), /Max-Age=1209600/, 'the cookie is renewed too');
      ctx.clock.now = start + 15 * DAY;
      assert.equal((await hub(ctx.app, idle, { url: '/hub/api/session' })).status, 401, 'idle for 15 days');
      assert.equal((await hub(ctx.app, busy, { url: '/hub/api/session' })).status, 200, 'used 5 days ago');
      for (let d = 25; d < 90; d += 10) {
        ctx.clock.now = start + d * DAY;
        assert.equal((await hub(ctx.app, busy, { url: '/hub/api/session' })).status, 200, `day ${d}`);
      }
      ctx.clock.now = start + 91 * DAY;
      assert.equal((await hub(ctx.app, busy, { url: '/hub/api/session' })).status, 401, 'past 90 days');
    } finally {
      ctx.clock.now = start;
    }
  });

  test('switching org: only to an org the user belongs to', async () => {
    const owner = await signUp(ctx.app, 'First Shop');
    const other = await createOrgWithOwner(ctx.database, { name: 'Second Shop', ownerEmail: freshEmail(), ownerPassword: PASSWORD });
    await addUserToOrg(ctx.database, other.org.id, { email: owner.email, role: 'staff' });
    const session = await hub(ctx.app, owner, { url: '/hub/api/session' });
    assert.deepEqual(session.body.orgs.map((o: any) => o.name).sort(), ['First Shop', 'Second Shop']);
    const switched = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/session/org', payload: { org_id: other.org.id } });
    assert.equal(switched.status, 200);
    assert.equal(switched.body.org.name, 'Second Shop');
    assert.equal(switched.body.role, 'staff');
    assert.equal((await hub(ctx.app, owner, { url: '/hub/api/session' })).body.org.id, other.org.id);
    assert.equal((await hub(ctx.app, owner, { url: '/hub/api/team' })).status, 403, 'staff in the second org');
    const stranger = await signUp(ctx.app);
    const refused = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/session/org', payload: { org_id: stranger.orgId } });
    assert.equal(refused.status, 404);
    assert.equal(refused.body.error.code, 'resource_not_found');
  });

  test('CSRF: a state-changing request needs this session\'s token and our Origin', async () => {
    const owner = await signUp(ctx.app);
    const other = await signUp(ctx.app);
    const attempts: [string, Parameters<typeof hub>[2]][] = [
      ['no token', { method: 'POST', url: '/hub/api/signout', csrf: null }],
      ['wrong token', { method: 'POST', url: '/hub/api/signout', csrf: 'x'.repeat(43) }],
      ['another session\'s token', { method: 'POST', url: '/hub/api/signout', csrf: other.csrf }],
      ['foreign Origin', { method: 'POST', url: '/hub/api/signout', origin: 'https://evil.example' }],
      ['no Origin', { method: 'POST', url: '/hub/api/signout', origin: null }],
      ['Origin null', { method: 'POST', url: '/hub/api/signout', origin: 'null' }],
      ['look-alike Origin', { method: 'POST', url: '/hub/api/signout', origin: `${ORIGIN}.evil.example` }],
    ];
    for (const [what, req] of attempts) {
      const res = await hub(ctx.app, owner, req);
      assert.equal(res.status, 403, what);
      assert.equal(res.body.error.code, 'csrf_failed', what);
    }
    assert.equal((await hub(ctx.app, owner, { url: '/hub/api/session' })).status, 200, 'still signed in');
    const signin = await hub(ctx.app, undefined, { method: 'POST', url: '/hub/api/signin', origin: 'https://evil.example', payload: { email: owner.email, password: PASSWORD } });
    assert.equal(signin.status, 403, 'login CSRF: sign-in from another site');
    assert.equal(signin.body.error.code, 'csrf_failed');
  });

  test('PUBLIC_URL is also an accepted Origin (a proxy that rewrites Host)', async () => {
    const app = await startTestApp(engine, { PUBLIC_URL: 'https://hub.setora.example' });
    try {
      const res = await hub(app.app, undefined, { method: 'POST', url: '/hub/api/signin', origin: 'https://hub.setora.example', payload: { email: freshEmail(), password: PASSWORD } });
      assert.equal(res.status, 401, 'got past the Origin check');
    } finally {
      await app.close();
    }
  });
});
