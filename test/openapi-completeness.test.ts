import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startTestApp, seedOrg, call, type TestContext, type SeededOrg } from './helpers/app.js';
import { ERROR_STATUS } from '../src/http/errors.js';
import { V1_ERROR_CODES } from '../src/http/schemas.js';
import { SLOT_REASONS } from '../src/modules/bookings/bookings.refusals.js';

/**
 * Issue 14.5: the OpenAPI document tells the whole truth. Every /v1 operation has a summary and an
 * operationId, a description on every response, every error status it can answer (checked against what the
 * server really answers), the one Error schema with its reason enum, `Idempotency-Key` on POSTs, and examples
 * that validate against their schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses).
 */

let ctx: TestContext;
let org: SeededOrg;
let spec: any;
before(async () => {
  ctx = await startTestApp('sqlite');
  org = await seedOrg(ctx.database);
  spec = (await call(ctx.app, { method: 'GET', url: '/v1/openapi.json' })).body;
});
after(() => ctx.close());

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
function operations(): { path: string; method: string; op: any }[] {
  return Object.entries<any>(spec.paths).flatMap(([path, ops]) => METHODS.filter((m) => ops[m]).map((method) => ({ path, method, op: ops[method] })));
}
const resolve = (node: any): any => (node?.$ref ? node.$ref.split('/').slice(1).reduce((o: any, k: string) => o[k], spec) : node);

test('the document is OpenAPI 3.1 and lists every /v1 operation', () => {
  assert.equal(spec.openapi, '3.1.0');
  const ops = operations().map((o) => `${o.method.toUpperCase()} ${o.path}`);
  assert.ok(ops.length >= 15, ops.join(', '));
  assert.ok(ops.every((o) => o.split(' ')[1]!.startsWith('/v1/')), 'only /v1 routes are documented');
});

test('every operation: summary, unique operationId, tag, and a description on every response', () => {
  const ids = new Set<string>();
  for (const { path, method, op } of operations()) {
    const where = `${method.toUpperCase()} ${path}`;
    assert.ok(op.summary, `${where}: summary`);
    assert.match(op.operationId ?? '', /^[a-z][A-Za-z]+$/, `${where}: operationId`);
    assert.ok(!ids.has(op.operationId), `${where}: duplicate operationId`);
    ids.add(op.operationId);
    assert.ok(op.tags?.length, `${where}: tag`);
    for (const [status, response] of Object.entries<any>(op.responses)) {
      assert.ok(response.description && response.description !== 'Default Response', `${where} ${status}: description`);
      assert.ok(response.headers?.['X-Request-Id'], `${where} ${status}: X-Request-Id header`);
    }
  }
});

test('every operation lists the error statuses every /v1 route can answer, each with the Error schema and an example of its status', () => {
  for (const { path, method, op } of operations()) {
    const where = `${method.toUpperCase()} ${path}`;
    const expected = [400, 401, 403, 429, 500, ...(path.includes('{') ? [404] : []), ...(method === 'post' ? [409, 413, 415, 422] : [])];
    for (const s of expected) assert.ok(op.responses[s], `${where}: ${s} not documented`);
    for (const [status, response] of Object.entries<any>(op.responses)) {
      if (Number(status) < 400) continue;
      const media = response.content['application/json'];
      assert.equal(media.schema.$ref, '#/components/schemas/Error', `${where} ${status}`);
      const code = media.example?.error?.code;
      assert.ok(code, `${where} ${status}: example`);
      assert.equal(ERROR_STATUS[code as keyof typeof ERROR_STATUS], Number(status), `${where} ${status}: example code ${code}`);
      assert.ok(response.description.includes(`\`${code}\``), `${where} ${status}: the description names the example's code`);
    }
    if (op.responses[429]) assert.ok(op.responses[429].headers['Retry-After'], `${where}: 429 Retry-After`);
  }
});

test('the Error schema: every /v1 code, and the typed reason enum of slot_unavailable', () => {
  const error = spec.components.schemas.Error.properties.error;
  assert.deepEqual([...error.properties.code.enum].sort(), Object.keys(V1_ERROR_CODES).sort());
  assert.deepEqual([...error.properties.reason.enum].sort(), [...SLOT_REASONS].sort(), 'every reason the booking rules can raise');
  for (const reason of ['overlaps_booking', 'outside_working_hours', 'staff_time_off', 'location_closed', 'too_soon', 'beyond_horizon', 'staff_does_not_offer_service', 'not_on_slot_grid']) {
    assert.ok(error.properties.reason.enum.includes(reason), reason);
    assert.ok(error.properties.reason.description.includes(`\`${reason}\``), `${reason} explained`);
  }
  assert.deepEqual(spec.components.schemas.Error.required, ['error']);
});

