import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { assertAccessible, book, browserSuite, DESKTOP, focusedName, hubContext, inDays, PHONE, seedShop, type Shop, signIn, tabTo, today, watch } from './helpers.js';

/**
 * The flows of a barber's day that the rules used to block or hide, at desktop and phone width: a walk-in
 * already in the chair (booked now, with the rules that forbid it knowingly set aside, then marked
 * completed) and a closure over three bookings (listed first, cancelled with a reason), each by keyboard
 * alone; a day off over a booking and an erasure with a booking ahead, each asked about first.
 */
const suite = browserSuite();
const { problems } = suite;

for (const viewport of [DESKTOP, PHONE]) {
  describe(`a day's run at ${viewport.width}×${viewport.height}`, () => {
    // A date whose day and month are equal: typed the same into a date field read dd/mm or mm/dd (Chromium
    // takes the order from its own UI locale, whatever the page's). One comes within 32 days, any day.
    const closed = Array.from({ length: 40 }, (_, i) => inDays(i + 2)).find((d) => d.slice(5, 7) === d.slice(8, 10))!;
    let shop: Shop;
    let context: BrowserContext;
    let page: Page;
    const booked: string[] = [];

    before(async () => {
      shop = await seedShop(suite.served);
      for (const [time, staff, first] of [['10:00', shop.alex, 'Ada'], ['11:00', shop.blake, 'Ben'], ['14:00', shop.alex, 'Cy']] as const) {
        booked.push((await book(suite.served, shop, { date: closed, time, staff, first, last: 'Booked' })).reference);
      }
      context = await hubContext(suite.browser, viewport);
      await signIn(context, suite.served, shop.email);
      page = watch(await context.newPage(), problems);
    });
    after(() => context?.close());

    test('a walk-in in the chair now: booked with the rules set aside, then completed, by keyboard alone', async () => {
      await page.goto(`${suite.served.url}/diary?location=${shop.slug}&date=${today()}`);
      await page.getByRole('button', { name: 'New booking with Alex' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: /New booking/ });
      await dialog.waitFor();
      await tabTo(page, /^Now: the client is in the chair$/);
      await page.keyboard.press('Enter');
      await tabTo(page, /^Find a client$/);
      await page.keyboard.type('Wayne');
      await tabTo(page, /^New client$/);
      await page.keyboard.press('Enter');
      assert.equal(await focusedName(page), 'First name', 'focus on the new client\'s first field');
      assert.equal(await dialog.getByLabel('First name').inputValue(), 'Wayne');
      await tabTo(page, /^Book$/);
      await page.keyboard.press('Enter');

      // Each refusal names a rule a walk-in may break; "Book anyway" has focus, so Enter sets it aside.
      const offers: string[] = [];
      for (let i = 0; i < 6; i++) {
        const last = offers.at(-1) ?? '';
        await page.waitForFunction((prev) => !document.querySelector('dialog[open]') || (/anyway/.test(document.activeElement?.textContent ?? '') && document.activeElement?.textContent !== prev), last);
        if (!(await dialog.isVisible())) break;
        offers.push(await focusedName(page));
        if (i === 0) await assertAccessible(page, 'walk-in refused, "Book anyway" offered');
        await page.keyboard.press('Enter');
      }
      assert.ok(offers.length >= 1 && offers.every((o) => /^Book anyway, setting aside /.test(o)), JSON.stringify(offers));
      assert.match(offers[0]!, /the minimum notice/, 'a time already started is the first rule named');
      await dialog.waitFor({ state: 'detached' });

      await page.waitForFunction(() => !!(document.activeElement as HTMLElement | null)?.dataset.reference);
      assert.match(await focusedName(page), /^\d\d:\d\d Wayne, Haircut/);
      await page.keyboard.press('Enter');
      const panel = page.getByRole('dialog', { name: 'Haircut · Wayne' });
      await panel.waitFor();
      assert.match(await panel.innerText(), /Set aside\s+the minimum notice/);
      await tabTo(page, /^Mark completed$/);
      await page.keyboard.press('Enter');
      await panel.getByText('Marked completed.').waitFor();
      await assertAccessible(page, 'a walk-in marked completed');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => /Completed/.test(document.activeElement?.textContent ?? ''));
    });

    test('a closure over three bookings: listed before saving, cancelled with a reason, by keyboard alone', async () => {
      await page.goto(`${suite.served.url}/settings/locations`);
      await page.getByRole('button', { name: 'Edit High Street' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Closures' }).waitFor();
      await tabTo(page, /^Closures$/);
      await page.keyboard.press('Enter');
      assert.equal(await focusedName(page), 'Closures', 'straight to the closures, past the week of hours');
      const [y, m, d] = closed.split('-');
      for (const field of [/^From$/, /^Until \(inclusive\)$/]) {
        await tabTo(page, field);
        await page.keyboard.type(`${d}${m}${y}`);
      }
      await tabTo(page, /^Reason$/);
      await page.keyboard.type('Refit');
      await page.keyboard.press('Enter');
      const ask = page.getByRole('alertdialog', { name: /^3 bookings on / });
      await ask.waitFor();
      assert.deepEqual((await ask.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+[A-Z0-9]{4}-[A-Z0-9]{4}$/, '')).map((t) => t.split(' ').slice(3).join(' ')),
        ['10:00 Ada Booked · Haircut with Alex', '11:00 Ben Booked · Haircut with Blake Montgomery-Fairweather', '14:00 Cy Booked · Haircut with Alex']);
      assert.equal(await focusedName(page), 'Reason, told to the clients');
      await assertAccessible(page, 'a closure over bookings: the question');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('We are closed for a refit, sorry');
      await tabTo(page, /^Cancel 3 bookings and save$/);
      await page.keyboard.press('Enter');
      await ask.waitFor({ state: 'detached' });
      await page.waitForFunction(() => /3 bookings cancelled/.test(document.activeElement?.textContent ?? ''));
      assert.match(await focusedName(page), /Closed on .*\. 3 bookings cancelled with the reason “We are closed for a refit, sorry”\./);

      for (const ref of booked) {
        const res = await fetch(`${suite.served.url}/v1/bookings/${ref}`, { headers: { authorization: `Bearer ${shop.key}` } });
        const b = await res.json() as { status: string; cancellation_reason: string; cancelled_via: string };
        assert.deepEqual([b.status, b.cancellation_reason, b.cancelled_via], ['cancelled', 'We are closed for a refit, sorry', 'hub']);
      }
      await page.getByText(`${closed} · Refit`).waitFor();
    });

    test('a day off over a booking and erasing a client with bookings ahead: asked first, kept knowingly', async () => {
      const off = inDays(3);
      const ref = (await book(suite.served, shop, { date: off, time: '09:00', first: 'Dee', last: 'Ahead' })).reference;
      await page.goto(`${suite.served.url}/settings/staff`);
      await page.getByRole('button', { name: 'Edit Alex' }).click();
      await page.getByLabel('Date', { exact: true }).fill(off);
      await page.getByLabel('Reason (optional)').fill('Dentist');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      const ask = page.getByRole('alertdialog', { name: /^1 booking in Alex's time off/ });
      await ask.waitFor();
      assert.match(await ask.innerText(), /09:00 Dee Ahead · Haircut with Alex/);
      await assertAccessible(page, 'a day off over a booking: the question');
      await ask.getByRole('button', { name: 'Keep it and save' }).click();
      await page.getByRole('status').filter({ hasText: 'Alex is off on' }).filter({ hasText: 'Their booking was kept.' }).waitFor();

      await page.goto(`${suite.served.url}/clients?q=Dee`);
      await page.getByRole('link', { name: 'Dee Ahead' }).click();
      await page.getByRole('button', { name: 'Erase personal data…' }).click();
      await page.getByRole('button', { name: 'Erase now' }).click();
      const erase = page.getByRole('alertdialog', { name: '1 booking ahead for Dee Ahead' });
      await erase.waitFor();
      await assertAccessible(page, 'erasing a client with a booking ahead: the question');
      await erase.getByRole('button', { name: 'Keep it and erase' }).click();
      await page.getByRole('status').filter({ hasText: 'Personal data erased. Their booking ahead was kept, without their name.' }).waitFor();
      const kept = await (await fetch(`${suite.served.url}/v1/bookings/${ref}`, { headers: { authorization: `Bearer ${shop.key}` } })).json() as { status: string; client: { name: string | null } };
      assert.deepEqual([kept.status, kept.client.name], ['confirmed', null]);
    });
  });
}

test('no script errors or CSP violations on any page', () => {
  assert.deepEqual(problems, []);
});
