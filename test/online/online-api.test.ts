import { test, before, after } from 'node:test';
import { bookingPagePreloads } from '../../src/modules/online/index.js';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { startTestApp, call, type TestContext } from '../helpers/app.js';
import { snapshot } from '../helpers/snapshot.js';
import { setBookableOnline, updateOnlineSettings } from '../../src/modules/online/online-settings.service.js';
import { client, MONDAY_8AM, onlineShop, page, type OnlineShop } from './online-helpers.js';

/** The booking page's public API: offer, free times, booking, manage by token, bad input and abuse limits. */
forEachEngine('booking page API', (engine) => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp(engine, { ONLINE_BOOKINGS_PER_CONTACT_PER_HOUR: '4' }, { now: MONDAY_8AM }); });
  after(() => ctx.close());

  const slots = async (s: OnlineShop, q: string) => (await page(ctx.app, { url: `${s.base}/availability?${q}` })).body.slots as { starts_at: string; staff_id: string }[];
  const book = (s: OnlineShop, body: Record<string, unknown>, key?: string) => page(ctx.app, { method: 'POST', url: `${s.base}/bookings`, payload: body, key });

  test('the offer: online locations, services and staff; never contact details of staff or other clients', async () => {
    const s = await onlineShop(ctx.database, MONDAY_8AM);
    const shop = await page(ctx.app, { url: `/book/api/shops/${s.slug}` });
    assert.equal(shop.status, 200);
    assert.deepEqual(shop.body.locations.map((l: { slug: string }) => l.slug), [s.shop.location.slug]);
    const offer = await page(ctx.app, { url: s.base });
    assert.equal(offer.status, 200);
    assert.deepEqual(offer.body.services.map((x: { name: string }) => x.name).sort(), ['Colour', 'Haircut']);
    assert.deepEqual(offer.body.staff.map((x: { display_name: string }) => x.display_name).sort(), ['Alex', 'Blake']);
    assert.doesNotMatch(offer.raw, /@example\.com|Jo|Bloggs/, 'no client data');
    assert.deepEqual(Object.keys(offer.body.staff[0]).sort(), ['display_name', 'id', 'service_ids', 'title']);
  });

  test('unknown shop, turned-off or unknown location, non-online service and staff: 404 with a message a client understands', async () => {
    const s = await onlineShop(ctx.database, MONDAY_8AM);
    for (const url of [`/book/api/shops/no-such-shop`, `/book/api/shops/no-such-shop/locations/x`, `/book/api/shops/${s.slug}/locations/nowhere`]) {
      const res = await page(ctx.app, { url });
      assert.equal(res.status, 404, url);
      assert.equal(res.body.error.code, 'resource_not_found');
      assert.ok(res.body.error.request_id);
    }
    await setBookableOnline(ctx.database, s.orgId, 'staff', s.shop.blake.id, false);
    let res = await page(ctx.app, { url: `${s.base}/availability?service=${s.shop.haircut.id}&staff=${s.shop.blake.id}` });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.param, 'staff');
    const anyone = await slots(s, `service=${s.shop.haircut.id}&from=2026-12-08&to=2026-12-08`);
    assert.ok(anyone.length > 0);
    assert.ok(anyone.every((x) => x.staff_id === s.shop.alex.id), 'Blake is kept off the page');
    const start = anyone[0]!.starts_at;
    // "anyone" never lands on staff kept off the page, even when they are the less busy one
    const made = await book(s, { service: s.shop.haircut.id, starts_at: start, ...client() });
    assert.equal(made.status, 201, made.raw);
    assert.equal(made.body.booking.staff.id, s.shop.alex.id);

    await setBookableOnline(ctx.database, s.orgId, 'service', s.shop.colour.id, false);
    res = await page(ctx.app, { url: `${s.base}/availability?service=${s.shop.colour.id}` });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.param, 'service');
    await updateOnlineSettings(ctx.database, s.orgId, s.shop.location.id, { enabled: false }, MONDAY_8AM);
    res = await page(ctx.app, { url: s.base });
    assert.equal(res.status, 404);
    assert.match(res.body.error.message, /not taking bookings online/);
    res = await page(ctx.app, { url: `/book/api/shops/${s.slug}` });
    assert.equal(res.status, 404);
  });

  test('a booking: source online, one booking for a double submission, a manage token stored only as a digest', async () => {
    const s = await onlineShop(ctx.database, MONDAY_8AM);
    const free = await slots(s, `service=${s.shop.haircut.id}&from=2026-12-08&to=2026-12-08`);
    const body = { service: s.shop.haircut.id, staff: free[3]!.staff_id, starts_at: free[3]!.starts_at, ...client({ email: 'Priya@Example.com' }), marketing: { email: true } };
    const [a, b] = await Promise.all([book(s, body, 'submit-1'), book(s, body, 'submit-1')]);
    const answers = [a, b].map((r) => r.status).sort();
    assert.ok(answers[0] === 201 && (answers[1] === 201 || answers[1] === 409), `double submission: ${answers}`);
    const first = a.status === 201 ? a : b;
    const again = await book(s, body, 'submit-1');
    assert.equal(again.status, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body.booking.reference, first.body.booking.reference);
    assert.notEqual(again.body.manage_token, first.body.manage_token, 'a replay mints a fresh token (none is stored in plain)');
    const rows = await ctx.database.db.selectFrom('bookings').selectAll().where('org_id', '=', s.orgId).where('source', '=', 'online').execute();
    assert.equal(rows.length, 1);
    assert.match(first.body.manage_url, new RegExp(`/book/${s.slug}#manage=`));
    const stored = await ctx.database.db.selectFrom('manage_links').select('digest').where('org_id', '=', s.orgId).execute();
    assert.ok(stored.length >= 2 && stored.every((l) => l.digest !== first.body.manage_token && l.digest.length === 64));
    for (const token of [first.body.manage_token, again.body.manage_token]) {
      const seen = await page(ctx.app, { url: '/book/api/manage', token });
      assert.equal(seen.status, 200);
      assert.equal(seen.body.booking.reference, first.body.booking.reference);
      assert.doesNotMatch(seen.raw, /priya@example\.com/, 'the manage view holds no contact details');
    }
    const events = await ctx.database.db.selectFrom('events').select(['type', 'source']).where('org_id', '=', s.orgId).where('source', '=', 'online').orderBy('seq').execute();
    assert.deepEqual(events.map((e) => `${e.type}:${e.source}`), ['client.created:online', 'booking.created:online', 'client.updated:online']);
    const c = await ctx.database.db.selectFrom('clients').selectAll().where('org_id', '=', s.orgId).where('email', '=', 'priya@example.com').executeTakeFirstOrThrow();
    assert.equal(c.email_marketing, 1);
    assert.equal(c.sms_marketing, 0, 'each box is its own consent');
  });

  test('impossible contact details, missing ones the shop requires, the honeypot: the field\'s error, nothing stored', async () => {
    const s = await onlineShop(ctx.database, MONDAY_8AM, { contact_required: 'phone' });
    const start = (await slots(s, `service=${s.shop.haircut.id}&from=2026-12-08&to=2026-12-08`))[0]!.starts_at;
    const before = await snapshot(ctx.database, s.orgId);
    const cases: [Record<string, unknown>, number, string, string][] = [
      [client({ phone: '12' }), 400, 'parameter_invalid', 'phone'],
      [client(), 400, 'parameter_missing', 'phone'],
      [client({ phone: '07700 900123', email: 'not-an-email' }), 400, 'parameter_invalid', 'email'],
      [client({ phone: '07700 900123', last_name: '' }), 400, 'parameter_missing', 'last_name'],
      [client({ phone: '07700 900123', website: 'http://spam.example' }), 400, 'parameter_invalid', 'website'],
      [client({ phone: '07700 900123', password: 'x' }), 400, 'parameter_unknown', 'password'],
    ];
    for (const [who, status, code, param] of cases) {
      const res = await book(s, { service: s.shop.haircut.id, starts_at: start, ...who });
      assert.equal(res.status, status, JSON.stringify(who));
      assert.equal(res.body.error.code, code);
      assert.equal(res.body.error.param, param);
    }
    assert.equal(await snapshot(ctx.database, s.orgId), before);
  });

  test('a time taken meanwhile: 409 with the reason, and it is gone from the fresh times', async () => {
    const s = await onlineShop(ctx.database, MONDAY_8AM);
    const free = await slots(s, `service=${s.shop.haircut.id}&staff=${s.shop.alex.id}&from=2026-12-08&to=2026-12-08`);
    const taken = free[2]!.starts_at;
    const api = await call(ctx.app, { method: 'POST', url: '/v1/bookings', key: s.writeKey, payload: { location: s.shop.location.slug, service: s.shop.haircut.id, staff: s.shop.alex.id, starts_at: taken, client: { first_name: 'Api', email: 'api@example.com' } } });
    assert.equal(api.status, 201);
    const res = await book(s, { service: s.shop.haircut.id, staff: s.shop.alex.id, starts_at: taken, ...client() });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'slot_unavailable');
    assert.equal(res.body.error.reason, 'overlaps_booking');
    const fresh = await slots(s, `service=${s.shop.haircut.id}&staff=${s.shop.alex.id}&from=2026-12-08&to=2026-12-08`);
    assert.ok(!fresh.some((x) => x.starts_at === taken));
  });

  test('the cap on a contact\'s live online bookings, and the per-contact rate limit', async () => {
    const s = await onlineShop(ctx.database, MONDAY_8AM, { max_live_bookings: 2 });
    const free = await slots(s, `service=${s.shop.haircut.id}&staff=${s.shop.blake.id}&from=2026-12-09&to=2026-12-09`);
    const who = client({ email: 'cap@example.com' });
    const tries = [] as number[];
    for (let i = 0; i < 5; i++) {
      const res = await book(s, { service: s.shop.haircut.id, staff: s.shop.blake.id, starts_at: free[i * 4]!.starts_at, ...who });
      tries.push(res.status);
      if (i === 2) {
        assert.equal(res.body.error.code, 'resource_conflict');
        assert.equal(res.body.error.reason, 'online_booking_limit');
        assert.match(res.body.error.message, /already have 2 upcoming online bookings/);
      }
      if (i === 4) {
        assert.equal(res.body.error.code, 'rate_limited');
        assert.ok(Number(res.headers['retry-after']) > 0);
      }
    }
    assert.deepEqual(tries, [201, 201, 409, 409, 429]);
  });

  test('manage: see, reschedule (own time free), cancel; the window closes online changes; tampered and expired links are 404', async () => {
    const s = await onlineShop(ctx.database, MONDAY_8AM, { cancellation_window_hours: 24 });
    const free = await slots(s, `service=${s.shop.haircut.id}&staff=${s.shop.alex.id}&from=2026-12-09&to=2026-12-09`);
    const made = await book(s, { service: s.shop.haircut.id, staff: s.shop.alex.id, starts_at: free[0]!.starts_at, ...client() });
    const token = made.body.manage_token as string;
    const moves = await page(ctx.app, { url: '/book/api/manage/availability?from=2026-12-09&to=2026-12-09', token });
    assert.equal(moves.status, 200);
    assert.ok(moves.body.slots.some((x: { starts_at: string }) => x.starts_at === free[0]!.starts_at), 'its own time counts as free');
    const target = moves.body.slots.find((x: { starts_at: string; staff_id: string }) => x.staff_id === s.shop.alex.id && x.starts_at !== free[0]!.starts_at);
    const moved = await page(ctx.app, { method: 'POST', url: '/book/api/manage/reschedule', token, payload: { starts_at: target.starts_at } });
    assert.equal(moved.status, 200, moved.raw);
    assert.equal(moved.body.booking.starts_at, target.starts_at);
    const ics = await ctx.app.inject({ url: '/book/api/manage/calendar.ics', headers: { 'x-manage-token': token } });
    assert.equal(ics.statusCode, 200);
    assert.match(String(ics.headers['content-type']), /text\/calendar/);
    assert.match(ics.body, /BEGIN:VEVENT/);
    assert.match(ics.body, new RegExp(`UID:${made.body.booking.reference}@setora`));

    for (const bad of ['', 'x'.repeat(43), token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), `${token}x`]) {
      const res = await page(ctx.app, { url: '/book/api/manage', token: bad });
      assert.equal(res.status, 404, bad);
      assert.equal(res.body.error.code, 'resource_not_found');
    }

    // Inside the window: the page is told to call the shop, with its phone number.
    const late = await book(s, { service: s.shop.haircut.id, staff: s.shop.alex.id, starts_at: (await slots(s, `service=${s.shop.haircut.id}&staff=${s.shop.alex.id}&from=2026-12-07&to=2026-12-07`))[0]!.starts_at, ...client({ email: 'late@example.com' }) });
    assert.equal(late.status, 201, late.raw);
    assert.equal(late.body.booking.can_change, false);
    const refused = await page(ctx.app, { method: 'POST', url: '/book/api/manage/cancel', token: late.body.manage_token });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'booking_not_modifiable');
    assert.match(refused.body.error.message, /call/i);

    const cancelled = await page(ctx.app, { method: 'POST', url: '/book/api/manage/cancel', token });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.booking.status, 'cancelled');
    const row = await ctx.database.db.selectFrom('bookings').select(['cancelled_via', 'status']).where('reference', '=', made.body.booking.reference).executeTakeFirstOrThrow();
    assert.deepEqual(row, { cancelled_via: 'online', status: 'cancelled' });
    const events = await ctx.database.db.selectFrom('events').select(['type', 'source']).where('object_id', '=', (await ctx.database.db.selectFrom('bookings').select('id').where('reference', '=', made.body.booking.reference).executeTakeFirstOrThrow()).id).orderBy('seq').execute();
    assert.deepEqual(events.map((e) => `${e.type}:${e.source}`), ['booking.created:online', 'booking.rescheduled:online', 'booking.cancelled:online']);

    // Long after the booking: the link no longer opens it.
    const saved = ctx.clock.now;
    ctx.clock.now = Date.parse('2027-02-01T00:00:00Z');
    const expired = await page(ctx.app, { url: '/book/api/manage', token });
    ctx.clock.now = saved;
    assert.equal(expired.status, 404);
  });

  test('per-address limit on every request, in the envelope with Retry-After', async () => {
    const limited = await startTestApp(engine, { ONLINE_REQUESTS_PER_MINUTE: '3', TRUST_PROXY: 'true' }, { now: MONDAY_8AM });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await page(limited.app, { url: '/book/api/shops/none', ip: '203.0.113.9' })).status);
      assert.deepEqual(codes, [404, 404, 404, 429]);
      const other = await page(limited.app, { url: '/book/api/shops/none', ip: '203.0.113.10' });
      assert.equal(other.status, 404, 'another address is not limited');
    } finally {
      await limited.close();
    }
  });

  test('unknown /book/api paths are the JSON 404; page paths answer the booking page', async () => {
    const res = await call(ctx.app, { url: '/book/api/nothing-here' });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'route_not_found');
  });
});