test('every POST declares Idempotency-Key and Idempotent-Replayed; a body without required fields is optional', () => {
  const key = spec.components.parameters.IdempotencyKey;
  assert.equal(key.in, 'header');
  assert.equal(key.schema.maxLength, 255);
  for (const { path, method, op } of operations()) {
    if (method !== 'post') continue;
    assert.ok(op.parameters.some((p: any) => p.$ref === '#/components/parameters/IdempotencyKey'), `${path}: Idempotency-Key`);
    const ok = Object.entries<any>(op.responses).find(([s]) => s.startsWith('2'))![1];
    assert.ok(ok.headers['Idempotent-Replayed'], `${path}: Idempotent-Replayed`);
    const body = resolve(op.requestBody.content['application/json'].schema);
    assert.equal(op.requestBody.required, (body.required ?? []).length > 0, `${path}: requestBody.required`);
  }
  assert.equal(spec.paths['/v1/bookings/{reference}/cancel'].post.requestBody.required, false);
  assert.equal(spec.paths['/v1/bookings'].post.requestBody.required, true);
});

test('API objects are named component schemas, never repeated inline', () => {
  const inline: string[] = [];
  const walk = (node: any, where: string) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}/${i}`));
    const literal = node.type === 'object' ? (node.properties?.object?.const ?? node.properties?.object?.enum?.[0]) : undefined;
    if (literal || node.properties?.error) inline.push(where);
    for (const [k, v] of Object.entries(node)) if (k !== 'example' && k !== 'examples') walk(v, `${where}/${k}`);
  };
  walk(spec.paths, '#/paths');
  assert.deepEqual(inline, []);
  for (const name of ['Booking', 'BookingList', 'Client', 'Location', 'Service', 'Staff', 'Availability', 'Error']) assert.ok(spec.components.schemas[name], name);
});

test('every example validates against its schema (request bodies, responses, parameters, components)', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'openapi.json', components: spec.components });
  const check = (schema: any, example: unknown, where: string) => {
    const rooted = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/'));
    const validate = ajv.compile(rooted);
    assert.ok(validate(example), `${where}: ${JSON.stringify(validate.errors)}`);
  };
  let checked = 0;
  for (const { path, method, op } of operations()) {
    const where = `${method.toUpperCase()} ${path}`;
    const body = op.requestBody?.content['application/json'];
    if (body) {
      assert.ok(body.example !== undefined, `${where}: request example`);
      check(body.schema, body.example, `${where} request`);
      checked++;
    }
    for (const [status, response] of Object.entries<any>(op.responses)) {
      const media = response.content?.['application/json'];
      if (media?.example === undefined) continue;
      check(media.schema, media.example, `${where} ${status}`);
      checked++;
    }
    for (const p of op.parameters ?? []) {
      const param = resolve(p);
      if (param.example === undefined) continue;
      check(param.schema, param.example, `${where} ${param.name}`);
      checked++;
    }
  }
  for (const [name, schema] of Object.entries<any>(spec.components.schemas)) {
    for (const example of schema.examples ?? []) {
      check({ $ref: `#/components/schemas/${name}` }, example, name);
      checked++;
    }
  }
  assert.ok(checked > 60, `only ${checked} examples`);
  // and a 2xx example on every operation, so the reference shows a real answer
  for (const { path, method, op } of operations()) {
    const ok = Object.entries<any>(op.responses).find(([s]) => s.startsWith('2'))![1];
    const media = ok.content['application/json'];
    const schema = resolve(media.schema);
    assert.ok(media.example !== undefined || schema.examples?.length || resolve(schema.properties?.data?.items)?.examples?.length, `${method} ${path}: 2xx example`);
  }
});

test('every status the server really answers is documented for that operation', async () => {
  const fill = (path: string) => path.replace(/\{\w+\}/g, 'nothing-here');
  for (const { path, method, op } of operations()) {
    const url = fill(path);
    const M = method.toUpperCase() as 'GET' | 'POST';
    const probes = [
      await call(ctx.app, { method: M, url }), // no key
      await call(ctx.app, { method: M, url, key: 'sk_live_not_a_real_key' }),
      await call(ctx.app, { method: M, url: `${url}?no_such_parameter=1`, key: org.writeKey }),
      await call(ctx.app, { method: M, url, key: org.writeKey, ...(M === 'POST' ? { payload: {} } : {}) }),
      ...(M === 'POST'
        ? [
            await call(ctx.app, { method: M, url, key: org.readKey, payload: {} }),
            await call(ctx.app, { method: M, url, key: org.writeKey, payload: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
            await call(ctx.app, { method: M, url, key: org.writeKey, payload: '{"oops"', headers: { 'content-type': 'application/json' } }),
          ]
        : []),
    ];
    for (const res of probes) assert.ok(op.responses[res.status], `${M} ${path} answered ${res.status} (${res.body?.error?.code}), not documented`);
  }
});
