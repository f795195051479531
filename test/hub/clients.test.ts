import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/engines.js';
import { call, startTestApp, type TestContext } from '../helpers/app.js';
import { createApiKey } from '../../src/modules/api-keys/api-keys.service.js';
import { MONDAY_8AM, countRows, hub, memberOf, setUpShop, signUp, type HubSession } from './hub-helpers.js';

forEachEngine('hub clients', (engine) => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp(engine, {}, { now: MONDAY_8AM }); });
  after(() => ctx.close());

  const newClient = async (s: HubSession, body: Record<string, unknown>) => {
    ctx.clock.now += 1000; // distinct created_at: lists are newest first
    const res = await hub(ctx.app, s, { method: 'POST', url: '/hub/api/clients', payload: body });
    assert.equal(res.status, 201, res.raw);
    return res.body;
  };

  test('search by name, email or phone (a UK 0 matches +44); newest first; paginated', async () => {
    const owner = await signUp(ctx.app);
    const kim = await newClient(owner, { first_name: 'Kim', last_name: 'Lee', email: 'kim.lee@example.com', phone: '07700 900111' });
    const ann = await newClient(owner, { first_name: 'Ann', last_name: 'Kimber', email: 'ann@example.org' });
    await newClient(owner, { first_name: 'Bo', last_name: 'Ray', phone: '+44 20 7946 0999' });
    const ids = async (q: string) => (await hub(ctx.app, owner, { url: `/hub/api/clients?q=${encodeURIComponent(q)}` })).body.data.map((c: any) => c.id);
    assert.deepEqual(await ids('kim'), [ann.id, kim.id], 'first or last name prefix');
    assert.deepEqual(await ids('kim lee'), [kim.id], 'full name');
    assert.deepEqual(await ids('ann@'), [ann.id], 'email prefix');
    assert.deepEqual(await ids('07700 900111'), [kim.id], 'national phone');
    assert.deepEqual(await ids('900111'), [kim.id], 'part of the number');
    assert.deepEqual(await ids('%'), [], 'LIKE wildcards are literal');
    const page1 = await hub(ctx.app, owner, { url: '/hub/api/clients?limit=2' });
    assert.equal(page1.body.data.length, 2);
    assert.equal(page1.body.has_more, true);
    const page2 = await hub(ctx.app, owner, { url: `/hub/api/clients?limit=2&cursor=${encodeURIComponent(page1.body.next_cursor)}` });
    assert.deepEqual(page2.body.data.map((c: any) => c.id), [kim.id]);
    const stranger = await signUp(ctx.app);
    assert.equal((await hub(ctx.app, stranger, { url: '/hub/api/clients?q=kim' })).body.data.length, 0, 'only the org\'s own clients');
    const foreignCursor = await hub(ctx.app, stranger, { url: `/hub/api/clients?limit=2&cursor=${encodeURIComponent(page1.body.next_cursor)}` });
    assert.equal(foreignCursor.status, 400);
    assert.equal(foreignCursor.body.error.param, 'cursor');
  });

  test('create: the email or phone already on file is a 409 with the existing id', async () => {
    const owner = await signUp(ctx.app);
    const kim = await newClient(owner, { first_name: 'Kim', email: 'kim@example.com' });
    const dup = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/clients', payload: { first_name: 'Other', email: 'KIM@example.com' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'client_already_exists');
    assert.equal(dup.body.error.existing_id, kim.id);
    const bad = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/clients', payload: { first_name: 'X', phone: '123' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.param, 'phone');
    assert.equal(await countRows(ctx.database, 'clients', owner.orgId), 1);
  });

  test('client page: details, consent (with when it was given), history; edits', async () => {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const kim = await newClient(owner, { first_name: 'Kim', email: 'kim@example.com', marketing_consent: { email: true } });
    await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/bookings', payload: { location: shop.slug, service: shop.serviceId, starts_at: '2026-12-07T10:00:00Z', client: kim.id, notes: 'Likes it short' } });
    await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/bookings', payload: { location: shop.slug, service: shop.serviceId, starts_at: '2026-12-08T10:00:00Z', client: kim.id } });
    const page = await hub(ctx.app, owner, { url: `/hub/api/clients/${kim.id}` });
    assert.equal(page.status, 200);
    assert.equal(page.body.client.consent.email_marketing, true);
    assert.ok(page.body.client.consent.email_marketing_given_at);
    assert.deepEqual(page.body.bookings.map((b: any) => b.starts_at), ['2026-12-08T10:00:00Z', '2026-12-07T10:00:00Z'], 'newest first');

    const edited = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/clients/${kim.id}`, payload: { last_name: 'Lee', phone: '07700 900222', notes: 'VIP', marketing_consent: { email: false, sms: true } } });
    assert.equal(edited.status, 200, edited.raw);
    assert.equal(edited.body.phone, '+447700900222');
    assert.equal(edited.body.consent.email_marketing, false);
    assert.equal(edited.body.consent.email_marketing_given_at, null);
    assert.equal(edited.body.consent.sms_marketing, true);
    const other = await newClient(owner, { first_name: 'Other', email: 'other@example.com' });
    const clash = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/clients/${other.id}`, payload: { email: 'kim@example.com' } });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.existing_id, kim.id);
    const badEmail = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/clients/${other.id}`, payload: { email: 'not-an-email' } });
    assert.equal(badEmail.status, 400);
    assert.equal(badEmail.body.error.param, 'email');
    assert.equal((await hub(ctx.app, owner, { url: `/hub/api/clients/${other.id}` })).body.client.email, 'other@example.com', 'unchanged');
    // A walk-in's record may hold neither email nor phone (API.md §6); a shared phone is fine.
    const none = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/clients/${other.id}`, payload: { email: null, phone: '07700 900222' } });
    assert.equal(none.status, 200);
    assert.equal(none.body.email, null);
    assert.equal(none.body.phone, '+447700900222');
    const blankName = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/clients/${other.id}`, payload: { first_name: '  ' } });
    assert.equal(blankName.status, 400);
  });

  test('export: one client\'s data as a JSON download (owners and admins)', async () => {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const kim = await newClient(owner, { first_name: 'Kim', email: 'kim@example.com', notes: 'allergic to dye' });
    await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/bookings', payload: { location: shop.slug, service: shop.serviceId, starts_at: '2026-12-07T10:00:00Z', client: kim.id } });
    const res = await hub(ctx.app, owner, { url: `/hub/api/clients/${kim.id}/export` });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-disposition']), new RegExp(`^attachment; filename="setora-client-${kim.id}.json"$`));
    assert.equal(res.body.object, 'client_export');
    assert.equal(res.body.client.email, 'kim@example.com');
    assert.equal(res.body.client.notes, 'allergic to dye');
    assert.equal(res.body.bookings.length, 1);
    assert.ok(res.body.controller.name.startsWith('Shop'));
  });

  test('erase: personal fields removed, erased_at set, bookings kept but anonymised; the API sees it too', async () => {
    const owner = await signUp(ctx.app);
    const shop = await setUpShop(ctx.app, owner);
    const kim = await newClient(owner, { first_name: 'Kim', last_name: 'Lee', email: 'kim@example.com', phone: '07700 900333', notes: 'secret', marketing_consent: { email: true, sms: true } });
    const booked = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/bookings', payload: { location: shop.slug, service: shop.serviceId, starts_at: '2026-12-07T10:00:00Z', client: kim.id, notes: 'Kim\'s birthday' } });
    const erased = await hub(ctx.app, owner, { method: 'POST', url: `/hub/api/clients/${kim.id}/erase` });
    assert.equal(erased.status, 200, erased.raw);
    const c = erased.body.client;
    assert.deepEqual([c.first_name, c.last_name, c.email, c.phone, c.notes], [null, null, null, null, null]);
    assert.deepEqual(c.consent, { email_marketing: false, email_marketing_given_at: null, sms_marketing: false, sms_marketing_given_at: null });
    assert.ok(c.erased_at);
    assert.equal(erased.body.bookings.length, 1);
    assert.equal(erased.body.bookings[0].notes, null);
    assert.equal(erased.body.bookings[0].client.name, null);
    const row = await ctx.database.db.selectFrom('clients').selectAll().where('id', '=', kim.id).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).match(/kim|Lee|900333|secret/i));
    const { plaintext } = await createApiKey(ctx.database, owner.orgId, { label: 't', scope: 'read' });
    const apiBooking = await call(ctx.app, { method: 'GET', url: `/v1/bookings/${booked.body.reference}`, key: plaintext });
    assert.equal(apiBooking.body.status, 'confirmed', 'the booking is kept');
    assert.equal(apiBooking.body.client.name, null);
    assert.equal((await hub(ctx.app, owner, { url: '/hub/api/clients?q=kim' })).body.data.length, 0);
    const edit = await hub(ctx.app, owner, { method: 'PATCH', url: `/hub/api/clients/${kim.id}`, payload: { first_name: 'Kim' } });
    assert.equal(edit.status, 409);
    const reuse = await hub(ctx.app, owner, { method: 'POST', url: '/hub/api/clients', payload: { first_name: 'Kim', email: 'kim@example.com' } });
    assert.equal(reuse.status, 201, 'the email is free again');
  });

  test('staff: no export, no erase (403, nothing changes); another org\'s client is a 404', async () => {
    const owner = await signUp(ctx.app);
    const kim = await newClient(owner, { first_name: 'Kim', email: 'kim@example.com' });
    const staff = await memberOf(ctx.app, ctx.database, owner, 'staff');
    assert.equal((await hub(ctx.app, staff, { url: `/hub/api/clients/${kim.id}` })).status, 200, 'staff can see a client');
    for (const req of [{ url: `/hub/api/clients/${kim.id}/export` }, { method: 'POST' as const, url: `/hub/api/clients/${kim.id}/erase` }]) {
      const res = await hub(ctx.app, staff, req);
      assert.equal(res.status, 403, req.url);
      assert.equal(res.body.error.code, 'forbidden');
    }
    assert.equal((await hub(ctx.app, owner, { url: `/hub/api/clients/${kim.id}` })).body.client.email, 'kim@example.com');
    const stranger = await signUp(ctx.app);
    for (const req of [
      { url: `/hub/api/clients/${kim.id}` },
      { method: 'PATCH' as const, url: `/hub/api/clients/${kim.id}`, payload: { notes: 'x' } },
      { url: `/hub/api/clients/${kim.id}/export` },
      { method: 'POST' as const, url: `/hub/api/clients/${kim.id}/erase` },
    ]) {
      const res = await hub(ctx.app, stranger, req);
      assert.equal(res.status, 404, `${req.method ?? 'GET'} ${req.url}`);
      assert.equal(res.body.error.code, 'resource_not_found');
    }
    assert.equal((await hub(ctx.app, owner, { url: `/hub/api/clients/${kim.id}` })).body.client.erased_at, null);
  });
});
