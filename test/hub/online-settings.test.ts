import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { startTestApp, type TestContext } from '../helpers/app.js';
import { hub, setUpShop, signUp, type HubSession, type HubShop } from './hub-helpers.js';
import { drainMessages } from '../online/online-helpers.js';

/** Settings → Online booking and Messages in the Hub's API, and the messages on a client's page. */
forEachEngine('hub: online booking settings and messages', (engine) => {
  let ctx: TestContext;
  let owner: HubSession;
  let shop: HubShop;
  before(async () => {
    ctx = await startTestApp(engine);
    owner = await signUp(ctx.app, 'Kut & Co');
    shop = await setUpShop(ctx.app, owner);
  });
  after(() => ctx.close());

  test('the setup: page address, embed snippet, Book now link; each location off until turned on', async () => {
    const res = await hub(ctx.app, owner, { url: '/hub/api/online-booking' });
    assert.equal(res.status, 200);
    assert.match(res.body.page_url, /\/book\/kut-co$/);
    assert.match(res.body.embed_snippet, /^<iframe src="http:\/\/[^"]+\/book\/kut-co" title="Book online with Kut &amp; Co"/);
    assert.match(res.body.book_now_link, /^<a href="[^"]+\/book\/kut-co"/);
    assert.equal(res.body.locations[0].settings.enabled, false);
    assert.deepEqual(res.body.locations[0].settings, { enabled: false, contact_required: 'email', cancellation_window_hours: 24, reminder_hours: 24, max_live_bookings: 3, message: null });
    assert.equal((await hub(ctx.app, undefined, { url: `/book/api/shops/kut-co` })).status, 404);
  });

  test('turning a location on puts it on the page; bad values name their field and change nothing', async () => {
    const bad = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/online-booking/locations/${shop.locationId}`, payload: { enabled: true, cancellation_window_hours: -1 } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.param, 'cancellation_window_hours');
    assert.equal((await hub(ctx.app, undefined, { url: `/book/api/shops/kut-co` })).status, 404);
    const ok = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/online-booking/locations/${shop.locationId}`, payload: { enabled: true, contact_required: 'either', message: '  Cash or card.  ' } });
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.body.message, 'Cash or card.');
    const page = await hub(ctx.app, undefined, { url: `/book/api/shops/kut-co/locations/${shop.slug}` });
    assert.equal(page.status, 200);
    assert.equal(page.body.location.contact_required, 'either');
    assert.equal(page.body.location.message, 'Cash or card.');
    assert.deepEqual(page.body.staff.map((s: { id: string }) => s.id), [shop.staffId]);

    assert.equal((await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/online-booking/staff/${shop.staffId}`, payload: { online: false } })).status, 200);
    const without = await hub(ctx.app, undefined, { url: `/book/api/shops/kut-co/locations/${shop.slug}` });
    assert.deepEqual(without.body.staff, [], 'staff kept off the page');
    assert.deepEqual(without.body.services, [], 'and so the service nobody else does');
    assert.equal((await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/online-booking/staff/${shop.staffId}`, payload: { online: true } })).status, 200);
  });

  test('another org\'s location, service or staff: 404 like an unknown one', async () => {
    const other = await signUp(ctx.app);
    for (const url of [`/hub/api/online-booking/locations/${shop.locationId}`, `/hub/api/online-booking/services/${shop.serviceId}`, `/hub/api/online-booking/staff/${shop.staffId}`]) {
      const res = await hub(ctx.app, other, { method: 'PATCH', url, payload: url.includes('locations') ? { enabled: false } : { online: false } });
      assert.equal(res.status, 404, url);
      assert.equal(res.body.error.code, 'resource_not_found');
    }
  });

  test('Settings → Messages shows the development mailbox; the client\'s page lists what was sent to them', async () => {
    const slots = await hub(ctx.app, owner, { url: `/hub/api/availability?location=${shop.slug}&service=${shop.serviceId}&date=${nextWeekday()}` });
    const made = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/bookings', payload: { location: shop.slug, service: shop.serviceId, starts_at: slots.body.slots[0].starts_at, client: { first_name: 'Mo', last_name: 'Ali', email: 'mo@example.com' } } });
    assert.equal(made.status, 201, made.raw);
    await drainMessages(ctx.app, { sent: 1 });
    const box = await hub(ctx.app, owner, { url: '/hub/api/messages' });
    assert.equal(box.body.transport, 'mailbox');
    assert.equal(box.body.data.length, 1);
    assert.match(box.body.data[0].subject, /^Booking confirmed: Haircut at High Street/);
    assert.equal(box.body.data[0].to, 'mo@example.com');
    assert.match(box.body.data[0].text, /#manage=/);
    const other = await signUp(ctx.app);
    assert.deepEqual((await hub(ctx.app, other, { url: '/hub/api/messages' })).body.data, [], 'another shop\'s mailbox is its own');
    const list = await hub(ctx.app, owner, { url: `/hub/api/clients/${made.body.client.id}/messages` });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data.map((m: { kind: string; status: string; booking: string }) => [m.kind, m.status, m.booking]), [['confirmation', 'sent', made.body.reference]]);
    assert.equal((await hub(ctx.app, other, { url: `/hub/api/clients/${made.body.client.id}/messages` })).status, 404);
  });
});

function nextWeekday(): string {
  const d = new Date(Date.now() + 2 * 86_400_000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
