import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { startTestApp, type TestContext } from '../helpers/app.js';
import { MONDAY_8AM, hub, memberOf, setUpShop, signUp, type HubSession, type HubShop } from './hub-helpers.js';

/** Bookings left behind by a closure, a day off or an erasure (issue 12.2), and cancelling them with a reason. */
forEachEngine('hub affected bookings', (engine) => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp(engine, {}, { now: MONDAY_8AM }); });
  after(() => ctx.close());

  const book = async (session: HubSession, shop: HubShop, startsAt: string, client: unknown = { first_name: 'Jo' }) => {
    const res = await hub(ctx.app, session, { method: 'POST', url: '/hub/api/bookings', payload: { location: shop.slug, service: shop.serviceId, staff: shop.staffId, starts_at: startsAt, client } });
    assert.equal(res.status, 201, res.raw);
    return res.body.reference as string;
  };
  const refs = (res: { body: any }) => res.body.data.map((b: any) => b.reference);
  const snapshot = async (orgId: string) => (await ctx.database.db.selectFrom('bookings').selectAll().where('org_id', '=', orgId).orderBy('id').execute());

  /** Tue 10:00 and 15:00, Wed 11:00, Thu 10:00 (London = UTC in December); a cancelled one on Tuesday. */
  async function week() {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const tue10 = await book(owner, shop, '2026-12-08T10:00:00Z');
    const tue15 = await book(owner, shop, '2026-12-08T15:00:00Z', { first_name: 'Kim', email: 'kim@example.com' });
    const wed11 = await book(owner, shop, '2026-12-09T11:00:00Z');
    const thu10 = await book(owner, shop, '2026-12-10T10:00:00Z', { first_name: 'Kim', email: 'kim@example.com' });
    const gone = await book(owner, shop, '2026-12-08T12:00:00Z');
    assert.equal((await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/bookings/${gone}/cancel`, payload: {} })).status, 200);
    return { owner, shop, tue10, tue15, wed11, thu10, gone };
  }

  test('a closure\'s days: the location\'s confirmed bookings on them, in order; part of a day for time off; a client\'s future ones', async () => {
    const w = await week();
    const closure = await hub(ctx.app, w.owner, { url: `/hub/api/affected-bookings?location=${w.shop.locationId}&from=2026-12-08&to=2026-12-09` });
    assert.equal(closure.status, 200, closure.raw);
    assert.deepEqual(refs(closure), [w.tue10, w.tue15, w.wed11]);
    assert.equal(closure.body.has_more, false);
    const afternoon = await hub(ctx.app, w.owner, { url: `/hub/api/affected-bookings?staff=${w.shop.staffId}&from=2026-12-08&to=2026-12-08&starts=14:00&ends=18:00` });
    assert.deepEqual(refs(afternoon), [w.tue15]);
    const touching = await hub(ctx.app, w.owner, { url: `/hub/api/affected-bookings?staff=${w.shop.staffId}&from=2026-12-08&to=2026-12-08&starts=10:30&ends=11:00` });
    assert.deepEqual(refs(touching), [], 'the 10:00 booking ends at 10:30: its clean-up time is not the client\'s');
    const kim = (await hub(ctx.app, w.owner, { url: `/hub/api/bookings/${w.tue15}` })).body.client.id;
    const client = await hub(ctx.app, w.owner, { url: `/hub/api/affected-bookings?client=${kim}` });
    assert.deepEqual(refs(client), [w.tue15, w.thu10]);
  });

  test('cancelled with one reason through the booking core: each booking once, its event written; the rest reported', async () => {
    const w = await week();
    const eventsBefore = await ctx.database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', w.owner.orgId).where('type', '=', 'booking.cancelled').executeTakeFirstOrThrow();
    const res = await hub(ctx.app, w.owner, { method: 'POST', url: '/hub/api/affected-bookings/cancel', payload: { references: [w.tue10, w.tue15, w.wed11, w.gone, 'ZZZZ-ZZZZ', w.tue10], reason: 'Closed for a refit' } });
    assert.equal(res.status, 200, res.raw);
    assert.deepEqual(res.body.cancelled.map((b: any) => [b.reference, b.status, b.cancellation_reason, b.cancelled_via]), [
      [w.tue10, 'cancelled', 'Closed for a refit', 'hub'], [w.tue15, 'cancelled', 'Closed for a refit', 'hub'], [w.wed11, 'cancelled', 'Closed for a refit', 'hub'],
    ]);
    assert.deepEqual(res.body.refused.map((r: any) => [r.reference, r.error.code]), [[w.gone, 'booking_not_modifiable'], ['ZZZZ-ZZZZ', 'resource_not_found']]);
    const eventsAfter = await ctx.database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', w.owner.orgId).where('type', '=', 'booking.cancelled').executeTakeFirstOrThrow();
    assert.equal(Number(eventsAfter.n) - Number(eventsBefore.n), 3);
    const left = await hub(ctx.app, w.owner, { url: `/hub/api/affected-bookings?location=${w.shop.locationId}&from=2026-12-08&to=2026-12-09` });
    assert.deepEqual(refs(left), []);
  });

  test('bad input names the field and changes nothing; another org\'s ids are 404 or refused; staff may use it', async () => {
    const w = await week();
    const other = await week();
    const before = await snapshot(w.owner.orgId);
    const otherBefore = await snapshot(other.owner.orgId);
    const base = `/hub/api/affected-bookings?location=${w.shop.locationId}`;
    const reads: [string, number, string, string][] = [
      [`${base}&from=2026-12-08`, 400, 'parameter_invalid', 'to'],
      [`${base}&from=2026-12-09&to=2026-12-08`, 400, 'parameter_invalid', 'to'],
      [`${base}&from=2026-12-08&to=2026-12-08&starts=14:00&ends=13:00`, 400, 'parameter_invalid', 'ends'],
      [`${base}&from=2026-02-30&to=2026-03-01`, 400, 'parameter_invalid', 'from'],
      [`${base}&starts=14:00&ends=15:00`, 400, 'parameter_invalid', 'from'],
      [`${base}&colour=red`, 400, 'parameter_unknown', 'colour'],
      ['/hub/api/affected-bookings', 400, 'parameter_missing', 'location'],
      [`/hub/api/affected-bookings?location=${other.shop.locationId}`, 404, 'resource_not_found', 'location'],
      [`/hub/api/affected-bookings?staff=${other.shop.staffId}`, 404, 'resource_not_found', 'staff'],
    ];
    for (const [url, status, code, param] of reads) {
      const res = await hub(ctx.app, w.owner, { url });
      assert.equal(res.status, status, `${url}: ${res.raw}`);
      assert.deepEqual([res.body.error.code, res.body.error.param], [code, param], url);
    }
    const writes: [unknown, string, string][] = [
      [{ references: [w.tue10] }, 'parameter_missing', 'reason'],
      [{ references: [w.tue10], reason: '   ' }, 'parameter_invalid', 'reason'],
      [{ references: [], reason: 'x' }, 'parameter_invalid', 'references'],
      [{ references: [w.tue10], reason: 'x', notify: true }, 'parameter_unknown', 'notify'],
      [{ references: 'all', reason: 'x' }, 'parameter_invalid', 'references'],
    ];
    for (const [payload, code, param] of writes) {
      const res = await hub(ctx.app, w.owner, { method: 'POST', url: '/hub/api/affected-bookings/cancel', payload });
      assert.equal(res.status, 400, res.raw);
      assert.deepEqual([res.body.error.code, res.body.error.param], [code, param], JSON.stringify(payload));
    }
    const foreign = await hub(ctx.app, w.owner, { method: 'POST', url: '/hub/api/affected-bookings/cancel', payload: { references: [other.tue10], reason: 'x' } });
    assert.deepEqual(foreign.body.refused.map((r: any) => r.error.code), ['resource_not_found']);
    assert.deepEqual(await snapshot(w.owner.orgId), before);
    assert.deepEqual(await snapshot(other.owner.orgId), otherBefore, 'another org\'s booking untouched');

    const staff = await memberOf(ctx.app, ctx.database, w.owner, 'staff');
    const seen = await hub(ctx.app, staff, { url: `/hub/api/affected-bookings?staff=${w.shop.staffId}&from=2026-12-10&to=2026-12-10` });
    assert.deepEqual(refs(seen), [w.thu10]);
  });
});
