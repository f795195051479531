import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, serveHub, type Served } from './serve.js';

/**
 * The Hub in a real browser, as a new shop owner meets it: sign up, set up the shop, create an API key,
 * use it, see an API booking in the diary, be refused the same slot there, revoke the key. Then a staff
 * member, invited by link, who cannot reach Settings.
 */
let served: Served;
let browser: Browser;
let owner: BrowserContext;
let page: Page;
const problems: string[] = [];

before(async () => {
  served = await serveHub();
  browser = await launchChromium();
  owner = await browser.newContext({ timezoneId: 'Europe/London', locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  page = await owner.newPage();
  watch(page);
});
after(async () => {
  await browser?.close();
  await served?.close();
});

/** Script errors and CSP violations fail the suite; a 4xx answer the page expects (e.g. 401 before sign-in) does not. */
function watch(p: Page) {
  p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
}

const api = (path: string, key: string, init: RequestInit = {}) =>
  fetch(`${served.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

/** The next Monday–Friday after today in London (the shop is open then). */
function nextWeekday(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(Date.now());
  const d = new Date(`${today}T12:00:00Z`);
  do d.setUTCDate(d.getUTCDate() + 1); while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}
const londonTime = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.parse(iso));

let key = '';
let serviceId = '';
let staffId = '';
const day = nextWeekday();

test('sign up creates the shop and lands on setup', async () => {
  await page.goto(`${served.url}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByRole('link', { name: 'Create an account for your shop' }).click();
  await page.getByLabel('Shop name').fill('Fade & Bloom');
  await page.getByLabel('Your name').fill('Sam Okafor');
  await page.getByLabel('Email').fill('sam@fade-bloom.example');
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Locations' }).waitFor();
  assert.match(page.url(), /\/settings\/locations/);
  await page.getByText('Welcome to Setora').waitFor();
});

test('a location with opening hours; a validation error shows next to its field', async () => {
  await page.getByRole('button', { name: 'Add a location' }).click();
  await page.getByLabel('Name', { exact: true }).fill('High Street');
  assert.equal(await page.getByLabel('Slug').inputValue(), 'high-street');
  await page.getByLabel('Time zone').selectOption('Europe/London');
  await page.getByLabel('Address line 1').fill('112 Curtain Road');
  await page.getByLabel('Town or city').fill('London');
  await page.getByLabel('Postcode').fill('EC2A 3AH');
  await page.getByLabel('Phone').fill('12');
  await page.getByRole('button', { name: 'Create location' }).click();
  const phoneError = page.locator('.field-error[data-param="phone"]');
  await phoneError.waitFor();
  assert.match(await phoneError.innerText(), /not a possible phone number/);
  assert.equal(await page.getByLabel('Phone').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('Phone').fill('020 7946 0123');
  // a second range on Monday: 09:00–17:30 and a later one that overlaps it
  await page.getByRole('button', { name: '+ Add hours on Monday' }).click();
  await page.getByLabel('Monday from').nth(1).fill('17:00');
  await page.getByLabel('Monday until').nth(1).fill('19:00');
  await page.getByRole('button', { name: 'Create location' }).click();
  await page.getByText('From: Overlaps another range that day').waitFor();
  await page.getByRole('button', { name: 'Remove Monday 17:00–19:00' }).click();
  await page.getByRole('button', { name: 'Create location' }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByRole('heading', { name: 'Closures' }).waitFor();
});

test('a service and a staff member with hours', async () => {
  await page.getByRole('link', { name: 'Services' }).click();
  await page.getByRole('button', { name: 'Add a service' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Haircut');
  await page.getByLabel('Price').fill('25.00');
  await page.getByLabel('Duration (minutes)').fill('30');
  await page.getByLabel('Clean-up after (minutes)').fill('10');
  assert.equal(await page.getByRole('checkbox', { name: 'High Street' }).isChecked(), true);
  await page.getByRole('button', { name: 'Create service' }).click();
  await page.getByRole('cell', { name: '£25.00' }).waitFor();

  await page.getByRole('link', { name: 'Staff' }).click();
  await page.getByRole('button', { name: 'Add a staff member' }).click();
  await page.getByLabel('Name shown to clients').fill('Alex');
  await page.getByRole('checkbox', { name: 'Haircut' }).check();
  await page.getByRole('group', { name: 'Weekly hours at High Street' }).waitFor();
  await page.getByRole('button', { name: 'Create staff member' }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByRole('heading', { name: 'Time off and extra hours' }).waitFor();
});

test('Settings → Developer: a read_write key, shown once, works on the API', async () => {
  await page.getByRole('link', { name: 'Developer' }).click();
  await page.getByLabel('Label').fill('Booking widget');
  await page.getByRole('radio', { name: /read_write/ }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  await page.getByText("You won't see this again").waitFor();
  key = await page.getByLabel('New API key').inputValue();
  assert.match(key, /^sk_live_/);
  await page.getByRole('button', { name: 'Copy' }).waitFor();
  await page.getByRole('button', { name: 'I have stored it safely' }).click();
  await page.getByRole('cell', { name: 'Booking widget' }).waitFor();
  assert.equal(await page.getByText(key).count(), 0, 'the plaintext is gone from the page');

  const res = await api('/v1/locations', key);
  assert.equal(res.status, 200);
  const body = await res.json() as { data: { slug: string }[] };
  assert.deepEqual(body.data.map((l) => l.slug), ['high-street']);
  const services = await (await api('/v1/services', key)).json() as { data: { id: string }[] };
  serviceId = services.data[0]!.id;
  const staff = await (await api('/v1/staff', key)).json() as { data: { id: string }[] };
  staffId = staff.data[0]!.id;
});

let bookedAt = '';
test('a booking made through the API appears in the diary', async () => {
  const slots = await (await api(`/v1/locations/high-street/availability?service=${serviceId}&from=${day}&to=${day}`, key)).json() as { slots: { starts_at: string }[] };
  assert.ok(slots.slots.length > 3, `slots on ${day}`);
  bookedAt = slots.slots[2]!.starts_at;
  const res = await api('/v1/bookings', key, { method: 'POST', body: JSON.stringify({ location: 'high-street', service: serviceId, staff: staffId, starts_at: bookedAt, client: { first_name: 'Priya', last_name: 'Shah', email: 'priya@example.com' } }) });
  assert.equal(res.status, 201);

  await page.getByRole('link', { name: 'Diary' }).click();
  await page.getByRole('heading', { name: 'Diary' }).waitFor();
  await page.getByLabel('Date').fill(day);
  await page.getByRole('button', { name: new RegExp(`^${londonTime(bookedAt)}–.* Priya Shah, Haircut`) }).waitFor();
});

test('the same slot in the diary is refused with the reason', async () => {
  await page.getByRole('button', { name: 'New booking with Alex' }).click();
  const dialog = page.getByRole('dialog', { name: /New booking/ });
  await dialog.getByRole('group', { name: 'Free times' }).waitFor();
  assert.equal(await dialog.getByRole('button', { name: londonTime(bookedAt), exact: true }).count(), 0, 'not offered as free');
  await dialog.getByLabel('Or type a time').fill(londonTime(bookedAt));
  await dialog.getByRole('button', { name: 'New client' }).click();
  await dialog.getByLabel('First name').fill('Walk');
  await dialog.getByLabel('Email').fill('walk-in@example.com');
  await dialog.getByRole('button', { name: 'Book', exact: true }).click();
  const alert = dialog.getByRole('alert').filter({ hasText: 'already has a booking' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /overlaps booking/);

  // A free time taken through the API while the dialog is open: refused too, then no longer offered.
  const stale = await dialog.getByRole('group', { name: 'Free times' }).getByRole('button').nth(5);
  const staleTime = await stale.innerText();
  const slots = await (await api(`/v1/locations/high-street/availability?service=${serviceId}&from=${day}&to=${day}`, key)).json() as { slots: { starts_at: string }[] };
  const target = slots.slots.find((s) => londonTime(s.starts_at) === staleTime)!;
  const taken = await api('/v1/bookings', key, { method: 'POST', body: JSON.stringify({ location: 'high-street', service: serviceId, starts_at: target.starts_at, client: { first_name: 'Quick', email: 'quick@example.com' } }) });
  assert.equal(taken.status, 201);
  await dialog.getByLabel('Or type a time').fill('');
  await stale.click();
  await dialog.getByRole('button', { name: 'Book', exact: true }).click();
  await dialog.getByRole('alert').filter({ hasText: 'already has a booking' }).waitFor();
  await dialog.getByRole('button', { name: staleTime, exact: true }).waitFor({ state: 'detached' });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: new RegExp(`^${staleTime}–.* Quick, Haircut`) }).waitFor();
});

test('revoking the key: the next API call is 401 invalid_api_key', async () => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Developer' }).click();
  await page.getByRole('button', { name: 'Revoke Booking widget' }).click();
  await page.getByRole('button', { name: 'Revoke key' }).click();
  await page.getByText(/^revoked/i).waitFor();
  const res = await api('/v1/locations', key);
  assert.equal(res.status, 401);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
});

test('a staff member joins by invitation link and cannot reach Settings (menu or API)', async () => {
  await page.getByRole('link', { name: 'Team' }).click();
  await page.getByLabel('Role', { exact: true }).selectOption('staff');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await page.getByLabel('Invitation link').inputValue();
  assert.match(link, /\/invite\//);

  const staffContext = await browser.newContext({ timezoneId: 'Europe/London', viewport: { width: 390, height: 844 } });
  const staffPage = await staffContext.newPage();
  watch(staffPage);
  await staffPage.goto(link);
  await staffPage.getByRole('heading', { name: 'Join Fade & Bloom' }).waitFor();
  await staffPage.getByLabel('Your name').fill('Jo Staff');
  await staffPage.getByLabel('Email').fill('jo@fade-bloom.example');
  await staffPage.getByLabel('Choose a password').fill('another long password');
  await staffPage.getByRole('button', { name: 'Create account and join' }).click();
  await staffPage.getByRole('heading', { name: 'Diary' }).waitFor();
  const nav = staffPage.getByRole('navigation', { name: 'Main' });
  assert.equal(await nav.getByRole('link', { name: 'Diary' }).count(), 1);
  assert.equal(await nav.getByRole('link', { name: 'Settings' }).count(), 0, 'no Settings entry for staff');
  await staffPage.goto(`${served.url}/settings/developer`);
  await staffPage.getByRole('heading', { name: 'Settings are for owners and admins' }).waitFor();
  const apiAnswer = await staffPage.evaluate(async () => {
    const r = await fetch('/hub/api/keys');
    return { status: r.status, code: ((await r.json()) as { error: { code: string } }).error.code };
  });
  assert.deepEqual(apiAnswer, { status: 403, code: 'forbidden' });
  await staffContext.close();
});

test('no script errors or CSP violations on any page', () => {
  assert.deepEqual(problems, []);
});
