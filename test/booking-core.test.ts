import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { listen, post } from './helpers/http.js';
import { hub, setUpShop, signUp } from './hub/hub-helpers.js';
import { createBooking } from '../src/modules/bookings/create-booking.js';
import { cancelBooking, recordOutcome, rescheduleBooking } from '../src/modules/bookings/change-booking.js';
import { getAvailability } from '../src/modules/availability/availability.service.js';
import { updateService, createService } from '../src/modules/catalog/catalog.service.js';
import { createLocation } from '../src/modules/locations/locations.service.js';
import { createStaff } from '../src/modules/staff/staff.service.js';
import { systemActor, type Actor } from '../src/modules/events/actor.js';
import type { ApiError } from '../src/http/errors.js';

const NOW = Date.parse('2026-11-23T08:00:00Z'); // Monday 08:00 London (GMT)
const MIN = 60_000;

/** The outcome of one racing request: its request id and what it answered. */
interface Outcome { id: string; ok: boolean; body: any; code?: string }

async function attempt(id: string, run: (actor: Actor) => Promise<unknown>, orgId: string, now = NOW): Promise<Outcome> {
  try {
    return { id, ok: true, body: await run({ orgId, source: 'api', requestId: id, now }) };
  } catch (err) {
    const e = err as ApiError;
    if (typeof e.code !== 'string' || e.status !== 409) throw err;
    return { id, ok: false, body: e.body(id), code: e.code };
  }
}

/**
 * What every race must satisfy (API.md §6, "each change happens once"): each success is recorded by exactly one
 * event carrying the state that request answered, failures are 409s that changed nothing, the stored booking is
 * the last recorded state, and nothing moves after a cancellation.
 */
async function checkRace(ctx: TestContext & { readKey: string }, orgId: string, reference: string, outcomes: Outcome[]): Promise<{ winners: Outcome[]; events: { type: string; request_id: string | null; object: any }[] }> {
  const stored = (await call(ctx.app, { method: 'GET', url: `/v1/bookings/${reference}`, key: ctx.readKey })).body;
  const booking = await ctx.database.db.selectFrom('bookings').select('id').where('org_id', '=', orgId).where('reference', '=', reference).executeTakeFirstOrThrow();
  const rows = await ctx.database.db.selectFrom('events').select(['type', 'request_id', 'data']).where('org_id', '=', orgId).where('object_id', '=', booking.id)
    .orderBy('tx').orderBy('seq').execute();
  const events = rows.map((r) => ({ type: r.type, request_id: r.request_id, object: JSON.parse(r.data).object }));
  const changes = events.filter((e) => e.type !== 'booking.created');
  const winners = outcomes.filter((o) => o.ok);
  assert.equal(changes.length, winners.length, `one event per success: ${changes.map((e) => e.type)} vs ${winners.length}`);
  for (const w of winners) {
    const e = changes.find((x) => x.request_id === w.id);
    assert.ok(e, `an event for ${w.id}`);
    assert.deepEqual(e!.object, w.body, 'each success answers exactly the state it made');
  }
  for (const o of outcomes.filter((x) => !x.ok)) assert.ok(o.code === 'booking_not_modifiable' || o.code === 'slot_unavailable', JSON.stringify(o.body));
  const last = changes.at(-1);
  if (last && stored) assert.deepEqual(stored, last.object, 'the stored booking is the last recorded state');
  const cancelledAt = changes.findIndex((e) => e.type === 'booking.cancelled');
  if (cancelledAt >= 0) assert.equal(changes.slice(cancelledAt + 1).filter((e) => e.type === 'booking.rescheduled').length, 0, 'a cancelled booking never moves');
  return { winners, events: changes };
}

