import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, serveHub, type Served } from './serve.js';
import { PG_OK } from '../helpers/engines.js';
import { seedOrg, type SeededOrg } from '../helpers/app.js';
import { seedShop, type TestShop } from '../helpers/shop.js';
import { startInbox, type Inbox } from '../helpers/smtp.js';
import { updateOnlineSettings } from '../../src/modules/online/online-settings.service.js';

/**
 * The booking page in real Chromium, as a client meets it, at phone size on SQLite (by touch) and at desktop
 * size on PostgreSQL (by keyboard alone): book, get the confirmation by real SMTP, open the manage link from
 * that email, reschedule, cancel; the Hub's diary and the events feed show each change with source `online`.
 * axe-core (WCAG 2.2 AA rules) on every step: no serious or critical violations. Then the same slot booked
 * from the page and through the API at once: one wins, and the page shows the reason.
 */
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const RUNS = [
  { engine: 'sqlite' as const, size: { width: 390, height: 844 }, keyboard: false, name: 'phone, SQLite, touch' },
  { engine: 'postgres' as const, size: { width: 1280, height: 900 }, keyboard: true, name: 'desktop, PostgreSQL, keyboard only' },
];

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

/** The next Monday–Friday at least two days ahead in London (Alex works then; outside any cancellation window). */
function weekdayAhead(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(Date.now());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 2);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
const dayButton = (date: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short' }).format(Date.parse(`${date}T12:00:00Z`));
const londonTime = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.parse(iso));

