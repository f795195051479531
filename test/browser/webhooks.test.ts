import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveHub, type Served } from './serve.js';

/**
 * Settings → Developer → Webhooks in real Chromium: add an endpoint (secret shown once, with copy), see it listed,
 * disable and enable it, rotate its secret, the banner for an endpoint disabled after 3 days of failures, the
 * delivery log, delete. And a key with fine scopes and a location, made on the same page.
 */
let served: Served;
let browser: Browser;
let page: Page;
const problems: string[] = [];

before(async () => {
  served = await serveHub();
  browser = await launchChromium();
  const context = await browser.newContext({ timezoneId: 'Europe/London', locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(`${served.url}/signin`);
  // Sign up through the Hub's own API from the page, so the session cookie lands in the browser.
  const status = await page.evaluate(async () => (await fetch('/hub/api/signup', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ shop_name: 'Hook & Co', name: 'Wes Web', email: 'wes@hook.example', password: 'a long enough password' }),
  })).status);
  assert.equal(status, 201);
});
after(async () => {
  await browser?.close();
  await served?.close();
});

test('add an endpoint: the signing secret is shown once; disable, enable, rotate; the failing banner; delete', async () => {
  await page.goto(`${served.url}/settings/developer`);
  await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
  await page.getByLabel('Endpoint URL').fill('http://example.com/hooks');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.locator('.field-error, .alert').first().waitFor();
  assert.match(await page.getByRole('form', { name: 'Add a webhook endpoint' }).innerText(), /https/);

  await page.getByLabel('Endpoint URL').fill('https://example.com/hooks');
  await page.getByLabel('booking.*').check();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
  assert.match(secret, /^whsec_/);
  await page.getByRole('button', { name: 'I have stored it safely' }).click();
  assert.equal(await page.getByText(secret).count(), 0, 'the secret is gone from the page');
  const row = page.getByRole('row', { name: /example\.com\/hooks/ });
  await row.waitFor();

  await page.getByRole('button', { name: 'Disable https://example.com/hooks' }).click();
  await page.getByRole('button', { name: 'Enable https://example.com/hooks' }).click();
  await page.getByRole('button', { name: 'Disable https://example.com/hooks' }).waitFor();
  await page.getByRole('button', { name: 'Rotate secret for https://example.com/hooks' }).click();
  assert.notEqual(await page.getByRole('textbox', { name: 'Signing secret' }).inputValue(), secret);
  await page.getByRole('button', { name: 'I have stored it safely' }).click();

  // As the worker leaves it after 3 days of failures.
  await served.database.db.updateTable('webhook_endpoints').set({ status: 'disabled', disabled_reason: 'failing', disabled_at: Date.now() }).execute();
  await page.reload();
  const banner = page.getByRole('alert').filter({ hasText: 'failed every delivery for 3 days' });
  await banner.waitFor();

  await page.getByRole('button', { name: 'Delivery log for https://example.com/hooks' }).click();
  await page.getByText('No attempts yet.').waitFor();
  await page.getByRole('button', { name: 'Replay' }).click();
  await page.getByText(/event\(s\) since/).waitFor();
  await page.keyboard.press('Escape');

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete https://example.com/hooks' }).click();
  await page.getByText('No endpoints yet.').waitFor();
  assert.deepEqual(problems, []);
});

test('a key with picked scopes, shown with them in the list', async () => {
  await page.getByLabel('Label').fill('Display board');
  await page.getByLabel('pick scopes').check();
  await page.getByLabel('bookings:read').check();
  await page.getByLabel('catalog:read').check();
  await page.getByRole('button', { name: 'Create key' }).click();
  assert.match(await page.getByLabel('New API key').inputValue(), /^sk_live_/);
  await page.getByRole('button', { name: 'I have stored it safely' }).click();
  await page.getByRole('row', { name: /Display board/ }).getByText('catalog:read, bookings:read').waitFor();
  assert.deepEqual(problems, []);
});