forEachEngine('booking core', (engine) => {
  let ctx: TestContext & { readKey: string };
  let org: SeededOrg;
  let shop: TestShop;
  let base: string;
  before(async () => {
    const app = await startTestApp(engine, {}, { now: NOW });
    org = await seedOrg(app.database, NOW - 1000);
    shop = await seedShop(app.database, org.orgId, NOW - 1000);
    ctx = Object.assign(app, { readKey: org.readKey });
    base = await listen(ctx.app);
  });
  after(() => ctx.close());

  let next = 0;
  /** A fresh confirmed booking with Blake (Tue–Sat 10–18), each on its own slot. */
  async function freshBooking(): Promise<{ reference: string; startMs: number }> {
    // Five a day, 90 minutes apart (room for a move of 30 minutes), Tuesday to Saturday.
    const startMs = Date.parse('2026-11-24T10:00:00Z') + Math.floor(next / 5) * 86_400_000 + (next % 5) * 90 * MIN;
    next++;
    const b = await createBooking(ctx.database, { orgId: org.orgId, source: 'api', now: NOW }, {
      location: shop.location.slug, service: shop.haircut.id, staff: shop.blake.id, start: { instant: new Date(startMs).toISOString() }, client: shop.client.id,
    });
    return { reference: b.reference, startMs };
  }
  const at = (ms: number) => ({ instant: new Date(ms).toISOString().replace('.000Z', 'Z') });

  test('cancel/cancel over HTTP with reasons "a" and "b", ten times: one 200, the stored reason is the winner\'s', async () => {
    for (let round = 0; round < 10; round++) {
      const { reference } = await freshBooking();
      const [a, b] = await Promise.all(['a', 'b'].map((reason) => post(base, `/v1/bookings/${reference}/cancel`, org.writeKey, { reason })));
      const ok = [a!, b!].filter((r) => r.status === 200);
      assert.equal(ok.length, 1, `round ${round}: ${a!.status} ${b!.status}`);
      const loser = [a!, b!].find((r) => r.status !== 200)!;
      assert.equal(loser.status, 409);
      assert.equal(loser.body.error.code, 'booking_not_modifiable');
      const stored = (await call(ctx.app, { method: 'GET', url: `/v1/bookings/${reference}`, key: org.readKey })).body;
      assert.equal(stored.cancellation_reason, ok[0]!.body.cancellation_reason);
    }
  });

  test('every pair of transitions, 12 at once, three rounds each: each change happens once', async () => {
    for (let round = 0; round < 3; round++) {
      // cancel / cancel
      let b = await freshBooking();
      let outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(`cc-${round}-${i}`, (actor) => cancelBooking(ctx.database, actor, b.reference, { reason: `r${i}` }), org.orgId)));
      let { winners } = await checkRace(ctx, org.orgId, b.reference, outcomes);
      assert.equal(winners.length, 1, 'exactly one cancel');

      // reschedule / cancel: exactly one cancel; whatever moved before it is recorded, nothing after
      b = await freshBooking();
      outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => i % 2
        ? attempt(`rc-${round}-${i}`, (actor) => cancelBooking(ctx.database, actor, b.reference, {}), org.orgId)
        : attempt(`rc-${round}-${i}`, (actor) => rescheduleBooking(ctx.database, actor, b.reference, { start: at(b.startMs + (i / 2 + 1) * 7 * 24 * 60 * MIN) }), org.orgId)));
      await checkRace(ctx, org.orgId, b.reference, outcomes);
      assert.equal(outcomes.filter((o, i) => i % 2 && o.ok).length, 1, 'exactly one cancel wins');

      // reschedule / reschedule to one target: exactly one moves it (the rest: already there, or changed meanwhile)
      b = await freshBooking();
      const target = at(b.startMs + 30 * MIN);
      outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(`rr-${round}-${i}`, (actor) => rescheduleBooking(ctx.database, actor, b.reference, { start: target }), org.orgId)));
      ({ winners } = await checkRace(ctx, org.orgId, b.reference, outcomes));
      assert.equal(winners.length, 1, 'exactly one reschedule');
      assert.equal(winners[0]!.body.starts_at, target.instant);

      // cancel / outcome on a booking that has started (at its start + 10 min): one outcome, no cancel
      b = await freshBooking();
      const started = b.startMs + 10 * MIN;
      outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => i % 2
        ? attempt(`co-${round}-${i}`, (actor) => cancelBooking(ctx.database, actor, b.reference, {}), org.orgId, started)
        : attempt(`co-${round}-${i}`, (actor) => recordOutcome(ctx.database, actor, b.reference, 'completed'), org.orgId, started)));
      ({ winners } = await checkRace(ctx, org.orgId, b.reference, outcomes));
      assert.equal(winners.length, 1, 'exactly one outcome');
      assert.equal(winners[0]!.body.status, 'completed');
    }
  });

  test('reschedules to different times race: each success is a state that was stored, in order', async () => {
    const b = await freshBooking();
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(`rd-${i}`, (actor) =>
      rescheduleBooking(ctx.database, actor, b.reference, { start: at(b.startMs + (i + 1) * 7 * 24 * 60 * MIN) }), org.orgId)));
    const { winners, events } = await checkRace(ctx, org.orgId, b.reference, outcomes);
    assert.ok(winners.length >= 1);
    for (const w of winners) assert.equal(w.body.starts_at, at(b.startMs + (Number(w.id.split('-')[1]) + 1) * 7 * 24 * 60 * MIN).instant, 'answers its own target');
    assert.equal(events.length, winners.length);
  });

  test('the Hub\'s local date and time are converted with the engine\'s rule on clock-change days (London)', async () => {
    const owner = await signUp(ctx.app);
    const s = await setUpShop(ctx.app, owner);
    // Open and working through the small hours of both change days (Sundays).
    const night = { sunday: [{ opens: '00:00', closes: '06:00' }] };
    assert.equal((await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/locations/${s.locationId}`, payload: { opening_hours: night, booking_horizon_days: 730, minimum_notice_minutes: 0 } })).status, 200);
    assert.equal((await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/staff/${s.staffId}`, payload: { hours: { [s.locationId]: night } } })).status, 200);
    const book = (date: string, time: string) => hub(ctx.app, owner, { method: 'POST', url: '/hub/api/bookings', payload: { location: s.slug, service: s.serviceId, staff: s.staffId, date, time, client: { first_name: 'Night' } } });
    const autumn = await book('2026-10-25', '01:30');
    // 2026-10-25 is in the past for this test's clock (23 Nov 2026), so use the next year's change days.
    assert.equal(autumn.status, 409);
    const fall = await book('2027-10-31', '01:30');
    assert.equal(fall.status, 201, fall.raw);
    assert.equal(fall.body.starts_at, '2027-10-31T00:30:00Z', 'a repeated time is its first occurrence (BST)');
    const spring = await book('2027-03-28', '01:30');
    assert.equal(spring.status, 201, spring.raw);
    assert.equal(spring.body.starts_at, '2027-03-28T01:00:00Z', 'a time in the gap is the instant right after it');
  });

  test('a walk-in in the Hub: name only, off the grid, now, outside hours — each rule set aside knowingly, never an overlap', async () => {
    const owner = await signUp(ctx.app);
    const s = await setUpShop(ctx.app, owner);
    // 08:17 on Monday (the test clock is 08:00): before opening, off the grid, within the notice.
    const payload = { location: s.slug, service: s.serviceId, staff: s.staffId, date: '2026-11-23', time: '08:17', client: { first_name: 'Walk-in' } };
    const refused = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/bookings', payload });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.reason, 'too_soon');
    const made = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/bookings', payload: { ...payload, set_aside: ['too_soon', 'not_on_slot_grid', 'outside_working_hours', 'beyond_horizon'] } });
    assert.equal(made.status, 201, made.raw);
    assert.deepEqual(made.body.rules_set_aside.sort(), ['not_on_slot_grid', 'outside_working_hours', 'too_soon']);
    assert.equal(made.body.source, 'hub');
    assert.equal(made.body.client.name, 'Walk-in');
    // Overlap can never be set aside.
    const clash = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/bookings', payload: { ...payload, time: '08:30', set_aside: ['too_soon', 'not_on_slot_grid', 'outside_working_hours'] } });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.reason, 'overlaps_booking');
    // An earlier day is refused even with the rule set aside.
    const yesterday = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/bookings', payload: { ...payload, date: '2026-11-22', time: '15:00', set_aside: ['too_soon', 'outside_working_hours'] } });
    assert.equal(yesterday.status, 409);
    assert.equal(yesterday.body.error.reason, 'too_soon');
    // The API keeps every rule: set_aside is not a field it takes.
    const api = await call(ctx.app, { method: 'POST', url: '/v1/bookings', key: org.writeKey, payload: { location: shop.location.slug, service: shop.haircut.id, client: { first_name: 'X' }, starts_at: '2026-11-24T10:00:00Z', set_aside: ['too_soon'] } });
    assert.equal(api.status, 400);
    assert.equal(api.body.error.code, 'parameter_unknown');
  });

  test('any staff: the least booked at this location on the start\'s local day, not the UTC days around it', async () => {
    const o = await seedOrg(ctx.database, NOW - 1000);
    const actor = systemActor(o.orgId, NOW - 1000);
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday: weekday as 1, start: 0, end: 1440 }));
    const mk = (slug: string) => createLocation(ctx.database, actor, { slug, name: slug, timeZone: 'Pacific/Auckland', address: { line1: '1', city: 'Auckland', postcode: '1010' }, openingHours: everyDay, minNoticeMinutes: 0, horizonDays: 60 });
    const here = await mk(`here-${next}`);
    const there = await mk(`there-${next}`);
    const svc = await createService(ctx.database, actor, { name: 'Cut', durationMinutes: 30, slotInterval: 30, priceAmount: 100, locationIds: [here.id, there.id] });
    const hours = (l: { id: string }) => ({ locationId: l.id, ranges: everyDay });
    const a = await createStaff(ctx.database, systemActor(o.orgId, NOW - 900), { displayName: 'A', locationIds: [here.id, there.id], serviceIds: [svc.id], hours: [hours(here), hours(there)] });
    const b = await createStaff(ctx.database, systemActor(o.orgId, NOW - 800), { displayName: 'B', locationIds: [here.id], serviceIds: [svc.id], hours: [hours(here)] });
    const api = { orgId: o.orgId, source: 'api' as const, now: NOW };
    const book = (loc: string, staff: string | undefined, instant: string) => createBooking(ctx.database, api, { location: loc, service: svc.id, staff, start: { instant }, client: { first_name: 'C' } });
    // Auckland is UTC+13 in summer: 1 Dec 10:00 local = 30 Nov 21:00Z.
    await book(here.slug, a.id, '2026-12-01T23:00:00Z'); // A: 2 Dec local (tomorrow), within 72 h UTC
    await book(here.slug, a.id, '2026-12-01T23:30:00Z');
    await book(there.slug, a.id, '2026-11-30T22:00:00Z'); // A: today, but at the other location
    await book(here.slug, b.id, '2026-11-30T20:00:00Z'); // B: today here
    const picked = await book(here.slug, undefined, '2026-11-30T21:00:00Z');
    assert.equal(picked.staff.id, a.id, 'A has no booking here today; B has one');
  });

  test('property: after any edit of its service, every slot offered with exclude_booking is accepted by the reschedule', async () => {
    const o = await seedOrg(ctx.database, NOW - 1000);
    const s = await seedShop(ctx.database, o.orgId, NOW - 1000);
    const actor = { orgId: o.orgId, source: 'api' as const, now: NOW };
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 8 }), fc.constantFrom(15, 30, 45, 60, 90), fc.constantFrom(0, 5, 10, 20),
      fc.constantFrom(15, 30, 60, 90), fc.constantFrom(0, 5, 15), fc.constantFrom(5, 15, 30, null), fc.nat(), fc.nat(),
      async (dayOffset, dur0, buf0, dur1, buf1, grid1, pickA, pickB) => {
        run++;
        const svc = await createService(ctx.database, systemActor(o.orgId, NOW - 1000), { name: `S${run}`, durationMinutes: dur0, bufferMinutes: buf0, slotInterval: 15, priceAmount: 1000, locationIds: [s.location.id] });
        await ctx.database.db.insertInto('staff_services').values({ org_id: o.orgId, staff_id: s.blake.id, service_id: svc.id }).execute();
        const day = new Date(Date.parse('2026-11-24') + dayOffset * 86_400_000).toISOString().slice(0, 10);
        const q = { service: svc.id, staff: s.blake.id, from: day, to: day };
        const offered = (await getAvailability({ database: ctx.database }, o.orgId, s.location.slug, q, NOW)).slots;
        fc.pre(offered.length > 0);
        const booked = await createBooking(ctx.database, actor, { location: s.location.slug, service: svc.id, staff: s.blake.id, start: { instant: offered[pickA % offered.length]!.starts_at }, client: s.client.id });
        await updateService(ctx.database, systemActor(o.orgId, NOW), svc.id, { durationMinutes: dur1, bufferMinutes: buf1, slotInterval: grid1 as 5 | 15 | 30 | null });
        const slots = (await getAvailability({ database: ctx.database }, o.orgId, s.location.slug, { ...q, exclude_booking: booked.reference }, NOW)).slots;
        for (const slot of slots) assert.equal(Date.parse(slot.ends_at) - Date.parse(slot.starts_at), dur0 * MIN, 'slots keep the booked duration');
        if (!slots.length) return;
        const slot = slots[pickB % slots.length]!;
        const moved = await rescheduleBooking(ctx.database, actor, booked.reference, { start: { instant: slot.starts_at } }).catch((err) => err);
        if (slot.starts_at === booked.starts_at) assert.equal((moved as ApiError).code, 'booking_not_modifiable', 'already there');
        else {
          assert.equal(moved.starts_at, slot.starts_at, JSON.stringify(moved.body?.('x') ?? moved));
          assert.equal(moved.duration_minutes, dur0);
          assert.equal(moved.buffer_minutes, buf0);
        }
        await cancelBooking(ctx.database, actor, booked.reference, {}).catch(() => undefined);
      },
    ), { numRuns: 12, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) });
  });
});
