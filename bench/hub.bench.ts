import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { ensureHubBuilt, distDir } from '../hub/build.mjs';
import { createOrgWithOwner } from '../src/modules/orgs/orgs.service.js';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { createLocation } from '../src/modules/locations/locations.service.js';
import { createService } from '../src/modules/catalog/catalog.service.js';
import { createStaff } from '../src/modules/staff/staff.service.js';
import { addDays, localDate } from '../src/lib/zoned-date.js';
import { launchChromium, serveHub, type Served } from '../test/browser/serve.js';
import { systemActor } from '../src/modules/events/actor.js';

const DAY_BOOKINGS = 60;
const WEEK_BOOKINGS = 300;
const RUNS = 5;
const PASSWORD = 'bench password 123';
const ZONE = 'Europe/London';

/** Sum of the gzip (level 9) sizes of every JavaScript file the Hub ships. */
export function hubJsGzipBytes(): number {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  return walk(distDir).filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
}

interface BenchShop { email: string; slug: string; key: string; service: string }

/** A London salon open 08:00–20:00 every day, one 45-minute service (+15 clean-up, 15-minute grid), six staff. */
async function seedSalon(served: Served): Promise<BenchShop> {
  const database = served.database;
  const email = `bench-owner-${Date.now()}@example.com`;
  const { org } = await createOrgWithOwner(database, { name: 'Bench Salon', ownerEmail: email, ownerPassword: PASSWORD });
  const days = (start: number, end: number) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday: weekday as 1, start, end }));
  const location = await createLocation(database, systemActor(org.id), {
    slug: 'bench-salon', name: 'Bench Salon', timeZone: ZONE, address: { line1: '1 Bench Street', city: 'London', postcode: 'E1 1AA' },
    openingHours: days(8 * 60, 20 * 60), minNoticeMinutes: 0, horizonDays: 30,
  });
  const service = await createService(database, systemActor(org.id), { name: 'Cut & finish', durationMinutes: 45, bufferMinutes: 15, slotInterval: 15, priceAmount: 3500, locationIds: [location.id] });
  for (const name of ['Alex', 'Blake', 'Chris', 'Dana', 'Eli', 'Fran']) {
    await createStaff(database, systemActor(org.id), { displayName: name, locationIds: [location.id], serviceIds: [service.id], hours: [{ locationId: location.id, ranges: days(8 * 60, 20 * 60) }] });
  }
  const { plaintext } = await createApiKey(database, org.id, { label: 'bench', scope: 'read_write' });
  return { email, slug: location.slug, key: plaintext, service: service.id };
}

/**
 * `count` bookings spread over the days `from`..`to`, through the public API (the booking core's own door):
 * free slots in turn, each taken with its staff member, a slot already taken by an earlier one skipped.
 */
async function fillDays(served: Served, shop: BenchShop, from: string, to: string, count: number): Promise<void> {
  const call = (p: string, body?: unknown) => fetch(`${served.url}${p}`, {
    method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${shop.key}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined,
  });
  let made = 0;
  for (let round = 0; made < count && round < 8; round++) {
    const { slots } = await (await call(`/v1/locations/${shop.slug}/availability?service=${shop.service}&from=${from}&to=${to}`)).json() as { slots: { starts_at: string; staff_id: string }[] };
    // Every fourth slot, so that the bookings spread over each day and each week day instead of filling the mornings.
    for (const slot of slots.filter((_, i) => i % 4 === round % 4)) {
      if (made >= count) break;
      const res = await call('/v1/bookings', { location: shop.slug, service: shop.service, staff: slot.staff_id, starts_at: slot.starts_at, client: { first_name: `Client ${made}`, last_name: 'Bench', email: `client${made}@example.com` } });
      if (res.status === 201) made++;
      else await res.body?.cancel();
    }
  }
  if (made < count) throw new Error(`seeded only ${made} of ${count} bookings`);
}

/**
 * Time to interactive of a diary page, in Debian's Chromium over real HTTP: from navigation start until
 * the grid shows every booking and clicking one has opened its dialog. Median of 5 cold loads (a fresh
 * browser context each: no cache, no session reuse beyond the sign-in cookie).
 */
async function medianTti(browser: Browser, served: Served, email: string, url: string, bookings: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ timezoneId: ZONE, viewport: { width: 1366, height: 900 } });
    const signin = await context.request.post(`${served.url}/hub/api/signin`, { data: { email, password: PASSWORD }, headers: { origin: served.url } });
    if (!signin.ok()) throw new Error(`sign-in failed: ${signin.status()}`);
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction((n) => document.querySelectorAll('.booking').length >= n, bookings, { polling: 'raf', timeout: 60_000 });
    await page.locator('.booking').first().click();
    const tti = await page.waitForFunction(() => (document.querySelector('dialog[open]') ? performance.now() : 0), undefined, { polling: 'raf' });
    times.push(await tti.jsonValue());
    await context.close();
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]!);
}

/**
 * Hub figures (issues 5 and 12): total JavaScript shipped, gzip; time to interactive of the day view with 60
 * bookings in the day, and of the week view with 300 bookings in the week (next week, Monday to Sunday).
 */
export async function benchHub(): Promise<{ jsGzipBytes: number; diaryTtiMs: number; weekTtiMs: number }> {
  ensureHubBuilt({ log: () => undefined });
  const jsGzipBytes = hubJsGzipBytes();
  const served = await serveHub();
  const browser = await launchChromium();
  try {
    const day = await seedSalon(served);
    const tomorrow = addDays(localDate(Date.now(), ZONE), 1);
    await fillDays(served, day, tomorrow, tomorrow, DAY_BOOKINGS);
    const diaryTtiMs = await medianTti(browser, served, day.email, `${served.url}/diary?location=${day.slug}&date=${tomorrow}`, DAY_BOOKINGS);

    const week = await seedSalon(served);
    const today = localDate(Date.now(), ZONE);
    const monday = addDays(today, 7 - ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
    await fillDays(served, week, monday, addDays(monday, 6), WEEK_BOOKINGS);
    const weekTtiMs = await medianTti(browser, served, week.email, `${served.url}/diary?location=${week.slug}&date=${monday}&view=week`, WEEK_BOOKINGS);
    return { jsGzipBytes, diaryTtiMs, weekTtiMs };
  } finally {
    await browser.close();
    await served.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchHub(), null, 2));
}
