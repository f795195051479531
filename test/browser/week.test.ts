import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { addDays } from '../../src/lib/zoned-date.js';
import { assertAccessible, book, browserSuite, DESKTOP, focused, hubContext, inDays, PHONE, seedShop, type Shop, shortDate, signIn, today, watch } from './helpers.js';

/**
 * The week view and moving bookings, at desktop and phone width: a location's week and one staff
 * member's; a booking dragged to another day, and one moved by keyboard alone to another staff member,
 * each confirmed in words first; a move the server refuses shows its reason and changes nothing.
 */
const suite = browserSuite();
const { problems } = suite;

/** Next week's Monday: its days are all ahead, whatever today is. */
const monday = addDays(inDays(7), -((new Date(`${today()}T00:00:00Z`).getUTCDay() + 6) % 7));
const [tue, wed, thu] = [1, 2, 3].map((n) => addDays(monday, n)) as [string, string, string];

for (const viewport of [DESKTOP, PHONE]) {
  describe(`the week view at ${viewport.width}×${viewport.height}`, () => {
    let shop: Shop;
    let context: BrowserContext;
    let page: Page;
    const ref: Record<string, string> = {};
    const block = (name: string) => page.locator(`.booking[data-reference="${ref[name]}"]`);
    const column = (i: number) => page.locator('section.diary-col').nth(i);
    const week = (staff?: string) => page.goto(`${suite.served.url}/diary?location=${shop.slug}&date=${tue}&view=week${staff ? `&staff=${staff}` : ''}`);

    before(async () => {
      shop = await seedShop(suite.served);
      ref.priya = (await book(suite.served, shop, { date: tue, time: '09:00', first: 'Priya', last: 'Shah' })).reference;
      ref.sam = (await book(suite.served, shop, { date: tue, time: '10:15', service: shop.beard, staff: shop.blake, first: 'Sam', last: 'Lee' })).reference;
      ref.tom = (await book(suite.served, shop, { date: wed, time: '10:00', service: shop.beard, first: 'Tom', last: 'Jones' })).reference;
      context = await hubContext(suite.browser, viewport);
      await signIn(context, suite.served, shop.email);
      page = watch(await context.newPage(), problems);
    });
    after(() => context?.close());

    test('a location\'s week: a column per day with everyone\'s bookings; then one staff member\'s week', async () => {
      await week();
      await page.getByRole('group', { name: /^Week of Monday/ }).waitFor();
      assert.equal(await page.locator('section.diary-col').count(), 7);
      await block('tom').waitFor();
      assert.equal(await column(1).locator('.booking').count(), 2, 'Tuesday: Alex\'s and Blake\'s bookings side by side');
      assert.match(await block('sam').innerText(), /10:15\s*Sam Lee/);
      assert.match(await column(1).getAttribute('aria-label') ?? '', /^Tuesday, .*: 2 bookings$/);
      await assertAccessible(page, 'a location\'s week');

      await page.getByLabel('Whose week').selectOption(shop.blake);
      await page.getByRole('heading', { name: /^Blake Montgomery-Fairweather · High Street · week of/ }).waitFor();
      await block('priya').waitFor({ state: 'detached' });
      assert.equal(await page.locator('.booking').count(), 1, 'only Blake\'s booking');
      assert.match(page.url(), new RegExp(`staff=${shop.blake}`));
      await assertAccessible(page, 'one staff member\'s week');
    });

    test('drag a booking to another day and time: asked first, in words, then moved', async () => {
      await week();
      await block('tom').scrollIntoViewIfNeeded();
      const from = (await block('tom').boundingBox())!;
      const noon = page.locator('.diary-times span', { hasText: '12:00' });
      const line = (await noon.boundingBox())!;
      const thursday = (await column(3).boundingBox())!;
      await page.mouse.move(from.x + 10, from.y + 5);
      await page.mouse.down();
      await page.mouse.move(from.x + 30, from.y + 40, { steps: 4 });
      await page.mouse.move(thursday.x + 20, line.y + line.height / 2 + 5, { steps: 6 });
      await page.locator('.booking-ghost').filter({ hasText: '12:00' }).waitFor();
      await page.mouse.up();
      const ask = page.getByRole('alertdialog', { name: 'Move this booking?' });
      await ask.waitFor();
      const text = await ask.innerText();
      assert.match(text, new RegExp(`From\\s+${shortDate(wed)} 10:00 with Alex`));
      assert.match(text, new RegExp(`To\\s+${shortDate(thu)} 12:00 with Alex`));
      await assertAccessible(page, 'move confirmation after a drag');
      await ask.getByRole('button', { name: 'Move booking' }).click();
      await page.getByRole('status').filter({ hasText: `Moved Tom Jones's Beard trim from ${shortDate(wed)} 10:00 with Alex to ${shortDate(thu)} 12:00 with Alex` }).waitFor();
      await column(3).locator(`.booking[data-reference="${ref.tom}"]`).waitFor();
      assert.match(await block('tom').innerText(), /12:00\s*Tom Jones/);
    });

    test('move by keyboard alone: M, arrows to another time and staff member, Enter, Enter', async () => {
      await page.goto(`${suite.served.url}/diary?location=${shop.slug}&date=${tue}`);
      await block('sam').focus();
      await page.keyboard.press('m');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowLeft');
      await page.getByText(`Moving Sam Lee to ${shortDate(tue)} 11:00 with Alex. Arrow keys move it, Enter confirms, Escape cancels.`).waitFor();
      await page.keyboard.press('Enter');
      const ask = page.getByRole('alertdialog', { name: 'Move this booking?' });
      await ask.waitFor();
      assert.match(await ask.innerText(), new RegExp(`From\\s+${shortDate(tue)} 10:15 with Blake Montgomery-Fairweather\\s+To\\s+${shortDate(tue)} 11:00 with Alex`));
      assert.equal((await focused(page)).text, 'Move booking', 'focus on the answer');
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Moved Sam Lee\'s Beard trim' }).waitFor();
      await page.waitForFunction((r) => (document.activeElement as HTMLElement | null)?.dataset.reference === r, ref.sam);
      assert.equal(await column(0).locator(`.booking[data-reference="${ref.sam}"]`).count(), 1, 'now in Alex\'s column');
    });

    test('a move the server refuses shows its reason in the question and leaves the booking where it was', async () => {
      await week(shop.alex);
      await block('priya').focus();
      await page.keyboard.press('m');
      for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      const ask = page.getByRole('alertdialog', { name: 'Move this booking?' });
      assert.match(await ask.innerText(), new RegExp(`To\\s+${shortDate(tue)} 11:00 with Alex`));
      await page.keyboard.press('Enter');
      const refused = ask.getByRole('alert');
      await refused.waitFor();
      assert.match(await refused.innerText(), /overlaps booking/);
      await assertAccessible(page, 'a refused move');
      await ask.getByRole('button', { name: 'Keep it where it is' }).click();
      await ask.waitFor({ state: 'detached' });
      assert.match(await block('priya').innerText(), /09:00\s*Priya Shah/);
    });
  });
}

test('no script errors or CSP violations on any page', () => {
  assert.deepEqual(problems, []);
});
