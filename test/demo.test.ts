import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, call, type TestContext } from './helpers/app.js';
import { createDemoOrg, type DemoResult } from '../src/modules/demo/demo.service.js';

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
});
