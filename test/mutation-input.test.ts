import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { snapshot } from './helpers/snapshot.js';

const NOW = Date.parse('2026-11-23T08:00:00Z');

forEachEngine('mutations: bad input changes nothing', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  let shop: TestShop;
  let theirs: TestShop;
  let booking: { reference: string };
  before(async () => {
    ctx = await startTestApp(engine, {}, { now: NOW });
    org = await seedOrg(ctx.database, NOW - 1000);
    shop = await seedShop(ctx.database, org.orgId, NOW - 1000);
    const other = await seedOrg(ctx.database, NOW - 1000);
    theirs = await seedShop(ctx.database, other.orgId, NOW - 1000);
    booking = (await call(ctx.app, { method: 'POST', url: '/v1/bookings', key: org.writeKey, payload: { location: shop.location.slug, service: shop.haircut.id, staff: shop.alex.id, client: shop.client.id, starts_at: '2026-11-24T10:00:00Z' } })).body;
  });
  after(() => ctx.close());


  async function expectRefused(url: string, payload: unknown, status: number, code: string, param: string | undefined, headers: Record<string, string> = {}) {
    const before = await snapshot(ctx.database, org.orgId);
    // a JSON string body is sent as JSON, not as text
    const body = typeof payload === 'string' ? JSON.stringify(payload) : (payload as object);
    const res = await call(ctx.app, { method: 'POST', url, key: org.writeKey, payload: body, headers: { 'content-type': 'application/json', ...headers } });
    assert.equal(res.status, status, `${url} ${JSON.stringify(payload)} → ${res.raw}`);
    assert.equal(res.body.error.code, code, JSON.stringify(payload));
    assert.equal(res.body.error.param, param, JSON.stringify(payload));
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.equal(await snapshot(ctx.database, org.orgId), before, `stored data changed by ${JSON.stringify(payload)}`);
  }

  test('POST /v1/bookings: every field missing, wrong type, out of range, unknown, or another org\'s', async () => {
    const good = { location: shop.location.slug, service: shop.haircut.id, staff: shop.blake.id, client: shop.client.id, starts_at: '2026-11-25T10:00:00Z', notes: 'x' };
    const without = (k: string) => Object.fromEntries(Object.entries(good).filter(([key]) => key !== k));
    const cases: [unknown, number, string, string | undefined][] = [
      [without('location'), 400, 'parameter_missing', 'location'],
      [without('service'), 400, 'parameter_missing', 'service'],
      [without('starts_at'), 400, 'parameter_missing', 'starts_at'],
      [without('client'), 400, 'parameter_missing', 'client'],
      [{ ...good, location: 42 }, 400, 'parameter_invalid', 'location'],
      [{ ...good, service: null }, 400, 'parameter_invalid', 'service'],
      [{ ...good, staff: ['x'] }, 400, 'parameter_invalid', 'staff'],
      [{ ...good, starts_at: '2026-11-25T10:00:00' }, 400, 'parameter_invalid', 'starts_at'],
      [{ ...good, starts_at: '2026-13-25T10:00:00Z' }, 400, 'parameter_invalid', 'starts_at'],
      [{ ...good, starts_at: 1764064800000 }, 400, 'parameter_invalid', 'starts_at'],
      [{ ...good, notes: 'n'.repeat(2001) }, 400, 'parameter_invalid', 'notes'],
      [{ ...good, client: 7 }, 400, 'parameter_invalid', 'client'],
      [{ ...good, client: { last_name: 'x', email: 'a@example.com' } }, 400, 'parameter_missing', 'client.first_name'],
      [{ ...good, client: { first_name: 'A', phone: '12345' } }, 400, 'parameter_invalid', 'client.phone'],
      [{ ...good, client: { first_name: 'A', email: 'not-an-email' } }, 400, 'parameter_invalid', 'client.email'],
      [{ ...good, client: { first_name: '  ' } }, 400, 'parameter_invalid', 'client.first_name'],
      [{ ...good, client: { first_name: 'A', email: 'a@example.com', vip: true } }, 400, 'parameter_unknown', 'client.vip'],
      [{ ...good, org_id: org.orgId }, 400, 'parameter_unknown', 'org_id'],
      [{ ...good, status: 'confirmed' }, 400, 'parameter_unknown', 'status'],
      [{ ...good, price: { amount: 1, currency: 'GBP' } }, 400, 'parameter_unknown', 'price'],
      [{ ...good, location: theirs.location.slug }, 404, 'resource_not_found', 'location'],
      [{ ...good, service: theirs.haircut.id }, 404, 'resource_not_found', 'service'],
      [{ ...good, staff: theirs.alex.id }, 404, 'resource_not_found', 'staff'],
      [{ ...good, client: theirs.client.id }, 404, 'resource_not_found', 'client'],
      [[good], 400, 'parameter_invalid', undefined],
      ['just a string', 400, 'parameter_invalid', undefined],
    ];
    for (const [payload, status, code, param] of cases) await expectRefused('/v1/bookings', payload, status, code, param);
  });

  test('reschedule and cancel: bad fields and another org\'s booking', async () => {
    const r = `/v1/bookings/${booking.reference}/reschedule`;
    await expectRefused(r, {}, 400, 'parameter_missing', 'starts_at');
    await expectRefused(r, { starts_at: 'tomorrow' }, 400, 'parameter_invalid', 'starts_at');
    await expectRefused(r, { starts_at: '2026-11-25T10:00:00Z', staff: 5 }, 400, 'parameter_invalid', 'staff');
    await expectRefused(r, { starts_at: '2026-11-25T10:00:00Z', staff: theirs.blake.id }, 404, 'resource_not_found', 'staff');
    await expectRefused(r, { starts_at: '2026-11-25T10:00:00Z', location: 'x' }, 400, 'parameter_unknown', 'location');
    const c = `/v1/bookings/${booking.reference}/cancel`;
    await expectRefused(c, { reason: 12 }, 400, 'parameter_invalid', 'reason');
    await expectRefused(c, { reason: 'r'.repeat(501) }, 400, 'parameter_invalid', 'reason');
    await expectRefused(c, { why: 'x' }, 400, 'parameter_unknown', 'why');
    await expectRefused('/v1/bookings/ZZZZ-ZZZZ/cancel', {}, 404, 'resource_not_found', undefined);
  });

  test('POST /v1/clients: validation, normalisation, duplicates → 409 client_already_exists with existing_id', async () => {
    const cases: [unknown, number, string, string | undefined][] = [
      [{}, 400, 'parameter_missing', 'first_name'],
      [{ first_name: '' }, 400, 'parameter_invalid', 'first_name'],
      [{ first_name: 'A'.repeat(101), email: 'a@example.com' }, 400, 'parameter_invalid', 'first_name'],
      [{ first_name: '   ', email: 'a@example.com' }, 400, 'parameter_invalid', 'first_name'],
      [{ first_name: 'A', phone: '0207' }, 400, 'parameter_invalid', 'phone'],
      [{ first_name: 'A', email: 'a@@example.com' }, 400, 'parameter_invalid', 'email'],
      [{ first_name: 'A', email: 'a@example.com', marketing_consent: { email: 'yes' } }, 400, 'parameter_invalid', 'marketing_consent.email'],
      [{ first_name: 'A', email: 'a@example.com', marketing_consent: { post: true } }, 400, 'parameter_unknown', 'marketing_consent.post'],
      [{ first_name: 'A', email: 'a@example.com', id: 'cli_x' }, 400, 'parameter_unknown', 'id'],
    ];
    for (const [payload, status, code, param] of cases) await expectRefused('/v1/clients', payload, status, code, param);
    const ok = await call(ctx.app, { method: 'POST', url: '/v1/clients', key: org.writeKey, payload: { first_name: ' Nia ', last_name: 'Mensah', email: 'NIA@Example.com', phone: '07911 123456', notes: 'Allergic to nuts', marketing_consent: { sms: true } } });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.first_name, 'Nia');
    assert.equal(ok.body.email, 'nia@example.com');
    assert.equal(ok.body.phone, '+447911123456');
    assert.deepEqual(ok.body.consent, { email_marketing: false, email_marketing_given_at: null, sms_marketing: true, sms_marketing_given_at: '2026-11-23T08:00:00Z' });
    await expectRefused('/v1/clients', { first_name: 'Other', email: 'nia@EXAMPLE.com' }, 409, 'client_already_exists', 'email');
    const dup = await call(ctx.app, { method: 'POST', url: '/v1/clients', key: org.writeKey, payload: { first_name: 'Other', email: ' Nia@example.COM ' } });
    assert.equal(dup.body.error.existing_id, ok.body.id);
    // A phone may be shared (a parent books for a child); a walk-in may give neither email nor phone.
    const child = await call(ctx.app, { method: 'POST', url: '/v1/clients', key: org.writeKey, payload: { first_name: 'Kofi', last_name: 'Mensah', phone: '+44 7911 123456' } });
    assert.equal(child.status, 201);
    assert.equal(child.body.phone, '+447911123456');
    const walkIn = await call(ctx.app, { method: 'POST', url: '/v1/clients', key: org.writeKey, payload: { first_name: 'Jo' } });
    assert.equal(walkIn.status, 201);
    assert.equal(walkIn.body.email, null);
    // another org may hold the same email
    const theirsOk = await seedOrg(ctx.database);
    assert.equal((await call(ctx.app, { method: 'POST', url: '/v1/clients', key: theirsOk.writeKey, payload: { first_name: 'Nia', email: 'nia@example.com' } })).status, 201);
  });

  test('transport errors on POST: invalid JSON, non-JSON content type, body over 1 MiB', async () => {
    const before = await snapshot(ctx.database, org.orgId);
    const bad = await call(ctx.app, { method: 'POST', url: '/v1/clients', key: org.writeKey, headers: { 'content-type': 'application/json' }, payload: '{"first_name": "A",' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_json');
    const text = await call(ctx.app, { method: 'POST', url: '/v1/clients', key: org.writeKey, headers: { 'content-type': 'text/plain' }, payload: 'first_name=A' });
    assert.equal(text.status, 415);
    assert.equal(text.body.error.code, 'unsupported_media_type');
    const form = await call(ctx.app, { method: 'POST', url: '/v1/clients', key: org.writeKey, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'first_name=A' });
    assert.equal(form.status, 415);
    const huge = await call(ctx.app, { method: 'POST', url: '/v1/clients', key: org.writeKey, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ first_name: 'A', notes: 'x'.repeat(1024 * 1024 + 10) }) });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, 'payload_too_large');
    const proto = await call(ctx.app, { method: 'POST', url: '/v1/clients', key: org.writeKey, headers: { 'content-type': 'application/json' }, payload: '{"first_name":"A","email":"p@example.com","__proto__":{"admin":true}}' });
    assert.equal(proto.status, 400);
    assert.equal(proto.body.error.code, 'parameter_unknown');
    assert.equal(await snapshot(ctx.database, org.orgId), before);
  });
});
