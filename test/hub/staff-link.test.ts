import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { startTestApp, type TestContext } from '../helpers/app.js';
import { hub, memberOf, setUpShop, signUp } from './hub-helpers.js';

/** "My day": a member's Hub login linked to their own staff record (migration 2026-11-30-03-hub-staff-link). */
forEachEngine('hub staff links', (engine) => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp(engine); });
  after(() => ctx.close());

  const link = (by: Parameters<typeof hub>[1], userId: string, payload: unknown) => hub(ctx.app, by, { method: 'PATCH', url: `/hub/api/team/members/${userId}`, payload });
  const links = async (orgId: string) => (await ctx.database.db.selectFrom('hub_staff_links').select(['user_id', 'staff_id']).where('org_id', '=', orgId).execute());

  test('an owner links a member to a staff record: the team shows it, the member\'s session carries it; null unlinks', async () => {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const barber = await memberOf(ctx.app, ctx.database, owner, 'staff');
    const res = await link(owner, barber.userId, { staff_id: shop.staffId });
    assert.equal(res.status, 200, res.raw);
    const row = res.body.members.find((m: any) => m.user_id === barber.userId);
    assert.deepEqual([row.role, row.staff], ['staff', { id: shop.staffId, display_name: 'Alex' }]);
    const session = await hub(ctx.app, barber, { url: '/hub/api/session' });
    assert.deepEqual(session.body.staff, { id: shop.staffId, display_name: 'Alex' });
    assert.equal((await hub(ctx.app, owner, { url: '/hub/api/session' })).body.staff, null);

    const both = await link(owner, barber.userId, { role: 'admin', staff_id: null });
    assert.equal(both.status, 200, both.raw);
    assert.deepEqual(both.body.members.find((m: any) => m.user_id === barber.userId).role, 'admin');
    assert.deepEqual(await links(owner.orgId), []);
    assert.equal((await hub(ctx.app, barber, { url: '/hub/api/session' })).body.staff, null);
  });

  test('one member per staff record; removing the member removes the link', async () => {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const a = await memberOf(ctx.app, ctx.database, owner, 'staff');
    const b = await memberOf(ctx.app, ctx.database, owner, 'staff');
    assert.equal((await link(owner, a.userId, { staff_id: shop.staffId })).status, 200);
    const clash = await link(owner, b.userId, { staff_id: shop.staffId });
    assert.equal(clash.status, 409, clash.raw);
    assert.deepEqual([clash.body.error.code, clash.body.error.param], ['resource_conflict', 'staff_id']);
    assert.match(clash.body.error.message, /already linked to staff person/);
    assert.equal((await link(owner, a.userId, { staff_id: shop.staffId })).status, 200, 'linking again to the same member is fine');
    assert.equal((await hub(ctx.app, owner, { method: 'DELETE', url: `/hub/api/team/members/${a.userId}` })).status, 200);
    assert.deepEqual(await links(owner.orgId), []);
    assert.equal((await link(owner, b.userId, { staff_id: shop.staffId })).status, 200, 'free again');
  });

  test('bad input names the field and changes nothing; another org\'s staff or member is 404; staff cannot link', async () => {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const other = await signUp(ctx.app);
    const otherShop = await setUpShop(ctx.app, other);
    const otherMember = await memberOf(ctx.app, ctx.database, other, 'staff');
    const barber = await memberOf(ctx.app, ctx.database, owner, 'staff');
    const cases: [unknown, number, string, string | undefined][] = [
      [{}, 400, 'parameter_invalid', 'role'],
      [{ staff_id: 42 }, 400, 'parameter_invalid', 'staff_id'],
      [{ staff_id: '' }, 400, 'parameter_invalid', 'staff_id'],
      [{ staff_id: shop.staffId, colour: 'red' }, 400, 'parameter_unknown', 'colour'],
      [{ staff_id: otherShop.staffId }, 404, 'resource_not_found', 'staff_id'],
    ];
    for (const [payload, status, code, param] of cases) {
      const res = await link(owner, barber.userId, payload);
      assert.equal(res.status, status, `${JSON.stringify(payload)}: ${res.raw}`);
      assert.deepEqual([res.body.error.code, res.body.error.param], [code, param], JSON.stringify(payload));
    }
    const foreignMember = await link(owner, otherMember.userId, { staff_id: shop.staffId });
    assert.equal(foreignMember.status, 404);
    const byStaff = await link(barber, barber.userId, { staff_id: shop.staffId });
    assert.equal(byStaff.status, 403);
    assert.deepEqual(await links(owner.orgId), []);
    assert.deepEqual(await links(other.orgId), []);
  });
});
