import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { createApiKey } from '../../src/modules/api-keys/api-keys.service.js';
import { addUserToOrg } from '../../src/modules/orgs/members.service.js';
import { setStaffLink } from '../../src/modules/hub/staff-link.js';
import type { HubPrincipal } from '../../src/modules/hub/hub-guard.js';
import { PASSWORD, PHONE, assertAccessible, book, browserSuite, hubContext, inDays, seedShop, signIn, watch, type Shop } from './helpers.js';

/**
 * The Hub on a 390 × 844 phone: a short header so the diary starts on the first screen, staff names that
 * wrap instead of being clipped, targets of at least 24 × 24 px, and no page that scrolls sideways (wide
 * tables scroll inside their own box). axe-core on every page visited.
 */
const suite = browserSuite();
const { problems } = suite;
let shop: Shop;
let context: BrowserContext;
let page: Page;
const tomorrow = inDays(1);

before(async () => {
  await suite.ready;
  shop = await seedShop(suite.served);
  await book(suite.served, shop, { date: tomorrow, time: '09:00', first: 'Priya', last: 'Shah' });
  await book(suite.served, shop, { date: tomorrow, time: '10:00', service: shop.beard, staff: shop.blake, first: 'Tom', last: 'Jones' });
  await createApiKey(suite.served.database, shop.orgId, { label: 'Booking widget on the shop website', scope: 'read' });
  context = await hubContext(suite.browser, PHONE);
  await signIn(context, suite.served, shop.email);
  page = watch(await context.newPage(), problems);
});

const noSidewaysScroll = async (where: string) => {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${where}: the page is ${scroll} px wide on a ${width} px screen`);
};

test('the diary starts on the first screen: a one-line header, a compact toolbar', async () => {
  await page.goto(`${suite.served.url}/diary?location=${shop.slug}&date=${tomorrow}`);
  await page.locator('.booking').first().waitFor();
  const header = (await page.locator('header.top').boundingBox())!;
  assert.ok(header.height <= 56, `header ${header.height} px tall`);
  const grid = (await page.locator('.diary-scroll').boundingBox())!;
  assert.ok(grid.y < PHONE.height * 0.3, `the diary starts ${grid.y} px down the screen`);
  const firstHour = (await page.locator('section.diary-col').first().boundingBox())!;
  assert.ok(firstHour.y < PHONE.height * 0.45, `its first hour starts at ${firstHour.y} px`);
  await noSidewaysScroll('day view');
  await assertAccessible(page, 'day view');
});

test('staff names wrap instead of being clipped; every target is at least 24 × 24 px', async () => {
  const clipped = await page.locator('.staff-name').evaluateAll((els) => els.filter((e) => {
    const head = e.parentElement!.getBoundingClientRect();
    const r = e.getBoundingClientRect();
    return e.scrollWidth > e.clientWidth + 1 || r.right > head.right + 1;
  }).map((e) => e.textContent));
  assert.deepEqual(clipped, []);
  assert.equal(await page.locator('.staff-name').nth(1).innerText(), 'Blake Montgomery-Fairweather');
  const small = await page.locator('main button, main a, main input, main select').evaluateAll((els) => els
    .filter((e) => (e as HTMLElement).offsetParent !== null && !e.closest('.sr-only'))
    .map((e) => ({ e, r: e.getBoundingClientRect() }))
    .filter(({ r }) => r.width < 24 || r.height < 24)
    .map(({ e, r }) => `${e.tagName} ${e.textContent?.slice(0, 20)} ${Math.round(r.width)}×${Math.round(r.height)}`));
  assert.deepEqual(small, []);
});

test('the week view scrolls inside its box, not the page', async () => {
  await page.getByRole('link', { name: 'Week' }).click();
  await page.getByRole('group', { name: /^Week of/ }).waitFor();
  await noSidewaysScroll('week view');
  await assertAccessible(page, 'week view');
});

test('clients, account and every Settings page fit the screen; their tables scroll in their own box', async () => {
  const pages: [string, string][] = [
    ['/clients', 'Clients'], ['/account', 'Account'], ['/settings/locations', 'Locations'], ['/settings/services', 'Services'],
    ['/settings/staff', 'Staff'], ['/settings/team', 'Team'], ['/settings/developer', 'Developer'],
  ];
  for (const [path, heading] of pages) {
    await page.goto(`${suite.served.url}${path}`);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.loading') && !document.body.textContent?.includes('Searching…'));
    await noSidewaysScroll(path);
    await assertAccessible(page, path);
  }
  await page.getByRole('cell', { name: 'Booking widget on the shop website' }).waitFor();
  const box = await page.getByRole('region', { name: 'API keys' }).evaluate((e) => ({ scrolls: e.scrollWidth > e.clientWidth, focusable: (e as HTMLElement).tabIndex === 0 }));
  assert.deepEqual(box, { scrolls: true, focusable: true }, 'the keys table scrolls inside a focusable region');

  await page.goto(`${suite.served.url}/settings/locations`);
  await page.getByRole('button', { name: 'Edit High Street' }).click();
  await page.getByRole('heading', { name: 'Closures' }).waitFor();
  await noSidewaysScroll('location form');
  await assertAccessible(page, 'location form');
  await page.goto(`${suite.served.url}/clients`);
  await page.getByRole('link', { name: 'Priya Shah' }).click();
  await page.getByRole('heading', { name: 'Bookings' }).waitFor();
  await noSidewaysScroll('client page');
  await assertAccessible(page, 'client page');
});

test('My day: a barber linked to their staff record opens the diary on their own column, and can see everyone\'s', async () => {
  const email = `blake-${Date.now()}@example.com`;
  const { id: userId } = await addUserToOrg(suite.served.database, shop.orgId, { email, role: 'staff', password: PASSWORD, name: 'Blake M-F' });
  await setStaffLink(suite.served.database, { orgId: shop.orgId } as HubPrincipal, userId, shop.blake, Date.now());
  const barber = await hubContext(suite.browser, PHONE);
  await signIn(barber, suite.served, email);
  const mine = watch(await barber.newPage(), problems);
  await mine.goto(`${suite.served.url}/diary?date=${tomorrow}`);
  await mine.getByRole('heading', { name: /^My day · High Street · / }).waitFor();
  assert.deepEqual(await mine.locator('.staff-name').allInnerTexts(), ['Blake Montgomery-Fairweather']);
  assert.match(await mine.locator('.booking').first().innerText(), /10:00\s*Tom Jones/);
  await assertAccessible(mine, 'my day');
  await mine.getByLabel('Whose day').selectOption('all');
  await mine.waitForFunction(() => document.querySelectorAll('.staff-name').length === 2);
  assert.match(mine.url(), /staff=all/);
  await barber.close();
});

test('no script errors or CSP violations on any page', () => {
  assert.deepEqual(problems, []);
});