test('the booking page preloads what its script asks for first, and only for plain slugs and ids', () => {
  const q = (s: string) => new URLSearchParams(s);
  assert.deepEqual(bookingPagePreloads('shop/main', q('')), ['/book/api/shops/shop/locations/main']);
  assert.deepEqual(bookingPagePreloads('shop/main/', q('service=svc_1&staff=any')), ['/book/api/shops/shop/locations/main', '/book/api/shops/shop/locations/main/availability?service=svc_1']);
  assert.deepEqual(bookingPagePreloads('shop/main', q('service=svc_1&staff=stf_2')), ['/book/api/shops/shop/locations/main', '/book/api/shops/shop/locations/main/availability?service=svc_1&staff=stf_2']);
  assert.deepEqual(bookingPagePreloads('shop/main', q('service=svc_1')), ['/book/api/shops/shop/locations/main'], 'no staff: the page asks for the shop first');
  assert.deepEqual(bookingPagePreloads('shop', q('')), [], 'the shop\'s own page asks for its locations elsewhere');
  assert.deepEqual(bookingPagePreloads('shop/main/extra', q('')), []);
  assert.deepEqual(bookingPagePreloads('sh%20op/main', q('')), [], 'anything but a plain slug is left to the script');
  assert.deepEqual(bookingPagePreloads('shop/main', q('service=a>b&staff=any')), ['/book/api/shops/shop/locations/main'], 'nothing that could break the Link header');
});
