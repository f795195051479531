import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, call, type TestContext } from './helpers/app.js';
import { createDemoOrg, type DemoResult } from '../src/modules/demo/demo.service.js';
import { bookingExample, clientExample, createClientExample } from '../src/http/examples.js';

/**
 * Issue 14.2: what a newcomer presses in /docs ("Try it out") works against the demo shop as printed: the
 * examples name the first demo shop's own slug, ids and booking, and the booking times are filled in for the
 * day the document is served.
 */
let ctx: TestContext;
let demo: DemoResult;
let spec: any;
before(async () => {
  ctx = await startTestApp('sqlite');
  demo = await createDemoOrg(ctx.database);
  spec = (await call(ctx.app, { method: 'GET', url: '/v1/openapi.json' })).body;
});
after(() => ctx.close());

const requestExample = (path: string) => spec.paths[path].post.requestBody.content['application/json'].example;
/** The operation's path with each path parameter replaced by its documented example. */
function examplePath(path: string, op: any): string {
  return path.replace(/\{(\w+)\}/g, (_, name) => {
    const p = op.parameters.find((x: any) => x.in === 'path' && x.name === name);
    assert.ok(p?.example, `${path}: no example for {${name}}`);
    return encodeURIComponent(p.example);
  });
}

test('every GET with path or required query parameters answers 200 with its examples as printed', async () => {
  for (const [path, ops] of Object.entries<any>(spec.paths)) {
    const op = ops.get;
    if (!op || !path.startsWith('/v1/')) continue;
    const required = (op.parameters ?? []).filter((p: any) => p.in === 'query' && p.required);
    const query = required.map((p: any) => `${p.name}=${encodeURIComponent(p.example)}`).join('&');
    if (!path.includes('{') && !query) continue;
    if (path === '/v1/clients/{id}') continue; // client ids are random in every shop: take one from GET /v1/clients
    if (path === '/v1/events/{id}' || path === '/v1/webhook_endpoints/{id}') continue; // random ids too: take one from the list
    const url = examplePath(path, op) + (query ? `?${query}` : '');
    const res = await call(ctx.app, { method: 'GET', url, key: demo.apiKey });
    assert.equal(res.status, 200, `${url}: ${res.raw}`);
  }
});

test('create, reschedule and cancel run as printed: a new client, at a time the demo keeps free, on the documented booking', async () => {
  const created = await call(ctx.app, { method: 'POST', url: '/v1/bookings', key: demo.apiKey, payload: requestExample('/v1/bookings') });
  assert.equal(created.status, 201, created.raw);
  assert.deepEqual(Object.keys(created.body), Object.keys(bookingExample));
  assert.equal(created.body.client.name, 'Alex Morgan', 'the documented client is new to the demo shop, never matched to a demo client');
  assert.equal(created.body.staff.display_name, 'Marcus Reid');

  const reschedule = spec.paths['/v1/bookings/{reference}/reschedule'].post;
  const moved = await call(ctx.app, { method: 'POST', url: examplePath('/v1/bookings/{reference}/reschedule', reschedule), key: demo.apiKey, payload: requestExample('/v1/bookings/{reference}/reschedule') });
  assert.equal(moved.status, 200, moved.raw);
  assert.equal(moved.body.starts_at, requestExample('/v1/bookings/{reference}/reschedule').starts_at);

  const cancel = spec.paths['/v1/bookings/{reference}/cancel'].post;
  const cancelled = await call(ctx.app, { method: 'POST', url: examplePath('/v1/bookings/{reference}/cancel', cancel), key: demo.apiKey, payload: requestExample('/v1/bookings/{reference}/cancel') });
  assert.equal(cancelled.status, 200, cancelled.raw);
  assert.equal(cancelled.body.status, 'cancelled');

  const client = await call(ctx.app, { method: 'POST', url: '/v1/clients', key: demo.apiKey, payload: { ...createClientExample, email: 'another@example.com', phone: '07700 900124' } });
  assert.equal(client.status, 201, client.raw);
  assert.deepEqual(Object.keys(client.body), Object.keys(clientExample));
});

test('the live booking times move with the clock: the next weekday, 10:00 and 11:30 in London', async () => {
  const t = (await call(ctx.app, { method: 'GET', url: '/v1/openapi.json' })).body;
  const start = t.paths['/v1/bookings'].post.requestBody.content['application/json'].example.starts_at as string;
  const local = new Date(start).toLocaleString('en-GB', { timeZone: 'Europe/London', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
  assert.match(local, /^(Mon|Tue|Wed|Thu|Fri) 10:00$/);
  assert.ok(Date.parse(start) > Date.now() && Date.parse(start) < Date.now() + 4 * 86_400_000);
  // the reference page's copy (/docs/json) carries the same live times
  const ui = (await call(ctx.app, { method: 'GET', url: '/docs/json' })).body;
  assert.equal(ui.paths['/v1/bookings'].post.requestBody.content['application/json'].example.starts_at, start);
});
