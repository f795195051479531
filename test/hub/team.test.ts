import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { startTestApp, type TestContext } from '../helpers/app.js';
import { randomString } from '../../src/lib/ids.js';
import { PASSWORD, cookieFrom, countRows, hub, memberOf, signIn, signUp, type HubSession } from './hub-helpers.js';

const freshEmail = () => `new-${randomString(8).toLowerCase()}@example.com`;
const tokenOf = (path: string) => path.split('/').pop()!;

forEachEngine('hub team and roles', (engine) => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp(engine); });
  after(() => ctx.close());

  const invite = async (by: HubSession, role: string, email?: string) => {
    const res = await hub(ctx.app, by, { method: 'POST', url: '/hub/api/team/invitations', payload: { role, ...(email ? { email } : {}) } });
    assert.equal(res.status, 201, res.raw);
    return res.body;
  };

  test('the team: members with roles, and pending invitations; the invitation token is shown once and stored as a digest', async () => {
    const owner = await signUp(ctx.app);
    const created = await invite(owner, 'admin');
    assert.match(created.path, /^\/invite\/[A-Za-z0-9_-]{43}$/);
    assert.equal(created.url, `http://localhost:80${created.path}`);
    assert.equal(created.invitation.role, 'admin');
    const team = await hub(ctx.app, owner, { url: '/hub/api/team' });
    assert.equal(team.status, 200);
    assert.deepEqual(team.body.members.map((m: any) => [m.role, m.you]), [['owner', true]]);
    assert.deepEqual(team.body.invitations.map((i: any) => i.id), [created.invitation.id]);
    assert.ok(!JSON.stringify(team.body).includes(tokenOf(created.path)));
    const stored = await ctx.database.db.selectFrom('hub_invitations').selectAll().where('id', '=', created.invitation.id).execute();
    assert.ok(!JSON.stringify(stored).includes(tokenOf(created.path)));
  });

  test('accepting as a new person: the preview, then an account, membership and a session; the link is single-use', async () => {
    const owner = await signUp(ctx.app);
    const { path } = await invite(owner, 'staff');
    const token = tokenOf(path);
    const preview = await hub(ctx.app, undefined, { url: `/hub/api/invitations/${token}` });
    assert.equal(preview.status, 200);
    assert.equal(preview.body.role, 'staff');
    assert.ok(preview.body.org.name.startsWith('Shop'));
    const missing = await hub(ctx.app, undefined, { method: 'POST', url: `/hub/api/invitations/${token}/accept`, payload: { name: 'Sam' } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'parameter_missing');
    assert.equal(missing.body.error.param, 'email');
    const email = freshEmail();
    const accepted = await hub(ctx.app, undefined, { method: 'POST', url: `/hub/api/invitations/${token}/accept`, payload: { name: 'Sam Staff', email, password: PASSWORD } });
    assert.equal(accepted.status, 200, accepted.raw);
    assert.equal(accepted.body.role, 'staff');
    assert.equal(accepted.body.org.id, owner.orgId);
    const cookie = cookieFrom(accepted.headers['set-cookie'] as string);
    assert.equal((await hub(ctx.app, { cookie, csrf: accepted.body.csrf_token, userId: '', orgId: '', email }, { url: '/hub/api/session' })).body.user.email, email);
    const again = await hub(ctx.app, undefined, { method: 'POST', url: `/hub/api/invitations/${token}/accept`, payload: { name: 'X', email: freshEmail(), password: PASSWORD } });
    assert.equal(again.status, 404);
    assert.equal((await hub(ctx.app, undefined, { url: `/hub/api/invitations/${token}` })).status, 404);
  });

  test('accepting while signed in attaches the existing user and switches the session to that org; an existing email must sign in first', async () => {
    const owner = await signUp(ctx.app, 'Inviting Shop');
    const elsewhere = await signUp(ctx.app, 'Own Shop');
    const { path } = await invite(owner, 'admin');
    const token = tokenOf(path);
    const signedOut = await hub(ctx.app, undefined, { method: 'POST', url: `/hub/api/invitations/${token}/accept`, payload: { name: 'X', email: elsewhere.email, password: PASSWORD } });
    assert.equal(signedOut.status, 409);
    assert.equal(signedOut.body.error.param, 'email');
    const noCsrf = await hub(ctx.app, elsewhere, { method: 'POST', url: `/hub/api/invitations/${token}/accept`, payload: {}, csrf: null });
    assert.equal(noCsrf.status, 403);
    const accepted = await hub(ctx.app, elsewhere, { method: 'POST', url: `/hub/api/invitations/${token}/accept`, payload: {} });
    assert.equal(accepted.status, 200, accepted.raw);
    assert.equal(accepted.body.org.name, 'Inviting Shop');
    assert.equal(accepted.body.role, 'admin');
    assert.deepEqual(accepted.body.orgs.map((o: any) => o.name).sort(), ['Inviting Shop', 'Own Shop']);
    assert.equal((await hub(ctx.app, elsewhere, { url: '/hub/api/team' })).body.members.length, 2);
  });

  test('an invitation for a given email only works for it; revoked and expired links are dead', async () => {
    const owner = await signUp(ctx.app);
    const email = freshEmail();
    const named = await invite(owner, 'staff', email.toUpperCase());
    assert.equal(named.invitation.email, email);
    const wrong = await hub(ctx.app, undefined, { method: 'POST', url: `/hub/api/invitations/${tokenOf(named.path)}/accept`, payload: { name: 'X', email: freshEmail(), password: PASSWORD } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.param, 'email');

    const revoked = await invite(owner, 'staff');
    const del = await hub(ctx.app, owner, { method: 'DELETE', url: `/hub/api/team/invitations/${revoked.invitation.id}` });
    assert.equal(del.status, 200);
    assert.ok(del.body.revoked_at);
    assert.equal((await hub(ctx.app, undefined, { url: `/hub/api/invitations/${tokenOf(revoked.path)}` })).status, 404);

    const old = await invite(owner, 'staff');
    await ctx.database.db.updateTable('hub_invitations').set({ expires_at: Date.now() - 1 }).where('id', '=', old.invitation.id).execute();
    assert.equal((await hub(ctx.app, undefined, { url: `/hub/api/invitations/${tokenOf(old.path)}` })).status, 404);
    assert.equal((await hub(ctx.app, undefined, { url: '/hub/api/invitations/not-a-token' })).status, 404);
  });

  test('roles: owners and admins manage the team; only an owner grants or removes the owner role', async () => {
    const owner = await signUp(ctx.app);
    const admin = await memberOf(ctx.app, ctx.database, owner, 'admin');
    const staff = await memberOf(ctx.app, ctx.database, owner, 'staff');
    const promote = await hub(ctx.app, admin, { method: 'PATCH', url: `/hub/api/team/members/${staff.userId}`, payload: { role: 'admin' } });
    assert.equal(promote.status, 200);
    assert.equal(promote.body.members.find((m: any) => m.user_id === staff.userId).role, 'admin');
    const toOwner = await hub(ctx.app, admin, { method: 'PATCH', url: `/hub/api/team/members/${staff.userId}`, payload: { role: 'owner' } });
    assert.equal(toOwner.status, 403);
    assert.equal(toOwner.body.error.code, 'forbidden');
    const demoteOwner = await hub(ctx.app, admin, { method: 'PATCH', url: `/hub/api/team/members/${owner.userId}`, payload: { role: 'staff' } });
    assert.equal(demoteOwner.status, 403);
    const ownerInvite = await hub(ctx.app, admin, { method: 'POST', url: '/hub/api/team/invitations', payload: { role: 'owner' } });
    assert.equal(ownerInvite.status, 403);
    const back = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/team/members/${staff.userId}`, payload: { role: 'staff' } });
    assert.equal(back.status, 200);
    const bad = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/team/members/${staff.userId}`, payload: { role: 'boss' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.param, 'role');
  });

  test('an org always keeps an owner: the last one can be neither demoted nor removed', async () => {
    const owner = await signUp(ctx.app);
    for (const req of [
      { method: 'PATCH' as const, url: `/hub/api/team/members/${owner.userId}`, payload: { role: 'admin' } },
      { method: 'DELETE' as const, url: `/hub/api/team/members/${owner.userId}` },
    ]) {
      const res = await hub(ctx.app, owner, req);
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'resource_conflict');
    }
    const second = await memberOf(ctx.app, ctx.database, owner, 'owner');
    const demote = await hub(ctx.app, second, { method: 'PATCH', url: `/hub/api/team/members/${owner.userId}`, payload: { role: 'admin' } });
    assert.equal(demote.status, 200);
    const last = await hub(ctx.app, second, { method: 'PATCH', url: `/hub/api/team/members/${second.userId}`, payload: { role: 'staff' } });
    assert.equal(last.status, 409);
  });

  test('two owners demoting each other at once: one wins, one owner remains', async () => {
    const a = await signUp(ctx.app);
    const b = await memberOf(ctx.app, ctx.database, a, 'owner');
    const results = await Promise.all([
      hub(ctx.app, a, { method: 'PATCH', url: `/hub/api/team/members/${b.userId}`, payload: { role: 'admin' } }),
      hub(ctx.app, b, { method: 'PATCH', url: `/hub/api/team/members/${a.userId}`, payload: { role: 'admin' } }),
    ]);
    const owners = await ctx.database.db.selectFrom('memberships').select('user_id').where('org_id', '=', a.orgId).where('role', '=', 'owner').execute();
    assert.equal(owners.length, 1, `statuses ${results.map((r) => r.status)}`);
  });

  test('removing a member ends their sessions in that org at once', async () => {
    const owner = await signUp(ctx.app);
    const staff = await memberOf(ctx.app, ctx.database, owner, 'staff');
    assert.equal((await hub(ctx.app, staff, { url: '/hub/api/session' })).status, 200);
    const res = await hub(ctx.app, owner, { method: 'DELETE', url: `/hub/api/team/members/${staff.userId}` });
    assert.equal(res.status, 200);
    assert.equal(res.body.members.length, 1);
    assert.equal((await hub(ctx.app, staff, { url: '/hub/api/session' })).status, 401);
    await assert.rejects(signIn(ctx.app, staff.email), 'no org left to sign in to');
  });

  test('staff get 403 on every team endpoint; nothing changes', async () => {
    const owner = await signUp(ctx.app);
    const staff = await memberOf(ctx.app, ctx.database, owner, 'staff');
    const { invitation } = await invite(owner, 'staff');
    const before = await countRows(ctx.database, 'hub_invitations', owner.orgId);
    for (const req of [
      { url: '/hub/api/team' },
      { method: 'POST' as const, url: '/hub/api/team/invitations', payload: { role: 'admin' } },
      { method: 'DELETE' as const, url: `/hub/api/team/invitations/${invitation.id}` },
      { method: 'PATCH' as const, url: `/hub/api/team/members/${staff.userId}`, payload: { role: 'owner' } },
      { method: 'DELETE' as const, url: `/hub/api/team/members/${owner.userId}` },
    ]) {
      const res = await hub(ctx.app, staff, req);
      assert.equal(res.status, 403, req.url);
      assert.equal(res.body.error.code, 'forbidden');
    }
    assert.equal(await countRows(ctx.database, 'hub_invitations', owner.orgId), before);
    assert.equal((await hub(ctx.app, owner, { url: '/hub/api/team' })).body.members.find((m: any) => m.user_id === staff.userId).role, 'staff');
  });

  test('another org\'s members and invitations are 404s, like unknown ids', async () => {
    const mine = await signUp(ctx.app);
    const theirs = await signUp(ctx.app);
    const { invitation } = await invite(theirs, 'staff');
    for (const req of [
      { method: 'PATCH' as const, url: `/hub/api/team/members/${theirs.userId}`, payload: { role: 'admin' } },
      { method: 'DELETE' as const, url: `/hub/api/team/members/${theirs.userId}` },
      { method: 'DELETE' as const, url: `/hub/api/team/invitations/${invitation.id}` },
      { method: 'DELETE' as const, url: '/hub/api/team/invitations/inv_nosuchinvitation' },
    ]) {
      const res = await hub(ctx.app, mine, req);
      assert.equal(res.status, 404, req.url);
      assert.equal(res.body.error.code, 'resource_not_found');
    }
    assert.equal((await hub(ctx.app, theirs, { url: '/hub/api/team' })).body.invitations.length, 1);
  });
});
