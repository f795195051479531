import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { DESKTOP, PHONE, assertAccessible, browserSuite, hubContext, watch as watchPage } from './helpers.js';

/**
 * The Hub in a real suite.browser, as a new shop owner meets it: sign up, set up the shop (every day's mistakes
 * in the hours shown at once, nothing closed or dropped without asking), create an API key, use it, see an
 * API booking in the diary, be refused the same slot there, revoke the key. Then a staff member, invited by
 * link, who cannot reach Settings. axe-core on every page and dialog visited.
 */
const suite = browserSuite();
const { problems } = suite;
let owner: BrowserContext;
let page: Page;

before(async () => {
  await suite.ready;
  owner = await hubContext(suite.browser, DESKTOP);
  page = watchPage(await owner.newPage(), problems);
});

const api = (path: string, key: string, init: RequestInit = {}) =>
  fetch(`${suite.served.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

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
  await page.goto(`${suite.served.url}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await assertAccessible(page, 'sign in');
  await page.getByRole('link', { name: 'Create an account for your shop' }).click();
  await page.getByLabel('Shop name').fill('Fade & Bloom');
  await page.getByLabel('Your name').fill('Sam Okafor');
  await page.getByLabel('Email').fill('sam@fade-bloom.example');
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Locations' }).waitFor();
  assert.match(page.url(), /\/settings\/locations/);
  await page.getByText('Welcome to Setora').waitFor();
  await assertAccessible(page, 'locations, first visit');
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
  await assertAccessible(page, 'location form with a field error');
  await page.getByLabel('Phone').fill('020 7946 0123');
  // Overlapping ranges on Monday and on Wednesday, and a range that ends before it starts on Friday:
  // all three are reported by one press of the button, each beside its time.
  for (const day of ['Monday', 'Wednesday']) {
    await page.getByRole('button', { name: `+ Add hours on ${day}` }).click();
    await page.getByLabel(`${day} from`).nth(1).fill('17:00');
    await page.getByLabel(`${day} until`).nth(1).fill('19:00');
  }
  await page.getByLabel('Friday until').fill('08:00');
  await page.getByRole('button', { name: 'Create location' }).click();
  await page.getByText('3 times need fixing in the opening hours.').waitFor();
  assert.equal(await page.getByText('From: Overlaps another range that day').count(), 2);
  assert.equal(await page.getByText('Until: Must be later than the opening time').count(), 1);
  assert.equal(await page.getByLabel('Monday from').nth(1).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).getAttribute('aria-label')), 'Monday from', 'focus on the first time to fix');
  await assertAccessible(page, 'location form with three mistakes in the hours');
  await page.getByRole('button', { name: 'Remove Monday 17:00–19:00' }).click();
  await page.getByRole('button', { name: 'Remove Wednesday 17:00–19:00' }).click();
  await page.getByLabel('Friday until').fill('17:30');

  // Copying a closed Monday to the weekdays asks first; kept, nothing changes.
  await page.getByRole('button', { name: /^Remove Monday 09:00/ }).click();
  await page.getByRole('button', { name: 'Copy Monday to Tuesday–Friday' }).click();
  const ask = page.getByRole('alertdialog', { name: 'Close Tuesday to Friday?' });
  await ask.waitFor();
  await assertAccessible(page, 'copy a closed Monday: the question');
  await ask.getByRole('button', { name: 'Keep their hours' }).click();
  assert.equal(await page.getByLabel('Tuesday from').inputValue(), '09:00');
  await page.getByRole('button', { name: '+ Open on Monday' }).click();
  await page.getByRole('button', { name: 'Copy Monday to Tuesday–Friday' }).click();
  assert.equal(await page.getByRole('alertdialog').count(), 0, 'Monday open: copied without asking');
  assert.equal(await page.getByLabel('Tuesday until').inputValue(), '17:00');
  await page.getByRole('button', { name: 'Create location' }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByRole('heading', { name: 'Closures' }).waitFor();
});

