import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { startTestApp, call, type TestContext } from '../helpers/app.js';
import { startInbox, type Inbox } from '../helpers/smtp.js';
import { openDatabase } from '../../src/db/connect.js';
import { buildApp } from '../../src/app.js';
import { updateOnlineSettings } from '../../src/modules/online/online-settings.service.js';
import { client, drainMessages, MONDAY_8AM, onlineShop, page, type OnlineShop } from './online-helpers.js';

const HOUR = 3_600_000;

/**
 * Client messages from the events outbox, to a real SMTP server on loopback: whichever door the change came
 * in by; exactly once per event and client, also with two instances; reminders with an injected clock.
 */
forEachEngine('client messages', (engine) => {
  let ctx: TestContext;
  let inbox: Inbox;
  before(async () => {
    inbox = await startInbox();
    ctx = await startTestApp(engine, { SMTP_URL: inbox.url, MAIL_FROM: 'bookings@setora.test' }, { now: MONDAY_8AM });
  });
  after(async () => {
    await ctx.close();
    await inbox.close();
  });

  const slot = async (s: OnlineShop, date: string, staff: string) =>
    (await page(ctx.app, { url: `${s.base}/availability?service=${s.shop.haircut.id}&staff=${staff}&from=${date}&to=${date}` })).body.slots as { starts_at: string }[];
  const mailsTo = (address: string) => inbox.mails.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === address);

  test('confirmation, reschedule and cancellation: from the page, the Hub\'s door and the API alike, each once, with the shop\'s details, the local time, an .ics and the manage link', async () => {
    const s = await onlineShop(ctx.database, MONDAY_8AM);
    const free = await slot(s, '2026-12-08', s.shop.alex.id);
    const made = await page(ctx.app, { method: 'POST', url: `${s.base}/bookings`, payload: { service: s.shop.haircut.id, staff: s.shop.alex.id, starts_at: free[0]!.starts_at, ...client({ email: 'ana@example.com' }) } });
    assert.equal(made.status, 201);
    assert.deepEqual(await drainMessages(ctx.app, { queued: 1, sent: 1 }), { queued: 1, sent: 1 });
    // The API moves it and cancels it: messages follow the outbox, not the door.
    const ref = made.body.booking.reference;
    assert.equal((await call(ctx.app, { method: 'POST', url: `/v1/bookings/${ref}/reschedule`, key: s.writeKey, payload: { starts_at: free[4]!.starts_at } })).status, 200);
    assert.deepEqual(await drainMessages(ctx.app, { queued: 1, sent: 1 }), { queued: 1, sent: 1 });
    assert.equal((await call(ctx.app, { method: 'POST', url: `/v1/bookings/${ref}/cancel`, key: s.writeKey })).status, 200);
    assert.deepEqual(await drainMessages(ctx.app, { queued: 1, sent: 1 }), { queued: 1, sent: 1 });
    assert.deepEqual(await ctx.app.messages.tick(), { queued: 0, sent: 0 }, 'nothing twice');
    const mine = mailsTo('ana@example.com');
    assert.deepEqual(mine.map((m) => m.subject!.split(':')[0]), ['Booking confirmed', 'Booking moved', 'Booking cancelled']);
    const moved = mine[1]!;
    assert.match(moved.from!.text, /"?Shop .*"? <bookings@setora\.test>/);
    assert.match(moved.text!, /Tuesday,? 8 December 2026, \d\d:\d\d–\d\d:\d\d \(UK time\)/);
    assert.match(moved.text!, /1 Test Street/);
    assert.match(moved.html as string, /Change or cancel your booking/);
    const ics = moved.attachments.find((a) => a.contentType.startsWith('text/calendar'))!;
    assert.match(ics.content.toString(), new RegExp(`UID:${ref}@setora`));
    const link = /(http:\/\/\S+#manage=([A-Za-z0-9_-]{43}))/.exec(moved.text!)!;
    assert.ok(link, 'a manage link');
    const opened = await page(ctx.app, { url: '/book/api/manage', token: link[2] });
    assert.equal(opened.body.booking.reference, ref);
    assert.match(String(mine[2]!.attachments[0]!.content), /STATUS:CANCELLED/);
    assert.doesNotMatch(mine[2]!.text!, /#manage=/, 'a cancellation offers to book again, not a manage link');
    const log = ctx.logs.join('');
    assert.doesNotMatch(log, /ana@example\.com|Change or cancel/, 'no address or body in the log');
    const rows = await ctx.database.db.selectFrom('messages').select(['kind', 'status', 'outcome']).where('org_id', '=', s.orgId).orderBy('created_at').orderBy('kind').execute();
    assert.deepEqual(rows.map((r) => `${r.kind}:${r.status}`).sort(), ['cancellation:sent', 'confirmation:sent', 'reschedule:sent']);
    assert.ok(rows.every((r) => /^smtp 250$/.test(r.outcome!)));
  });

  test('a Hub booking for a client with no email sends nothing; the API\'s booking for one with email is confirmed', async () => {
    const s = await onlineShop(ctx.database, MONDAY_8AM);
    const [a, , , , b] = await slot(s, '2026-12-09', s.shop.alex.id);
    const before = inbox.mails.length;
    assert.equal((await call(ctx.app, { method: 'POST', url: '/v1/bookings', key: s.writeKey, payload: { location: s.shop.location.slug, service: s.shop.haircut.id, staff: s.shop.alex.id, starts_at: a!.starts_at, client: { first_name: 'Walk', phone: '07700 900555' } } })).status, 201);
    await drainMessages(ctx.app, {}); // whatever came before
    assert.equal((await call(ctx.app, { method: 'POST', url: '/v1/bookings', key: s.writeKey, payload: { location: s.shop.location.slug, service: s.shop.haircut.id, staff: s.shop.alex.id, starts_at: b!.starts_at, client: { first_name: 'Mail', email: 'mail@example.com' } } })).status, 201);
    await drainMessages(ctx.app, { sent: 1 });
    assert.equal(inbox.mails.length, before + 1);
    assert.match(mailsTo('mail@example.com')[0]!.subject!, /^Booking confirmed/);
  });

  test('reminders with an injected clock: each once, at the location\'s hours before; none for a cancelled booking', async () => {
    const s = await onlineShop(ctx.database, MONDAY_8AM, { reminder_hours: 48 });
    const [a, , , , b] = await slot(s, '2026-12-10', s.shop.alex.id);
    const book = (start: string, email: string) => page(ctx.app, { method: 'POST', url: `${s.base}/bookings`, payload: { service: s.shop.haircut.id, staff: s.shop.alex.id, starts_at: start, ...client({ email }) } });
    const kept = await book(a!.starts_at, 'kept@example.com');
    const dropped = await book(b!.starts_at, 'dropped@example.com');
    await drainMessages(ctx.app, { sent: 2 }); // confirmations
    assert.equal((await page(ctx.app, { method: 'POST', url: '/book/api/manage/cancel', token: dropped.body.manage_token })).status, 200);
    await drainMessages(ctx.app, { sent: 1 }); // the cancellation
    ctx.clock.now = Date.parse(a!.starts_at) - 49 * HOUR;
    await ctx.app.messages.tick();
    assert.equal(mailsTo('kept@example.com').filter((m) => m.subject!.startsWith('Reminder')).length, 0, 'not yet');
    ctx.clock.now = Date.parse(a!.starts_at) - 47 * HOUR;
    await ctx.app.messages.tick();
    ctx.clock.now += HOUR;
    await ctx.app.messages.tick();
    assert.equal(mailsTo('kept@example.com').filter((m) => m.subject!.startsWith('Reminder')).length, 1, 'exactly one reminder');
    assert.equal(mailsTo('dropped@example.com').filter((m) => m.subject!.startsWith('Reminder')).length, 0, 'none for the cancelled booking');
    assert.ok(kept.body.booking.reference);
    ctx.clock.now = MONDAY_8AM;
  });

  // Several instances share PostgreSQL; on SQLite one process writes a file (two connections in one process would
  // only block each other's thread), so this runs on PostgreSQL.
  test('two instances on one database: every message exactly once', { skip: engine === 'sqlite' ? 'several instances run on PostgreSQL' : false }, async () => {
    const s = await onlineShop(ctx.database, MONDAY_8AM);
    await updateOnlineSettings(ctx.database, s.orgId, s.shop.location.id, { max_live_bookings: 50 }, MONDAY_8AM);
    const other = openDatabase(ctx.config.database);
    const second = await buildApp({ config: ctx.config, database: other, clock: () => ctx.clock.now });
    try {
      const free = await slot(s, '2026-12-11', s.shop.alex.id);
      const before = inbox.mails.length;
      for (let i = 0; i < 8; i++) {
        const res = await page(ctx.app, { method: 'POST', url: `${s.base}/bookings`, payload: { service: s.shop.haircut.id, staff: s.shop.alex.id, starts_at: free[i * 3]!.starts_at, ...client({ email: `twin${i}@example.com` }) } });
        assert.equal(res.status, 201, res.raw);
      }
      // Both instances' workers at once, again and again, until every message has gone.
      const deadline = Date.now() + 20_000;
      while (inbox.mails.length < before + 8 && Date.now() < deadline) {
        await Promise.all([ctx.app.messages.tick(), second.messages.tick(), ctx.app.messages.tick(), second.messages.tick()]);
      }
      await inbox.waitFor(before + 8);
      await new Promise((r) => setTimeout(r, 200));
      const got = inbox.mails.slice(before).map((m) => (m.to as { value: { address: string }[] }).value[0]!.address).sort();
      assert.deepEqual(got, Array.from({ length: 8 }, (_, i) => `twin${i}@example.com`).sort());
    } finally {
      await second.close();
      await other.close();
    }
  });
});
