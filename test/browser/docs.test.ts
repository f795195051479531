import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveHub, type Served } from './serve.js';
import { createDemoOrg, type DemoResult } from '../../src/modules/demo/demo.service.js';

/**
 * Issue 14.2 and 14.5 in a real browser: the reference page at /docs loads without a CSP violation or script
 * error, and "Try it out" on "Create a booking", pressed as printed, books in the demo shop.
 */
let served: Served;
let demo: DemoResult;
let browser: Browser;
let page: Page;
const problems: string[] = [];

before(async () => {
  served = await serveHub();
  demo = await createDemoOrg(served.database);
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
});
after(async () => {
  await browser?.close();
  await served?.close();
});

test('/docs renders every operation with no CSP violation or script error', async () => {
  await page.goto(`${served.url}/docs`);
  await page.waitForSelector('#operations-Bookings-createBooking');
  assert.ok((await page.locator('.opblock').count()) >= 15);
  assert.equal(await page.title(), 'Setora API reference');
  assert.deepEqual(problems, []);
});

test('"Try it out" on Create a booking, with the printed example and the demo key, answers 201', async () => {
  await page.click('.auth-wrapper .authorize');
  await page.fill('.modal-ux input', demo.apiKey);
  await page.click('.modal-ux .auth-btn-wrapper .authorize');
  await page.click('.modal-ux .btn-done');

  const op = page.locator('#operations-Bookings-createBooking');
  await op.locator('.opblock-summary').click();
  await op.locator('.try-out__btn').click();
  const body = JSON.parse(await op.locator('textarea.body-param__text').inputValue());
  assert.equal(body.service, 'svc_4kw618ey0dw6b3x6');
  assert.ok(Date.parse(body.starts_at) > Date.now(), 'the example time is in the future');
  await op.locator('.execute').click();
  const status = op.locator('.live-responses-table tbody .response-col_status').first();
  await status.waitFor();
  assert.equal((await status.innerText()).trim(), '201', await op.locator('.live-responses-table').innerText());
  assert.deepEqual(problems, []);
});