test('a service and a staff member with hours', async () => {
  await page.getByRole('link', { name: 'Services' }).click();
  await page.getByRole('button', { name: 'Add a service' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Haircut');
  // Leaving a form with edits asks first; "Keep editing" keeps them.
  await page.getByRole('link', { name: 'Staff' }).click();
  const leave = page.getByRole('alertdialog', { name: 'Leave without saving?' });
  await leave.waitFor();
  assert.match(await leave.innerText(), /Your changes to the new service have not been saved/);
  await assertAccessible(page, 'leave an edited form: the question');
  await leave.getByRole('button', { name: 'Keep editing' }).click();
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Haircut');
  assert.match(page.url(), /\/settings\/services/);
  await page.getByLabel('Price').fill('25.00');
  await page.getByLabel('Duration (minutes)').fill('30');
  await page.getByLabel('Clean-up after (minutes)').fill('10');
  assert.equal(await page.getByRole('checkbox', { name: 'High Street' }).isChecked(), true);
  await page.getByRole('button', { name: 'Create service' }).click();
  await page.getByRole('cell', { name: '£25.00' }).waitFor();
  await assertAccessible(page, 'services');

  await page.getByRole('link', { name: 'Staff' }).click();
  await page.getByRole('button', { name: 'Add a staff member' }).click();
  await page.getByLabel('Name shown to clients').fill('Alex');
  await page.getByRole('checkbox', { name: 'Haircut' }).check();
  await page.getByRole('group', { name: 'Weekly hours at High Street' }).waitFor();
  await page.getByRole('button', { name: 'Create staff member' }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByRole('heading', { name: 'Time off and extra hours' }).waitFor();
  await assertAccessible(page, 'staff member form');
  // Saved: leaving no longer asks. Edited again and left by "Leave without saving": the edit is gone.
  await page.getByLabel('Title').fill('Senior barber');
  await page.getByRole('button', { name: 'Back to staff' }).click();
  await page.getByRole('alertdialog', { name: 'Leave without saving?' }).getByRole('button', { name: 'Leave without saving' }).click();
  await page.getByRole('button', { name: 'Edit Alex' }).waitFor();
  assert.equal(await page.getByText('Senior barber').count(), 0);
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
  await assertAccessible(page, 'developer, a new key shown once');
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
  await page.getByRole('button', { name: new RegExp(`^${londonTime(bookedAt)} Priya Shah, Haircut · online`) }).waitFor();
  await assertAccessible(page, 'diary');
});

test('the same slot in the diary is refused with the reason', async () => {
  await page.getByRole('button', { name: 'New booking with Alex' }).click();
  const dialog = page.getByRole('dialog', { name: /New booking/ });
  const free = dialog.getByRole('radiogroup', { name: 'Free times' });
  await free.waitFor();
  assert.equal(await free.getByRole('radio', { name: londonTime(bookedAt), exact: true }).count(), 0, 'not offered as free');
  await dialog.getByLabel('Or type a time').fill(londonTime(bookedAt));
  await dialog.getByRole('button', { name: 'New client' }).click();
  await dialog.getByLabel('First name').fill('Walk');
  await dialog.getByLabel('Email').fill('walk-in@example.com');
  await dialog.getByRole('button', { name: 'Book', exact: true }).click();
  const alert = dialog.getByRole('alert').filter({ hasText: 'already has a booking' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /overlaps booking/);
  await assertAccessible(page, 'new booking refused with its reason');

  // A free time taken through the API while the dialog is open: refused too, then no longer offered.
  const stale = free.getByRole('radio').nth(5);
  const staleTime = (await stale.getAttribute('value'))!;
  const slots = await (await api(`/v1/locations/high-street/availability?service=${serviceId}&from=${day}&to=${day}`, key)).json() as { slots: { starts_at: string }[] };
  const target = slots.slots.find((s) => londonTime(s.starts_at) === staleTime)!;
  const taken = await api('/v1/bookings', key, { method: 'POST', body: JSON.stringify({ location: 'high-street', service: serviceId, starts_at: target.starts_at, client: { first_name: 'Quick', email: 'quick@example.com' } }) });
  assert.equal(taken.status, 201);
  await dialog.getByLabel('Or type a time').fill('');
  await stale.check();
  await dialog.getByRole('button', { name: 'Book', exact: true }).click();
  await dialog.getByRole('alert').filter({ hasText: 'already has a booking' }).waitFor();
  await free.getByRole('radio', { name: staleTime, exact: true }).waitFor({ state: 'detached' });
  await dialog.getByRole('button', { name: 'Close' }).click();
  // The client's details were typed: closing asks first.
  await page.getByRole('alertdialog', { name: 'Leave without saving?' }).getByRole('button', { name: 'Leave without saving' }).click();
  await page.getByRole('button', { name: new RegExp(`^${staleTime} Quick, Haircut`) }).waitFor();
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
  await assertAccessible(page, 'team, an invitation link shown');

  const staffContext = await hubContext(suite.browser, PHONE);
  const staffPage = watchPage(await staffContext.newPage(), problems);
  await staffPage.goto(link);
  await staffPage.getByRole('heading', { name: 'Join Fade & Bloom' }).waitFor();
  await assertAccessible(staffPage, 'invitation page');
  await staffPage.getByLabel('Your name').fill('Jo Staff');
  await staffPage.getByLabel('Email').fill('jo@fade-bloom.example');
  await staffPage.getByLabel('Choose a password').fill('another long password');
  await staffPage.getByRole('button', { name: 'Create account and join' }).click();
  await staffPage.getByRole('heading', { name: 'Diary' }).waitFor();
  // An owner links Jo to the staff record they work as: the diary opens on their own day.
  await page.reload();
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/hub/api/team/members/') && r.status() === 200),
    page.getByLabel('Staff record of Jo Staff').selectOption({ label: 'Alex' }),
  ]);
  await assertAccessible(page, 'team, a member linked to a staff record');
  await staffPage.reload();
  await staffPage.getByRole('heading', { name: /^My day · High Street · / }).waitFor();
  const nav = staffPage.getByRole('navigation', { name: 'Main' });
  assert.equal(await nav.getByRole('link', { name: 'Diary' }).count(), 1);
  assert.equal(await nav.getByRole('link', { name: 'Settings' }).count(), 0, 'no Settings entry for staff');
  await staffPage.goto(`${suite.served.url}/settings/developer`);
  await staffPage.getByRole('heading', { name: 'Settings are for owners and admins' }).waitFor();
  await assertAccessible(staffPage, 'settings refused to staff');
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
