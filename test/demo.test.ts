import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, call, type TestContext } from './helpers/app.js';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoOrg, type DemoResult } from '../src/modules/demo/demo.service.js';
import { DEMO_BOOKING_REFERENCE, DEMO_IDS } from '../src/modules/demo/demo-facts.js';
import { normaliseEmail, normalisePhone } from '../src/lib/contact.js';

/** Every email and UK phone number written in README, docs/, the SDK's README and the OpenAPI examples. */
function documentedContacts(): { emails: Set<string>; phones: Set<string> } {
  const root = path.resolve(import.meta.dirname, '..');
  const files = ['README.md', 'src/http/examples.ts', 'sdk/README.md', ...fs.readdirSync(path.join(root, 'docs')).map((f) => `docs/${f}`)]
    .map((f) => path.join(root, f)).filter((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  const emails = new Set<string>();
  const phones = new Set<string>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)) if (normaliseEmail(m[0])) emails.add(normaliseEmail(m[0])!);
    for (const m of text.matchAll(/(?:\+44\s?|\b0)\d[\d ]{8,12}\d/g)) {
      const phone = normalisePhone(m[0]);
      if (phone) phones.add(phone);
    }
  }
  return { emails, phones };
}

forEachEngine('the demo shop', (engine) => {
  let ctx: TestContext;
  let demo: DemoResult;
  before(async () => {
    ctx = await startTestApp(engine);
    demo = await createDemoOrg(ctx.database);
  });
  after(() => ctx.close());

  test('two London locations (one closed Sundays), 6–8 services, 5–6 staff, ~30 clients, bookings past and future', async () => {
    const key = demo.apiKey;
    const locations = (await call(ctx.app, { method: 'GET', url: '/v1/locations', key })).body.data;
    assert.equal(locations.length, 2);
    assert.ok(locations.every((l: any) => l.time_zone === 'Europe/London'));
    assert.ok(locations.some((l: any) => l.opening_hours.sunday.length === 0) && locations.some((l: any) => l.opening_hours.sunday.length > 0));
    const services = (await call(ctx.app, { method: 'GET', url: '/v1/services?limit=100', key })).body.data;
    assert.ok(services.length >= 6 && services.length <= 8);
    const durations = services.map((s: any) => s.duration_minutes);
    assert.ok(Math.min(...durations) <= 15 && Math.max(...durations) >= 120);
    assert.ok(services.some((s: any) => s.buffer_minutes > 0) && services.some((s: any) => s.slot_interval_minutes === null));
    const staff = (await call(ctx.app, { method: 'GET', url: '/v1/staff?limit=100', key })).body.data;
    assert.ok(staff.length >= 5 && staff.length <= 6);
    const clients = (await call(ctx.app, { method: 'GET', url: '/v1/clients?limit=100', key })).body.data;
    assert.ok(clients.length >= 25 && clients.length <= 35);
    const now = Date.now();
    const rows = await ctx.database.db.selectFrom('bookings').selectAll().where('org_id', '=', demo.org.id).execute();
    assert.ok(rows.some((b) => b.start_ms < now) && rows.some((b) => b.start_ms > now) && rows.some((b) => b.status === 'cancelled'));
    // every booking is one the shop could really have taken: the staff member performs the service there
    const links = await ctx.database.db.selectFrom('staff_services').select(['staff_id', 'service_id']).where('org_id', '=', demo.org.id).execute();
    const performs = new Set(links.map((l) => `${l.staff_id}/${l.service_id}`));
    for (const b of rows) assert.ok(performs.has(`${b.staff_id}/${b.service_id}`), `${b.reference}: staff does not perform the service`);
    // and a fresh availability query for the next week offers times
    const svc = services.find((s: any) => s.locations.includes('shoreditch'));
    const avail = await call(ctx.app, { method: 'GET', url: `/v1/locations/shoreditch/availability?service=${svc.id}`, key });
    assert.equal(avail.status, 200);
    assert.ok(avail.body.slots.length > 0);
  });

  test('demo contact details never collide with a documented example (issue 14.1), and the documented ids and booking exist', async () => {
    const clients = await ctx.database.db.selectFrom('clients').select(['email', 'phone']).where('org_id', '=', demo.org.id).execute();
    const documented = documentedContacts();
    assert.ok(documented.phones.has('+447700900123') && documented.emails.has('alex.morgan@example.com'), 'the scan finds the documented examples');
    for (const c of clients) {
      assert.ok(!c.email || !documented.emails.has(c.email), `demo email ${c.email} is a documented example`);
      assert.ok(!c.phone || !documented.phones.has(c.phone), `demo phone ${c.phone} is a documented example`);
      assert.ok(!c.phone || c.phone.startsWith('+441632960'), `${c.phone}: demo phones are in Ofcom's fictional 01632 960xxx range`);
      assert.ok(!c.email || c.email.endsWith('@example.org'), c.email ?? '');
    }
    // the first organisation in a database gets the documented ids
    const services = (await call(ctx.app, { method: 'GET', url: '/v1/services?limit=100', key: demo.apiKey })).body.data;
    assert.deepEqual(services.map((s: any) => s.id).sort(), Object.values(DEMO_IDS.services).sort());
    const staff = (await call(ctx.app, { method: 'GET', url: '/v1/staff?limit=100', key: demo.apiKey })).body.data;
    assert.deepEqual(staff.map((s: any) => s.id).sort(), Object.values(DEMO_IDS.staff).sort());
    const documentedBooking = await call(ctx.app, { method: 'GET', url: `/v1/bookings/${DEMO_BOOKING_REFERENCE}`, key: demo.apiKey });
    assert.equal(documentedBooking.status, 200);
    assert.equal(documentedBooking.body.staff.id, DEMO_IDS.staff.marcusReid);
    // a second demo shop in the same database: the same shop with its own ids
    const second = await createDemoOrg(ctx.database);
    const again = (await call(ctx.app, { method: 'GET', url: '/v1/services?limit=100', key: second.apiKey })).body.data;
    assert.equal(again.length, services.length);
    assert.ok(again.every((s: any) => !Object.values(DEMO_IDS.services).includes(s.id)));
  });

  test('Marcus Reid keeps 10:00-12:30 free on weekdays: no live demo booking of his touches it', async () => {
    const rows = await ctx.database.db.selectFrom('bookings').select(['start_ms', 'block_end_ms', 'status']).where('org_id', '=', demo.org.id)
      .where('staff_id', '=', DEMO_IDS.staff.marcusReid).where('status', '!=', 'cancelled').execute();
    assert.ok(rows.length > 5);
    for (const r of rows) {
      const parts = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
      const [day, start] = parts(r.start_ms).split(' ');
      const end = parts(r.block_end_ms).split(' ')[1]!;
      if (['Sat', 'Sun'].includes(day!)) continue;
      assert.ok(end <= '10:00' || start! >= '12:30', `${day} ${start}-${end} is inside the kept-free window`);
    }
  });
});
