import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { assertAccessible, book, browserSuite, contrast, DESKTOP, focused, hubContext, inDays, PHONE, seedShop, type Shop, shortDate, signIn, watch } from './helpers.js';

/**
 * A barber's day in the diary, at desktop and phone width: outcomes shown in words, short bookings
 * readable, free times shown and chosen by keyboard, an empty time clicked to book it, a reschedule that
 * asks first, focus that follows the work, and axe-core on every state visited.
 */
const suite = browserSuite();
const { problems } = suite;

const DAY = 86_400_000;

for (const viewport of [DESKTOP, PHONE]) {
  describe(`the diary at ${viewport.width}×${viewport.height}`, () => {
    const tomorrow = inDays(1);
    const yesterday = inDays(-1);
    let shop: Shop;
    let context: BrowserContext;
    let page: Page;
    const ref: Record<string, string> = {};
    const block = (name: string) => page.locator(`.booking[data-reference="${ref[name]}"]`);
    const open = (date: string) => page.goto(`${suite.served.url}/diary?location=${shop.slug}&date=${date}`);

    before(async () => {
      shop = await seedShop(suite.served);
      // Yesterday's bookings are made while the server's clock says it is three days earlier.
      suite.served.clock.shift = -3 * DAY;
      ref.ann = (await book(suite.served, shop, { date: yesterday, time: '09:00', first: 'Ann', last: 'Archer' })).reference;
      ref.ben = (await book(suite.served, shop, { date: yesterday, time: '10:00', service: shop.beard, first: 'Ben', last: 'Baker' })).reference;
      suite.served.clock.shift = 0;
      ref.priya = (await book(suite.served, shop, { date: tomorrow, time: '09:00', first: 'Priya', last: 'Shah' })).reference;
      ref.tom = (await book(suite.served, shop, { date: tomorrow, time: '10:00', service: shop.beard, first: 'Tom', last: 'Jones' })).reference;
      ref.sam = (await book(suite.served, shop, { date: tomorrow, time: '10:15', service: shop.beard, staff: shop.blake, first: 'Sam', last: 'Lee' })).reference;
      context = await hubContext(suite.browser, viewport);
      await signIn(context, suite.served, shop.email);
      page = watch(await context.newPage(), problems);
    });
    after(() => context?.close());

    test('completed and no-show are said in words; closing the panel puts focus back on the booking', async () => {
      await open(yesterday);
      for (const [name, action, word] of [['ann', 'Mark completed', 'Completed'], ['ben', 'Mark no-show', 'No-show']] as const) {
        await block(name).click();
        const panel = page.getByRole('dialog');
        await panel.getByRole('button', { name: action }).click();
        await panel.getByText(`Marked ${word.toLowerCase()}.`).waitFor();
        if (name === 'ann') await assertAccessible(page, 'booking panel after an outcome');
        await page.keyboard.press('Escape');
        await page.waitForFunction((r) => (document.activeElement as HTMLElement | null)?.dataset.reference === r, ref[name]);
        await page.waitForFunction(([r, w]) => document.querySelector(`.booking[data-reference="${r}"]`)?.textContent?.includes(w!), [ref[name], word]);
      }
      assert.match(await block('ben').innerText(), /No-show\s*10:00\s*Ben Baker/, 'a 15-minute no-show: status, time and name on one line');
      assert.match(await block('ann').getAttribute('class') ?? '', /status-completed/);
      await assertAccessible(page, 'a past day with outcomes');
    });

    test('a 15-minute booking is one readable line: its time and name side by side, inside the block', async () => {
      await open(tomorrow);
      await block('tom').waitFor();
      const g = await block('tom').evaluate((el) => {
        const [body, time, name] = ['.booking-body', '.booking-time', 'strong'].map((s) => el.querySelector(s)!.getBoundingClientRect()) as [DOMRect, DOMRect, DOMRect];
        return { sideBySide: time.right <= name.left + 0.5 && Math.abs(time.top - name.top) < 4, inside: time.top >= body.top - 0.5 && name.bottom <= body.bottom + 0.5, nameWidth: name.width, bodyHeight: body.height };
      });
      assert.ok(g.sideBySide && g.inside && g.nameWidth > 30, JSON.stringify(g));
      assert.ok(g.bodyHeight >= 24, 'at least a 24 px target');
      const overflowing = await page.locator('.booking-body').evaluateAll((els) => els.filter((e) => e.scrollHeight > e.clientHeight + 1).length);
      assert.equal(overflowing, 0, 'no booking draws text outside itself');
    });

    test('free times are shown without choosing anything, for the service picked in one radio group', async () => {
      const freeFor = page.getByRole('radiogroup', { name: 'Free times for' });
      assert.equal(await freeFor.getByRole('radio', { name: 'Haircut' }).isChecked(), true, 'the first service by default');
      const alex = page.locator('section.diary-col').first();
      await alex.locator('.free').first().waitFor();
      assert.equal(await alex.locator('.free').first().innerText(), '08:00');
      assert.ok(!(await alex.locator('.free').allInnerTexts()).includes('08:30'), 'a haircut at 08:30 would run into the 09:00 booking');
      await freeFor.getByRole('radio', { name: 'Beard trim' }).check();
      await page.waitForFunction(() => [...document.querySelectorAll('section.diary-col')[0]!.querySelectorAll('.free')].some((e) => e.textContent === '08:30'));
    });

    test('click an empty time to book it: free times are one Tab stop moved by arrows; focus follows the client and the booking', async () => {
      const line = page.locator('.diary-times span', { hasText: '14:00' });
      await line.scrollIntoViewIfNeeded();
      const l = (await line.boundingBox())!;
      const blake = (await page.locator('section.diary-col').nth(1).boundingBox())!;
      await page.mouse.click(blake.x + blake.width * 0.7, l.y + l.height / 2 + 6);
      const dialog = page.getByRole('dialog', { name: /New booking/ });
      await dialog.waitFor();
      assert.equal(await dialog.getByLabel('With').inputValue(), shop.blake, 'the column clicked');
      const times = dialog.getByRole('radiogroup', { name: 'Free times' });
      await times.getByRole('radio', { name: '14:00' }).waitFor();
      assert.equal(await times.getByRole('radio', { name: '14:00' }).isChecked(), true, 'the time clicked');
      const small = await times.locator('input[type="radio"]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).filter((r) => r.width < 24 || r.height < 24).length);
      assert.equal(small, 0, 'every free time is at least 24 × 24 px (WCAG 2.5.8)');
      await assertAccessible(page, 'new booking dialog');

      await times.getByRole('radio', { name: '14:00' }).focus();
      await page.keyboard.press('ArrowRight');
      assert.equal(await times.getByRole('radio', { name: '14:15' }).isChecked(), true);
      assert.deepEqual(await focused(page), { tag: 'input', text: '', ref: null });
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).type), 'time', 'one Tab leaves the whole group');
      await page.keyboard.press('Shift+Tab');
      assert.equal(await times.getByRole('radio', { name: '14:15' }).evaluate((e) => e === document.activeElement), true);

      await dialog.getByLabel('Find a client').fill('Pri');
      await dialog.getByRole('button', { name: /Priya Shah/ }).click();
      await page.waitForFunction(() => document.activeElement?.classList.contains('chosen-client'));
      assert.match((await focused(page)).text, /Priya Shah/, 'focus on the client just chosen');
      await dialog.getByRole('button', { name: 'Book', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('status').filter({ hasText: 'Booked Priya Shah at 14:15 with Blake' }).waitFor();
      await page.waitForFunction(() => !!(document.activeElement as HTMLElement | null)?.dataset.reference);
      assert.match((await focused(page)).text, /^14:15 Priya Shah/, 'focus on the new booking');
    });

    test('a reschedule asks first, naming the old and new time and staff member, then says what it did', async () => {
      await block('priya').click();
      const panel = page.getByRole('dialog', { name: /Haircut · Priya Shah/ });
      await panel.getByRole('button', { name: 'Reschedule' }).click();
      await panel.getByLabel('With').selectOption(shop.blake);
      await panel.getByRole('radiogroup', { name: /Free times on/ }).getByRole('radio', { name: '11:00' }).check();
      await panel.getByRole('button', { name: 'Move booking…' }).click();
      const ask = page.getByRole('alertdialog', { name: 'Move this booking?' });
      await ask.waitFor();
      const text = await ask.innerText();
      assert.match(text, new RegExp(`From\\s+${shortDate(tomorrow)} 09:00 with Alex`));
      assert.match(text, new RegExp(`To\\s+${shortDate(tomorrow)} 11:00 with Blake Montgomery-Fairweather`));
      await assertAccessible(page, 'reschedule confirmation');
      await ask.getByRole('button', { name: 'Move booking' }).click();
      await ask.waitFor({ state: 'detached' });
      const said = panel.getByRole('status');
      await said.filter({ hasText: `Moved Priya Shah's Haircut from ${shortDate(tomorrow)} 09:00 with Alex to ${shortDate(tomorrow)} 11:00 with Blake` }).waitFor();
      await page.waitForFunction(() => document.activeElement?.hasAttribute('data-refocus'));
      await page.keyboard.press('Escape');
      await page.waitForFunction((r) => (document.activeElement as HTMLElement | null)?.dataset.reference === r, ref.priya);
      assert.equal(await page.locator('section.diary-col').nth(1).locator(`.booking[data-reference="${ref.priya}"]`).count(), 1, 'now in Blake\'s column');
    });

    test('the focus ring is at least 3:1 against what is around it, on the page and in the header', async () => {
      await page.keyboard.press('Tab');
      const today = page.getByRole('button', { name: 'Today' });
      await today.focus();
      const onPage = await today.evaluate((el) => {
        const s = getComputedStyle(el);
        return { ring: s.outlineColor, style: s.outlineStyle, width: parseFloat(s.outlineWidth), around: getComputedStyle(document.documentElement).backgroundColor, visible: el.matches(':focus-visible') };
      });
      assert.ok(onPage.visible && onPage.style !== 'none' && onPage.width >= 2, JSON.stringify(onPage));
      assert.ok(contrast(onPage.ring, onPage.around) >= 3, `page ring ${onPage.ring} on ${onPage.around}`);
      const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' });
      await nav.focus();
      const inHeader = await nav.evaluate((el) => ({ ring: getComputedStyle(el).outlineColor, around: getComputedStyle(el.closest('header')!).backgroundColor }));
      assert.ok(contrast(inHeader.ring, inHeader.around) >= 3, `header ring ${inHeader.ring} on ${inHeader.around}`);
    });
  });
}

test('no script errors or CSP violations on any page', () => {
  assert.deepEqual(problems, []);
});
