import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { suggestNames } from '../src/lib/suggest.js';

/** Issue 14.7: an unknown field close to a known one says which was probably meant. */
const booking = ['location', 'service', 'staff', 'starts_at', 'client', 'notes'];

test('suggestNames: conventions, synonyms, shared words, typos; nothing for the unrelated', () => {
  assert.deepEqual(suggestNames('start_time', booking), ['starts_at']);
  assert.deepEqual(suggestNames('startsAt', booking), ['starts_at']);
  assert.deepEqual(suggestNames('service_id', booking), ['service']);
  assert.deepEqual(suggestNames('serviceId', booking), ['service']);
  assert.deepEqual(suggestNames('customer', booking), ['client']);
  assert.deepEqual(suggestNames('sevice', booking), ['service']);
  assert.deepEqual(suggestNames('note', booking), ['notes']);
  assert.deepEqual(suggestNames('cancellation_reason', ['reason']), ['reason']);
  assert.deepEqual(suggestNames('start_date', ['limit', 'cursor', 'location', 'staff', 'client', 'status', 'starts_after', 'starts_before']), ['starts_after', 'starts_before']);
  assert.deepEqual(suggestNames('page', ['limit', 'cursor']), ['cursor']);
  assert.deepEqual(suggestNames('price', booking), []);
  assert.deepEqual(suggestNames('status', booking), []);
  assert.deepEqual(suggestNames('org_id', booking), []);
  assert.deepEqual(suggestNames('__proto__', booking), []);
});

let ctx: TestContext;
let org: SeededOrg;
before(async () => {
  ctx = await startTestApp('sqlite');
  org = await seedOrg(ctx.database);
});
after(() => ctx.close());

test('over HTTP: parameter_unknown names the field and suggests the one meant, in bodies, nested objects and queries', async () => {
  const cases: { method: 'GET' | 'POST'; url: string; payload?: unknown; param: string; hint?: string }[] = [
    { method: 'POST', url: '/v1/bookings', payload: { location: org.locationSlug, service: 'svc_x', start_time: '2026-12-01T10:00:00Z', client: 'cli_x' }, param: 'start_time', hint: 'starts_at' },
    { method: 'POST', url: '/v1/bookings', payload: { location: org.locationSlug, service_id: 'svc_x', starts_at: '2026-12-01T10:00:00Z', client: 'cli_x' }, param: 'service_id', hint: 'service' },
    { method: 'POST', url: '/v1/bookings', payload: { location: org.locationSlug, service: 'svc_x', starts_at: '2026-12-01T10:00:00Z', client: { first_name: 'Alex', lastName: 'Morgan' } }, param: 'client.lastName', hint: 'last_name' },
    { method: 'POST', url: '/v1/bookings/ABCD-EFGH/cancel', payload: { cancellation_reason: 'ill' }, param: 'cancellation_reason', hint: 'reason' },
    { method: 'POST', url: '/v1/bookings/ABCD-EFGH/reschedule', payload: { start: '2026-12-01T10:00:00Z' }, param: 'start', hint: 'starts_at' },
    { method: 'POST', url: '/v1/clients', payload: { first_name: 'Alex', surname: 'Morgan' }, param: 'surname', hint: 'last_name' },
    { method: 'GET', url: '/v1/bookings?location_id=x', param: 'location_id', hint: 'location' },
    { method: 'POST', url: '/v1/bookings', payload: { location: org.locationSlug, service: 'svc_x', starts_at: '2026-12-01T10:00:00Z', client: 'cli_x', price: 1 }, param: 'price' },
  ];
  for (const c of cases) {
    const res = await call(ctx.app, { method: c.method, url: c.url, key: org.writeKey, ...(c.payload ? { payload: c.payload as object } : {}) });
    assert.equal(res.status, 400, res.raw);
    assert.equal(res.body.error.code, 'parameter_unknown');
    assert.equal(res.body.error.param, c.param);
    if (c.hint) assert.ok(res.body.error.message.endsWith(`Did you mean \`${c.hint}\`?`), res.body.error.message);
    else assert.ok(!res.body.error.message.includes('Did you mean'), res.body.error.message);
  }
});
