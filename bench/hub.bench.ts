import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureHubBuilt, distDir } from '../hub/build.mjs';
import { createOrgWithOwner } from '../src/modules/orgs/orgs.service.js';
import { createLocation } from '../src/modules/locations/locations.service.js';
import { createService } from '../src/modules/catalog/catalog.service.js';
import { createStaff } from '../src/modules/staff/staff.service.js';
import { createBooking } from '../src/modules/bookings/create-booking.js';
import { getAvailability } from '../src/modules/availability/availability.service.js';
import type { Database } from '../src/db/connect.js';
import { launchChromium, serveHub } from '../test/browser/serve.js';
import { systemActor } from '../src/modules/events/actor.js';

const BOOKINGS = 60;
const RUNS = 5;
const PASSWORD = 'bench password 123';

/** Sum of the gzip (level 9) sizes of every JavaScript file the Hub ships. */
export function hubJsGzipBytes(): number {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  return walk(distDir).filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
}

/** A London shop with 6 staff and 60 bookings on one day (tomorrow), made through the booking service. */
async function seedBusyDay(database: Database): Promise<{ email: string; slug: string; date: string }> {
  const email = `bench-owner-${Date.now()}@example.com`;
  const { org } = await createOrgWithOwner(database, { name: 'Bench Salon', ownerEmail: email, ownerPassword: PASSWORD });
  const days = (start: number, end: number) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday: weekday as 1, start, end }));
  const location = await createLocation(database, systemActor(org.id), {
    slug: 'bench-salon', name: 'Bench Salon', timeZone: 'Europe/London', address: { line1: '1 Bench Street', city: 'London', postcode: 'E1 1AA' },
    openingHours: days(8 * 60, 20 * 60), minNoticeMinutes: 0, horizonDays: 30,
  });
  const service = await createService(database, systemActor(org.id), { name: 'Cut & finish', durationMinutes: 45, bufferMinutes: 15, slotInterval: 15, priceAmount: 3500, locationIds: [location.id] });
  for (const name of ['Alex', 'Blake', 'Chris', 'Dana', 'Eli', 'Fran']) {
    await createStaff(database, systemActor(org.id), { displayName: name, locationIds: [location.id], serviceIds: [service.id], hours: [{ locationId: location.id, ranges: days(8 * 60, 20 * 60) }] });
  }
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(Date.now() + 86_400_000);
  let made = 0;
  for (let round = 0; made < BOOKINGS && round < 5; round++) {
    const { slots } = await getAvailability({ database }, org.id, location.slug, { service: service.id, from: date, to: date }, Date.now());
    for (const slot of slots) {
      if (made >= BOOKINGS) break;
      try {
        await createBooking(database, { orgId: org.id, source: made % 2 ? 'api' : 'hub', now: Date.now() }, {
          location: location.slug, service: service.id, staff: slot.staff_id, start: { instant: slot.starts_at },
          client: { first_name: `Client ${made}`, last_name: 'Bench', email: `client${made}@example.com` },
        });
        made++;
      } catch {
        // an overlapping slot for the same staff member: take the next one
      }
    }
  }
  if (made < BOOKINGS) throw new Error(`seeded only ${made} bookings`);
  return { email, slug: location.slug, date };
}

/**
 * Hub figures (issue 5): total JavaScript shipped, gzip; and time to interactive of the diary with 60
 * bookings in the day, in Debian's Chromium over real HTTP: from navigation start until the grid shows
 * every booking and clicking one opens its dialog. Median of 5 cold loads (a fresh browser context each).
 */
export async function benchHub(): Promise<{ jsGzipBytes: number; diaryTtiMs: number }> {
  ensureHubBuilt({ log: () => undefined });
  const jsGzipBytes = hubJsGzipBytes();
  const served = await serveHub();
  const browser = await launchChromium();
  try {
    const { email, slug, date } = await seedBusyDay(served.database);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ timezoneId: 'Europe/London', viewport: { width: 1366, height: 900 } });
      const signin = await context.request.post(`${served.url}/hub/api/signin`, { data: { email, password: PASSWORD }, headers: { origin: served.url } });
      if (!signin.ok()) throw new Error(`sign-in failed: ${signin.status()}`);
      const page = await context.newPage();
      await page.goto(`${served.url}/diary?location=${slug}&date=${date}`, { waitUntil: 'commit' });
      await page.waitForFunction((n) => document.querySelectorAll('.booking').length >= n, BOOKINGS, { polling: 'raf' });
      await page.locator('.booking').first().click();
      const tti = await page.waitForFunction(() => (document.querySelector('dialog[open]') ? performance.now() : 0), undefined, { polling: 'raf' });
      times.push(await tti.jsonValue());
      await context.close();
    }
    times.sort((a, b) => a - b);
    return { jsGzipBytes, diaryTtiMs: Math.round(times[Math.floor(times.length / 2)]!) };
  } finally {
    await browser.close();
    await served.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchHub(), null, 2));
}