for (const run of RUNS) {
  test(`booking page: ${run.name}`, { skip: run.engine === 'postgres' && !PG_OK ? 'PostgreSQL unavailable' : false, timeout: 120_000 }, async (t) => {
    const inbox = await startInbox();
    const served: Served = await serveHub({ engine: run.engine, env: { SMTP_URL: inbox.url }, workers: true });
    const context: BrowserContext = await browser.newContext({ timezoneId: 'America/New_York', locale: 'en-GB', viewport: run.size, hasTouch: !run.keyboard });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`); });
    t.after(async () => { await context.close(); await served.close(); await inbox.close(); });

    const now = Date.now();
    const org: SeededOrg = await seedOrg(served.database, now);
    const shop: TestShop = await seedShop(served.database, org.orgId, now);
    await updateOnlineSettings(served.database, org.orgId, shop.location.id, { enabled: true, message: 'Card payments only.' }, now);
    const day = weekdayAhead();
    let axeMs = 0;
    const t0 = Date.now();
    t.after(() => console.log(`# ${run.name}: ${Date.now() - t0} ms, axe ${axeMs} ms`));

    const axe = async (step: string) => {
      const started = Date.now();
      if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
      const found = await page.evaluate(async () => {
        const r = await (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } })
          .axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
      });
      assert.deepEqual(found, [], `axe on "${step}" (${run.name})`);
      axeMs += Date.now() - started;
    };
    /** Keyboard alone: Tab until the control with this accessible text has focus, then press Enter (or type). */
    const press = async (text: string | RegExp) => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const label = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el) return '';
          const id = el.getAttribute('id');
          const lab = id ? document.querySelector(`label[for="${id}"]`)?.textContent ?? '' : '';
          return `${el.textContent ?? ''}|${lab}|${el.getAttribute('aria-label') ?? ''}`;
        });
        if (typeof text === 'string' ? label.split('|').some((p) => p.trim() === text || p.trim() === `${text} (optional)`) : text.test(label)) return;
      }
      throw new Error(`could not reach "${text}" with Tab`);
    };
    const act = async (name: string | RegExp, role: 'button' | 'link' = 'button') => {
      if (run.keyboard) { await press(name); await page.keyboard.press('Enter'); } else await page.getByRole(role, { name }).first().tap();
    };
    const fill = async (label: string, value: string) => {
      if (run.keyboard) { await press(label); await page.keyboard.type(value); } else await page.getByLabel(new RegExp(`^${label}( \\(optional\\))?$`)).fill(value);
    };

    // 1. Book.
    await page.goto(`${served.url}/book/${org.slug}`);
    await page.getByRole('heading', { name: 'Choose a service' }).waitFor();
    assert.match(page.url(), new RegExp(`/book/${org.slug}/${shop.location.slug}$`), 'one location: skipped');
    await page.getByText('Card payments only.').waitFor();
    await axe('service');
    await act(/^Haircut/);
    await page.getByRole('heading', { name: 'Who would you like?' }).waitFor();
    await axe('staff');
    await act(/^Alex/);
    await page.getByRole('heading', { name: 'Choose a day and time' }).waitFor();
    await page.getByText('Times are in UK time (Europe/London).').waitFor();
    await axe('time');
    await act(dayButton(day));
    const times = page.getByRole('group', { name: /^Free times on/ }).getByRole('button');
    await times.first().waitFor();
    const first = await times.nth(1).innerText();
    await act(first);
    await page.getByRole('heading', { name: 'Your details' }).waitFor();
    await axe('details');
    await fill('First name', 'Priya');
    await fill('Last name', 'Shah');
    await fill('Email', `priya-${run.engine}@example.com`);
    await fill('Phone', '12');
    await act('Continue');
    await page.getByRole('heading', { name: 'Check and confirm' }).waitFor();
    await axe('confirm');
    await act('Confirm booking');
    // An impossible phone: back on the details step with the error in place, the rest kept.
    const phoneError = page.locator('.field-error[data-param="phone"]');
    await phoneError.waitFor();
    assert.match(await phoneError.innerText(), /not a possible phone number/);
    await axe('details with an error');
    if (run.keyboard) { await press('Phone'); await page.keyboard.press('Control+A'); await page.keyboard.type('07700 900123'); } else await page.getByLabel(/^Phone/).fill('07700 900123');
    await act('Continue');
    await act('Confirm booking');
    await page.getByRole('heading', { name: "You're booked" }).waitFor();
    const reference = await page.locator('.success .reference').innerText();
    assert.match(reference, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await page.getByText(`${londonTime(await (async () => { const r = await served.database.db.selectFrom('bookings').select('start_ms').where('reference', '=', reference).executeTakeFirstOrThrow(); return new Date(r.start_ms).toISOString(); })())}–`).first().waitFor();
    await axe('booked');

    // 2. The confirmation arrives by SMTP; its manage link opens the booking.
    const [confirmation] = await inbox.waitFor(1, 15_000);
    assert.match(confirmation!.subject!, /^Booking confirmed: Haircut at Salon/);
    assert.equal(confirmation!.attachments[0]!.contentType, 'text/calendar');
    const link = /(http:\/\/\S+#manage=[A-Za-z0-9_-]{43})/.exec(confirmation!.text!)![1]!;
    await page.goto(link);
    await page.getByRole('heading', { name: /Your booking at/ }).waitFor();
    await page.getByText(reference).first().waitFor();
    await axe('manage');

    // 3. Reschedule.
    await act('Change time');
    await page.getByRole('heading', { name: 'Choose a new time' }).waitFor();
    await axe('reschedule: times');
    await act(dayButton(day));
    const later = await page.getByRole('group', { name: /^Free times on/ }).getByRole('button').nth(6).innerText();
    await act(later);
    await page.getByRole('heading', { name: 'Move your booking?' }).waitFor();
    await axe('reschedule: confirm');
    await act('Move booking');
    await page.getByText('Your booking has been moved.').waitFor();
    await page.getByText(`${later}–`).first().waitFor();
    await inbox.waitFor(2, 15_000);
    assert.match(inbox.mails[1]!.subject!, /^Booking moved/);

    // The Hub's diary shows it where it moved to.
    const hub = await context.newPage();
    await hub.goto(`${served.url}/signin`);
    await hub.getByLabel('Email').fill(`owner-${org.slug.replace(/^shop-/, '')}@example.com`);
    await hub.getByLabel('Password').fill('correct horse battery');
    await hub.getByRole('button', { name: 'Sign in' }).click();
    await hub.getByRole('heading', { name: 'Diary' }).waitFor();
    await hub.goto(`${served.url}/diary?location=${shop.location.slug}&date=${day}`);
    await hub.getByRole('button', { name: new RegExp(`^${later} Priya Shah, Haircut`) }).waitFor();
    // Settings → Online booking shows the page's address to copy; the client's page lists the messages sent.
    await hub.goto(`${served.url}/settings/online`);
    await hub.getByRole('heading', { name: 'Online booking' }).waitFor();
    assert.equal(await hub.getByLabel('Booking page address').inputValue(), `${served.url}/book/${org.slug}`);
    assert.equal(await hub.getByLabel('Take online bookings at Salon').isChecked(), true);
    const clientId = (await served.database.db.selectFrom('bookings').select('client_id').where('reference', '=', reference).executeTakeFirstOrThrow()).client_id;
    await hub.goto(`${served.url}/clients/${clientId}`);
    await hub.getByRole('heading', { name: 'Messages' }).waitFor();
    await hub.getByRole('cell', { name: `Booking moved to priya-${run.engine}@example.com` }).waitFor();
    await hub.getByRole('cell', { name: `Confirmation to priya-${run.engine}@example.com` }).waitFor();
    await hub.close();

    // 4. Cancel.
    await act('Cancel booking');
    await page.getByRole('heading', { name: 'Cancel this booking?' }).waitFor();
    await axe('cancel: confirm');
    await act('Yes, cancel it');
    await page.getByText('Your booking has been cancelled.').waitFor();
    await page.getByRole('link', { name: 'Book again' }).waitFor();
    await axe('cancelled');
    await inbox.waitFor(3, 15_000);
    assert.match(inbox.mails[2]!.subject!, /^Booking cancelled/);
    const booking = await served.database.db.selectFrom('bookings').select(['id', 'source', 'status', 'cancelled_via']).where('reference', '=', reference).executeTakeFirstOrThrow();
    assert.deepEqual({ ...booking, id: undefined }, { id: undefined, source: 'online', status: 'cancelled', cancelled_via: 'online' });
    const events = await served.database.db.selectFrom('events').select(['type', 'source']).where('object_id', '=', booking.id).orderBy('seq').execute();
    assert.deepEqual(events.map((e) => `${e.type}:${e.source}`), ['booking.created:online', 'booking.rescheduled:online', 'booking.cancelled:online']);

    // 5. The same slot from the page and through the API: the API first, then the page is told why and shown fresh times.
    // Opened at a service, the HTML preloads the shop and its free times (Link: rel=preload), and the page's script
    // takes the preloaded answers: each is asked for once.
    const asked: string[] = [];
    const onRequest = (r: { url: () => string }) => { const u = new URL(r.url()); if (u.pathname.startsWith('/book/api/')) asked.push(u.pathname + u.search); };
    page.on('request', onRequest);
    const opened = await page.goto(`${served.url}/book/${org.slug}/${shop.location.slug}?service=${shop.haircut.id}&staff=${shop.alex.id}`);
    await page.getByRole('heading', { name: 'Choose a day and time' }).waitFor();
    page.off('request', onRequest);
    const offerUrl = `/book/api/shops/${org.slug}/locations/${shop.location.slug}`;
    const timesUrl = `${offerUrl}/availability?service=${shop.haircut.id}&staff=${shop.alex.id}`;
    assert.equal(opened!.headers()['link'], `<${offerUrl}>; rel=preload; as=fetch; crossorigin=anonymous, <${timesUrl}>; rel=preload; as=fetch; crossorigin=anonymous`);
    assert.equal(asked.filter((u) => u === offerUrl).length, 1, asked.join(' '));
    assert.equal(asked.filter((u) => u === timesUrl).length, 1, asked.join(' '));
    await act(dayButton(day));
    const contested = page.getByRole('group', { name: /^Free times on/ }).getByRole('button').nth(3);
    const contestedTime = await contested.innerText();
    await act(contestedTime);
    await fill('First name', 'Sam');
    await fill('Last name', 'Race');
    await fill('Email', `race-${run.engine}@example.com`);
    await act('Continue');
    await page.getByRole('heading', { name: 'Check and confirm' }).waitFor();
    const slots = await (await fetch(`${served.url}/v1/locations/${shop.location.slug}/availability?service=${shop.haircut.id}&staff=${shop.alex.id}&from=${day}&to=${day}`, { headers: { authorization: `Bearer ${org.writeKey}` } })).json() as { slots: { starts_at: string }[] };
    const target = slots.slots.find((s) => londonTime(s.starts_at) === contestedTime)!;
    const apiBook = () => fetch(`${served.url}/v1/bookings`, { method: 'POST', headers: { authorization: `Bearer ${org.writeKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ location: shop.location.slug, service: shop.haircut.id, staff: shop.alex.id, starts_at: target.starts_at, client: { first_name: 'Api', email: `api-${run.engine}@example.com` } }) });
    assert.equal((await apiBook()).status, 201);
    await act('Confirm booking');
    const reason = page.getByRole('alert').filter({ hasText: 'just been taken' });
    await reason.waitFor();
    assert.match(await reason.innerText(), /overlaps booking/);
    await page.getByRole('heading', { name: 'Choose a day and time' }).waitFor();
    await page.getByRole('group', { name: /^Free times on/ }).getByRole('button').first().waitFor();
    assert.equal(await page.getByRole('group', { name: /^Free times on/ }).getByRole('button', { name: contestedTime, exact: true }).count(), 0, 'no longer offered');
    await axe('time taken meanwhile');

    // …and truly at once: exactly one of the two wins.
    const next = await page.getByRole('group', { name: /^Free times on/ }).getByRole('button').nth(4);
    const nextTime = await next.innerText();
    await act(nextTime);
    await act('Continue');
    await page.getByRole('heading', { name: 'Check and confirm' }).waitFor();
    const other = slots.slots.find((s) => londonTime(s.starts_at) === nextTime)!;
    const [apiAnswer] = await Promise.all([
      fetch(`${served.url}/v1/bookings`, { method: 'POST', headers: { authorization: `Bearer ${org.writeKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ location: shop.location.slug, service: shop.haircut.id, staff: shop.alex.id, starts_at: other.starts_at, client: { first_name: 'Api', email: `api2-${run.engine}@example.com` } }) }),
      act('Confirm booking'),
    ]);
    const outcome = await Promise.race([
      page.getByRole('heading', { name: "You're booked" }).waitFor().then(() => 'booked'),
      page.getByRole('alert').first().waitFor().then(async () => `alert: ${await page.getByRole('alert').first().innerText()}`),
    ]);
    if (apiAnswer.status === 201) assert.match(outcome, /^alert: .*just been taken/, 'the API won: the page says why');
    else assert.equal(outcome, 'booked', `the page won (the API answered ${apiAnswer.status})`);
    const live = await served.database.db.selectFrom('bookings').select('id').where('org_id', '=', org.orgId).where('status', '=', 'confirmed').where('start_ms', '=', Date.parse(other.starts_at)).execute();
    assert.equal(live.length, 1);

    assert.deepEqual(problems, [], 'no script errors or CSP violations');
  });
}

test('bad addresses: an unknown shop and a location not taking bookings say so, never a stack trace', async () => {
  const served = await serveHub();
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    await page.goto(`${served.url}/book/no-such-shop`);
    await page.getByRole('heading', { name: 'Online booking is not available here' }).waitFor();
    await page.getByText('There is no shop at this address').waitFor();
    const org = await seedOrg(served.database);
    const shop = await seedShop(served.database, org.orgId, Date.now());
    await page.goto(`${served.url}/book/${org.slug}/${shop.location.slug}`);
    await page.getByText('Salon is not taking bookings online').waitFor();
    await page.goto(`${served.url}/book/${org.slug}#manage=${'A'.repeat(43)}`);
    await page.getByText('This link does not open a booking').waitFor();
  } finally {
    await context.close();
    await served.close();
  }
});
