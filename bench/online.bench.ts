import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureBookBuilt, bookDistDir } from '../hub/build.mjs';
import { launchChromium, serveHub } from '../test/browser/serve.js';
import { seedOrg } from '../test/helpers/app.js';
import { seedShop } from '../test/helpers/shop.js';
import { startInbox } from '../test/helpers/smtp.js';
import { updateOnlineSettings } from '../src/modules/online/online-settings.service.js';
import { createBooking } from '../src/modules/bookings/create-booking.js';
import { getAvailability } from '../src/modules/availability/availability.service.js';

const RUNS = 5;
const EMAILS = 200;

/** Sum of the gzip (level 9) sizes of every JavaScript file the booking page ships. */
export function bookJsGzipBytes(): number {
  return fs.readdirSync(path.join(bookDistDir, 'assets')).filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(fs.readFileSync(path.join(bookDistDir, 'assets', f)), { level: 9 }).length, 0);
}

/**
 * Booking page figures (issue 11): its JavaScript (gzip), and in Chromium with a 4× CPU slowdown (CDP
 * `Emulation.setCPUThrottlingRate`) the time from navigation start until the first free times are shown,
 * opening the page at a service (`?service=…&staff=any`); median of 5 cold loads (a fresh context each) after
 * one uncounted load.
 * Then client messages: emails per second delivered to a loopback SMTP server (smtp-server) by the worker.
 */
export async function benchOnline(): Promise<{ jsGzipBytes: number; firstTimesMs: number; runs: number[]; emailsPerSecond: number; emails: number }> {
  ensureBookBuilt({ log: () => undefined });
  const jsGzipBytes = bookJsGzipBytes();
  const inbox = await startInbox();
  const served = await serveHub({ env: { SMTP_URL: inbox.url } });
  const browser = await launchChromium();
  try {
    const now = Date.now();
    const org = await seedOrg(served.database, now);
    const shop = await seedShop(served.database, org.orgId, now);
    await updateOnlineSettings(served.database, org.orgId, shop.location.id, { enabled: true, max_live_bookings: 50 }, now);
    const runs: number[] = [];
    // One uncounted load first: the server's first answers (a cold availability memo, lazy module loads) are
    // not what a client meets in a running shop; the browser side stays cold (a fresh context each time).
    for (let i = -1; i < RUNS; i++) {
      const context = await browser.newContext({ timezoneId: 'Europe/London', viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto(`${served.url}/book/${org.slug}/${shop.location.slug}?service=${shop.haircut.id}&staff=any`, { waitUntil: 'commit' });
      const shown = await page.waitForFunction(() => (document.querySelector('.slots .slot') ? performance.now() : 0), undefined, { polling: 'raf', timeout: 30_000 });
      if (i >= 0) runs.push(Math.round(await shown.jsonValue()));
      await context.close();
    }
    const sorted = [...runs].sort((a, b) => a - b);

    // Emails: EMAILS bookings (so EMAILS confirmations), then the worker's passes until all are delivered.
    const from = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now + 86_400_000);
    const to = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now + 40 * 86_400_000);
    const { slots } = await getAvailability({ database: served.database }, org.orgId, shop.location.slug, { service: shop.haircut.id, from, to }, now);
    let made = 0;
    for (const slot of slots) {
      if (made >= EMAILS) break;
      try {
        await createBooking(served.database, { orgId: org.orgId, source: 'api', now: Date.now() }, {
          location: shop.location.slug, service: shop.haircut.id, staff: slot.staff_id, start: { instant: slot.starts_at },
          client: { first_name: `Client ${made}`, email: `bench${made}@example.com` },
        });
        made++;
      } catch { /* overlapping: next */ }
    }
    const before = inbox.mails.length;
    const started = performance.now();
    while (inbox.mails.length < before + made) await served.app.messages.tick();
    const seconds = (performance.now() - started) / 1000;
    return { jsGzipBytes, firstTimesMs: sorted[Math.floor(sorted.length / 2)]!, runs, emailsPerSecond: Math.round(made / seconds), emails: made };
  } finally {
    await browser.close();
    await served.close();
    await inbox.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchOnline(), null, 2));
}
