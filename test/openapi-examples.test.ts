import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, call, type TestContext } from './helpers/app.js';
import { createDemoOrg, type DemoResult } from '../src/modules/demo/demo.service.js';
import { CreateBookingBody, RescheduleBody, CancelBody } from '../src/modules/bookings/bookings.routes.js';
import { Booking } from '../src/modules/bookings/bookings.schemas.js';
import { Client, CreateClientBody } from '../src/modules/clients/clients.schemas.js';
import { Event } from '../src/modules/events/events.schemas.js';
import { CreateWebhookEndpointBody, UpdateWebhookEndpointBody, WebhookEndpoint, WebhookEndpointWithSecret } from '../src/modules/webhooks/webhooks.schemas.js';
import { bookingExample, clientExample, createBookingExample, createClientExample, locationExample, serviceExample, staffExample, availabilityExample } from '../src/http/examples.js';
import { Location } from '../src/modules/locations/locations.schemas.js';
import { Service } from '../src/modules/catalog/catalog.schemas.js';
import { Staff } from '../src/modules/staff/staff.schemas.js';
import { Availability } from '../src/modules/availability/availability.schemas.js';

let ctx: TestContext;
let demo: DemoResult;
before(async () => {
  ctx = await startTestApp('sqlite');
  demo = await createDemoOrg(ctx.database);
});
after(() => ctx.close());

test('every mutation and every single-object read in the OpenAPI document shows examples, and each one validates', async () => {
  const spec = (await call(ctx.app, { method: 'GET', url: '/v1/openapi.json' })).body;
  const mutations = Object.entries(spec.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) => Object.entries(ops).filter(([m]) => m === 'post').map(([, op]) => ({ path, op })));
  assert.deepEqual(mutations.map((m) => m.path).sort(), ['/v1/bookings', '/v1/bookings/{reference}/cancel', '/v1/bookings/{reference}/reschedule', '/v1/clients', '/v1/webhook_endpoints', '/v1/webhook_endpoints/{id}/rotate_secret']);
  for (const { path, op } of mutations) {
    // @fastify/swagger lifts a schema's `examples` onto the media type (`example` / `examples`)
    const hasExample = (media: any) => media.example !== undefined || media.examples !== undefined || media.schema?.examples?.length > 0;
    assert.ok(hasExample(op.requestBody.content['application/json']), `${path}: request example`);
    const ok = Object.entries(op.responses).find(([status]) => status.startsWith('2'))![1] as any;
    assert.ok(hasExample(ok.content['application/json']), `${path}: response example`);
  }
  // and every GET of a single object or of availability shows an example response
  for (const path of ['/v1/locations/{slug}', '/v1/services/{id}', '/v1/staff/{id}', '/v1/clients/{id}', '/v1/bookings/{reference}', '/v1/locations/{slug}/availability', '/v1/events/{id}', '/v1/webhook_endpoints/{id}']) {
    const media = spec.paths[path].get.responses['200'].content['application/json'];
    assert.ok(media.example !== undefined || media.examples !== undefined || media.schema?.examples?.length > 0, `${path}: response example`);
  }
  for (const [schema, example] of [[CreateBookingBody, createBookingExample], [CreateClientBody, createClientExample], [Booking, bookingExample], [Client, clientExample],
    [Location, locationExample], [Service, serviceExample], [Staff, staffExample], [Availability, availabilityExample]] as const) {
    assert.ok((schema as any).safeParse(example).success, JSON.stringify(example).slice(0, 60));
  }
  assert.ok(RescheduleBody.safeParse({ starts_at: '2026-12-01T11:30:00Z' }).success);
  assert.ok(CancelBody.safeParse({ reason: 'Client is unwell' }).success);
  for (const schema of [Event, WebhookEndpoint, WebhookEndpointWithSecret, CreateWebhookEndpointBody, UpdateWebhookEndpointBody]) {
    for (const example of (schema.meta()?.examples ?? []) as unknown[]) assert.ok((schema as any).safeParse(example).success, JSON.stringify(example).slice(0, 60));
  }
});

test('the create-booking example runs against the demo shop once its service id is filled in', async () => {
  const services = (await call(ctx.app, { method: 'GET', url: '/v1/services?location=shoreditch', key: demo.apiKey })).body.data;
  const service = services.find((s: any) => s.name === bookingExample.service.name);
  const slots = (await call(ctx.app, { method: 'GET', url: `/v1/locations/shoreditch/availability?service=${service.id}`, key: demo.apiKey })).body.slots;
  const res = await call(ctx.app, { method: 'POST', url: '/v1/bookings', key: demo.apiKey, payload: { ...createBookingExample, service: service.id, starts_at: slots[0].starts_at } });
  assert.equal(res.status, 201, res.raw);
  assert.deepEqual(Object.keys(res.body), Object.keys(bookingExample));
  const client = await call(ctx.app, { method: 'POST', url: '/v1/clients', key: demo.apiKey, payload: { ...createClientExample, email: 'another@example.com', phone: '07700 900999' } });
  assert.equal(client.status, 201, client.raw);
  assert.deepEqual(Object.keys(client.body), Object.keys(clientExample));
});
