import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createOrgWithOwner } from '../../src/modules/orgs/orgs.service.js';
import { createApiKey } from '../../src/modules/api-keys/api-keys.service.js';
import { createLocation } from '../../src/modules/locations/locations.service.js';
import { createService } from '../../src/modules/catalog/catalog.service.js';
import { createStaff } from '../../src/modules/staff/staff.service.js';
import { systemActor } from '../../src/modules/events/actor.js';
import { addDays, localDate } from '../../src/lib/zoned-date.js';
import { localToUtc } from '../../src/modules/availability/engine/index.js';
import { parseHHMM } from '../../src/lib/wall-clock.js';
import { launchChromium, serveHub, type Served } from './serve.js';

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };
export const ZONE = 'Europe/London';
export const PASSWORD = 'a long enough password';

/**
 * One server (SQLite in a temp dir, loopback) and one Chromium for a test file: started before its first
 * test, closed after its last. `problems` collects the script errors and CSP violations of every page that
 * `watch` is given; each file ends with a test that it stayed empty.
 */
export function browserSuite(): { served: Served; browser: Browser; problems: string[]; ready: Promise<void> } {
  let started!: () => void;
  const suite = { served: undefined as unknown as Served, browser: undefined as unknown as Browser, problems: [] as string[], ready: new Promise<void>((r) => { started = r; }) };
  // Other top-level `before` hooks of the file may start at the same time: they wait for `ready`.
  before(async () => {
    suite.served = await serveHub();
    suite.browser = await launchChromium();
    started();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.served?.close();
  });
  return suite;
}

/** "Tue 9 Dec", as the Hub writes a date (no zone: a calendar date). */
export const shortDate = (date: string) => new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

/** Today, tomorrow, yesterday in London (the shop's zone). */
export const today = () => localDate(Date.now(), ZONE);
export const inDays = (n: number) => addDays(today(), n);
export const at = (date: string, time: string) => new Date(localToUtc(date, parseHHMM(time), ZONE)).toISOString();

/** Script errors and CSP violations are collected; a 4xx answer the page expects (a 409, a 401 before sign-in) is not. */
export function watch(page: Page, problems: string[]): Page {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return page;
}

const AXE_FILE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_URL = '/__axe/axe.min.js';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * A browser context for the Hub at a viewport, London time, with axe-core reachable at a same-origin URL:
 * the Hub's CSP (`script-src 'self'`) stays on, so an inline injection would be refused.
 */
export async function hubContext(browser: Browser, viewport: { width: number; height: number }): Promise<BrowserContext> {
  const context = await browser.newContext({ timezoneId: ZONE, locale: 'en-GB', viewport });
  await context.route(`**${AXE_URL}`, (route) => route.fulfill({ path: AXE_FILE, contentType: 'text/javascript' }));
  return context;
}

/**
 * axe-core with the WCAG 2.0–2.2 A and AA rules (`target-size` included) on the page as it is now, open
 * dialogs included: fails on any serious or critical violation, naming the rule and the elements.
 */
export async function assertAccessible(page: Page, state: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ url: AXE_URL });
  const found = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} → ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
  }, WCAG_TAGS);
  assert.deepEqual(found, [], `axe at ${page.viewportSize()?.width}px, ${state}`);
}

/** WCAG contrast ratio of two CSS colours given as `rgb(r, g, b)`. */
export function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((x) => Number(x) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

export interface Shop {
  orgId: string; email: string; key: string; slug: string; locationId: string;
  haircut: string; beard: string; alex: string; blake: string;
}

/**
 * A London barber's with two chairs, open every day 08:00–20:00: Haircut (30 min + 10 clean-up) and
 * Beard trim (15 min), Alex and Blake (a long name, to see it is not clipped) working all week.
 */
export async function seedShop(served: Served, name = 'Fade & Bloom'): Promise<Shop> {
  const db = served.database;
  const email = `owner-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const { org } = await createOrgWithOwner(db, { name, ownerEmail: email, ownerPassword: PASSWORD });
  const week = (start: number, end: number) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday: weekday as 1, start, end }));
  const slug = `high-street-${Math.random().toString(36).slice(2, 6)}`;
  const location = await createLocation(db, systemActor(org.id), {
    slug, name: 'High Street', timeZone: ZONE, address: { line1: '112 Curtain Road', city: 'London', postcode: 'EC2A 3AH' },
    openingHours: week(8 * 60, 20 * 60), minNoticeMinutes: 0, horizonDays: 60,
  });
  // Lists are ordered by creation time: a millisecond apart, so Haircut comes first and Alex before Blake.
  const t = Date.now() - 10;
  const haircut = await createService(db, systemActor(org.id, t), { name: 'Haircut', durationMinutes: 30, bufferMinutes: 10, slotInterval: 15, priceAmount: 2500, locationIds: [location.id] });
  const beard = await createService(db, systemActor(org.id, t + 1), { name: 'Beard trim', durationMinutes: 15, bufferMinutes: 0, slotInterval: 15, priceAmount: 1200, locationIds: [location.id] });
  const staff = [];
  for (const [i, displayName] of ['Alex', 'Blake Montgomery-Fairweather'].entries()) {
    staff.push(await createStaff(db, systemActor(org.id, t + i), { displayName, locationIds: [location.id], serviceIds: [haircut.id, beard.id], hours: [{ locationId: location.id, ranges: week(8 * 60, 20 * 60) }] }));
  }
  const { plaintext } = await createApiKey(db, org.id, { label: 'seed', scope: 'read_write' });
  return { orgId: org.id, email, key: plaintext, slug, locationId: location.id, haircut: haircut.id, beard: beard.id, alex: staff[0]!.id, blake: staff[1]!.id };
}

/** A booking through the public API (the stable door for seeding), at a London date and time. */
export async function book(served: Served, shop: Shop, b: { date: string; time: string; service?: string; staff?: string; first: string; last?: string }): Promise<{ reference: string; starts_at: string }> {
  const res = await fetch(`${served.url}/v1/bookings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shop.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      location: shop.slug, service: b.service ?? shop.haircut, staff: b.staff ?? shop.alex, starts_at: at(b.date, b.time),
      client: { first_name: b.first, ...(b.last ? { last_name: b.last } : {}), email: `${b.first.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com` },
    }),
  });
  const body = await res.json() as { reference: string; starts_at: string };
  assert.equal(res.status, 201, JSON.stringify(body));
  return body;
}

/** Signs the context in as the shop's owner (the session cookie lands in the context). */
export async function signIn(context: BrowserContext, served: Served, email: string): Promise<void> {
  const res = await context.request.post(`${served.url}/hub/api/signin`, { data: { email, password: PASSWORD }, headers: { origin: served.url } });
  assert.equal(res.status(), 200);
}

/** The element that has focus: its role-ish description, for asserting where focus went. */
export const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null;
  return { tag: el?.tagName.toLowerCase() ?? '', text: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim(), ref: el?.dataset.reference ?? null };
});

/** What a screen reader would roughly call the focused element: its aria-label, its label, or its text. */
export const focusedName = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null;
  if (!el) return '';
  const labelled = (el as HTMLInputElement).labels?.[0]?.textContent;
  return (el.getAttribute('aria-label') ?? labelled ?? el.textContent ?? '').trim();
});

/** Presses Tab (keyboard only) until the focused element's name matches; fails after `max` presses. */
export async function tabTo(page: Page, name: RegExp, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (name.test(await focusedName(page))) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`no ${name} within ${max} Tab presses (last: ${await focusedName(page)})`);
}
