import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import { isDeepStrictEqual } from 'node:util';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { errorDescription } from './schemas.js';
import { errorExample, fillLiveExamples, parameterExample } from './examples.js';

/**
 * The OpenAPI 3.1 document (`GET /v1/openapi.json`, `/docs`), generated from the route schemas and finished
 * here in one pass over the whole document, so that no route can forget what every route must say:
 * - API objects (`"object": "booking"` …) become named component schemas (`Booking`, `BookingList`, `Error`);
 * - every `/v1` operation gets an `operationId` (from its summary), the key scope it needs, every error status it can answer (the one
 *   `Error` schema, whose `reason` enum lists why a time cannot be booked), response descriptions and headers
 *   (`X-Request-Id`, `RateLimit-*`, `Retry-After`, `Idempotent-Replayed`);
 * - every POST declares the `Idempotency-Key` header (API.md §7), and a body with no required field is marked
 *   optional (an absent body validates as `{}`, src/http/validation.ts);
 * - path and required query parameters carry examples from the demo shop (src/http/examples.ts), so that
 *   "Try it out" works against `npm start` as printed.
 */

type Json = Record<string, any>;

const COMMON_ERRORS = [400, 401, 403, 429, 500, 503];
const POST_ERRORS = [409, 413, 415, 422];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const HEADERS: Json = {
  'X-Request-Id': { description: 'This request\'s id (yours, if you sent a sane `X-Request-Id`); errors repeat it as `error.request_id`.', schema: { type: 'string' } },
  'RateLimit-Limit': { description: 'Requests allowed per key per window.', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in the current window.', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
  'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`.', schema: { type: 'string', enum: ['true'] } },
};
const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Makes the request safe to retry: the first answer for a key is stored for 24 hours and replayed (with `Idempotent-Replayed: true`). The same key with a different request: `422 idempotency_key_reused`; while the first is still running: `409 idempotency_key_in_use`.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
  example: 'b7e2c1d0-booking-1',
};

const pascal = (s: string) => s.split(/[_\s-]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/** `Retrieve a staff member` → `retrieveStaffMember`. */
export function operationIdFor(summary: string): string {
  const words = summary.replace(/[^A-Za-z0-9 ]/g, ' ').split(/\s+/).filter((w) => w && !/^(a|an|the)$/i.test(w));
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())).join('');
}

/** The `object` literal of an API object's schema (`booking`), if this node is one. */
function objectLiteral(node: Json): string | undefined {
  const o = node.type === 'object' ? node.properties?.object : undefined;
  if (!o) return undefined;
  if (typeof o.const === 'string') return o.const;
  return Array.isArray(o.enum) && o.enum.length === 1 && typeof o.enum[0] === 'string' ? o.enum[0] : undefined;
}

const isErrorEnvelope = (node: Json) => node.type === 'object' && node.properties?.error?.properties?.code !== undefined;

const withoutKeys = (node: Json, keys: string[]) => Object.fromEntries(Object.entries(node).filter(([k]) => !keys.includes(k)));

/**
 * Replaces every API-object schema (post-order, so lists see their items as refs first) with a `$ref` to one
 * named component. A schema that differs from the component already stored under its name stays inline;
 * test/openapi-completeness.test.ts fails on any inline API object.
 */
function hoist(node: unknown, components: Json): unknown {
  if (Array.isArray(node)) return node.map((n) => hoist(n, components));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'example' || k === 'examples' ? v : hoist(v, components);
  let name: string | undefined;
  const literal = objectLiteral(out);
  if (literal === 'list') {
    const item = out.properties?.data?.items?.$ref as string | undefined;
    name = item ? `${item.split('/').pop()}List` : undefined;
  } else if (literal) name = typeof out.title === 'string' ? pascal(out.title) : pascal(literal); // a variant names itself (`title`)
  else if (isErrorEnvelope(out)) name = 'Error';
  if (!name) return out;
  // A description at the place of use (e.g. an error response's) stays there, beside the reference.
  const { description, ...schema } = out;
  const comparable = withoutKeys(schema, ['examples']);
  const stored = components[name] as Json | undefined;
  if (stored && !isDeepStrictEqual(withoutKeys(stored, ['examples']), comparable)) return out;
  if (!stored || (schema.examples && !stored.examples)) components[name] = schema;
  return description && name !== 'Error' ? { $ref: `#/components/schemas/${name}`, description } : { $ref: `#/components/schemas/${name}` };
}

const errorResponse = (description: string, example: unknown) => ({
  description,
  headers: { 'X-Request-Id': headerRef('X-Request-Id') },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, ...(example ? { example } : {}) } },
});

function successDescription(method: string, status: string, schema: Json | undefined, components: Json): string {
  const ref = (schema?.$ref as string | undefined)?.split('/').pop();
  const listOf = ref?.endsWith('List') ? ref.slice(0, -4) : undefined;
  const noun = (listOf ?? ref ?? 'result').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/^staff$/, 'staff member');
  if (listOf) return `A page of ${noun.replace(/ member$/, '')} objects (\`object: "list"\`); pass \`next_cursor\` as \`cursor\` for the next page.`;
  if (ref && !components[ref]) return 'The result.';
  if (method === 'post') return status === '201' ? `Created: the new ${noun}.` : `The ${noun} after the change.`;
  return `The ${noun}.`;
}

function finishOperation(path: string, method: string, op: Json, components: Json): void {
  if (op.summary && !op.operationId) op.operationId = operationIdFor(op.summary);
  // OpenAPI 3.1 lets a non-OAuth requirement name roles: here, the key scope the operation needs (API.md §3).
  if (!op.security) op.security = [{ bearerAuth: [method === 'get' ? 'read' : 'read_write'] }];
  const params: Json[] = op.parameters ?? [];
  for (const p of params) {
    if (p.in !== 'path' && !(p.in === 'query' && p.required)) continue;
    const example = parameterExample(path, p.name);
    if (example !== undefined && p.example === undefined) p.example = example;
  }
  if (method === 'post' && !params.some((p) => p.$ref === '#/components/parameters/IdempotencyKey' || p.name?.toLowerCase() === 'idempotency-key')) {
    params.push({ $ref: '#/components/parameters/IdempotencyKey' });
  }
  if (params.length) op.parameters = params;

  const body = op.requestBody?.content?.['application/json']?.schema as Json | undefined;
  if (op.requestBody && body && !(body.required?.length)) op.requestBody.required = false;

  const responses: Json = op.responses ?? {};
  const statuses = [...COMMON_ERRORS, ...(path.includes('{') ? [404] : []), ...(method === 'post' ? POST_ERRORS : [])];
  for (const s of statuses) if (!responses[s]) responses[s] = { description: errorDescription(s, [], { method }) };
  for (const [status, response] of Object.entries(responses) as [string, Json][]) {
    const code = Number(status);
    if (code >= 400) {
      let description: string = response.description;
      if (!description || description === 'Default Response' || description === errorDescription(code)) description = errorDescription(code, [], { method });
      if (code === 409 && method === 'post' && !description.includes('idempotency_key_in_use')) description = `${description} Also \`idempotency_key_in_use\` (same \`Idempotency-Key\`, first request still running).`;
      responses[status] = { ...errorResponse(description, errorExample(code, path, method)), ...(code === 429 || code === 503 ? { headers: { 'X-Request-Id': headerRef('X-Request-Id'), 'Retry-After': headerRef('Retry-After') } } : {}) };
      continue;
    }
    const schema = response.content?.['application/json']?.schema as Json | undefined;
    if (!response.description || response.description === 'Default Response') response.description = successDescription(method, status, schema, components);
    response.headers = {
      'X-Request-Id': headerRef('X-Request-Id'),
      'RateLimit-Limit': headerRef('RateLimit-Limit'),
      'RateLimit-Remaining': headerRef('RateLimit-Remaining'),
      'RateLimit-Reset': headerRef('RateLimit-Reset'),
      ...(method === 'post' ? { 'Idempotent-Replayed': headerRef('Idempotent-Replayed') } : {}),
    };
  }
  op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

/** Finishes the generated document (see the file comment). Pure: returns a new document. */
export function finishDocument(doc: Json): Json {
  const components: Json = { ...(doc.components?.schemas ?? {}) };
  const paths = hoist(doc.paths ?? {}, components) as Json;
  for (const [path, ops] of Object.entries(paths) as [string, Json][]) {
    if (!path.startsWith('/v1/')) continue;
    for (const method of METHODS) if (ops[method]) finishOperation(path, method, ops[method], components);
  }
  return {
    ...doc,
    paths,
    components: {
      ...doc.components,
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      parameters: { ...(doc.components?.parameters ?? {}), IdempotencyKey: IDEMPOTENCY_KEY },
      headers: { ...(doc.components?.headers ?? {}), ...HEADERS },
    },
  };
}

const DESCRIPTION = [
  'Bookings for independent shops: locations, services, staff, availability, clients and bookings.',
  '',
  'Authenticate with `Authorization: Bearer sk_live_…` (a key from the Hub: Settings → Developer, or the one `npm start` prints for its demo shop). A `read` key may call every GET; `read_write` may also create and change.',
  '',
  'Every error has one envelope, `{ "error": { "code", "message", "param", "request_id" } }` (the `Error` schema); branch on `code`, and on `reason` for `409 slot_unavailable`. Lists are `{ "object": "list", "data", "has_more", "next_cursor" }`: pass `next_cursor` as `cursor`. Instants are RFC 3339 (UTC `Z` out; any offset in); a booking starts on a whole minute. Every POST takes `Idempotency-Key`.',
].join('\n');

const TAGS = [
  { name: 'Locations', description: 'Where the shop works: addressed by `slug`, with its IANA time zone and opening hours.' },
  { name: 'Availability', description: 'The times a service can be booked, per staff member.' },
  { name: 'Services', description: 'What can be booked: duration, clean-up buffer, price, slot grid.' },
  { name: 'Staff', description: 'Who does the work, where, and when.' },
  { name: 'Clients', description: 'The shop\'s clients. A client needs a first name; email is unique per organisation.' },
  { name: 'Bookings', description: 'Addressed by `reference` (e.g. `K7QX-2M4P`), which a reschedule keeps.' },
];

/**
 * Options for @fastify/swagger: OpenAPI 3.1, the route schemas through the Zod transform, and the whole
 * document through finishDocument. `publicUrl` is the server URL printed in the document.
 */
export function swaggerOptions(publicUrl: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Setora REST API', version: '1.0.0', description: DESCRIPTION },
      servers: [{ url: publicUrl }],
      tags: TAGS,
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An `sk_live_…` API key.' } } },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => finishDocument((document as { openapiObject: Json }).openapiObject) as never,
  };
}

/**
 * Swagger UI fills a parameter's input with its example: for an optional filter that narrows the answer to
 * nothing (`starts_after` = `starts_before`, a date long past), so on the page those inputs start empty.
 */
function withoutOptionalQueryExamples(doc: Json): Json {
  for (const item of Object.values<Json>(doc.paths ?? {})) {
    for (const method of METHODS) {
      for (const p of item[method]?.parameters ?? []) if (p.in === 'query' && !p.required) delete p.example;
    }
  }
  return doc;
}

/**
 * Options for @fastify/swagger-ui at `/docs`: the base layout (the stock top bar's logo is an SVG with an
 * inline `<style>`, which our CSP rightly refuses), "Try it out" examples filled with times that are free in
 * the demo shop on the day the page is loaded, and requests sent to the page's own origin.
 */
export function swaggerUiOptions(clock: () => number): FastifySwaggerUiOptions {
  return {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, layout: 'BaseLayout', persistAuthorization: true, tryItOutEnabled: false },
    theme: { title: 'Setora API reference' },
    staticCSP: true,
    // "Try it out" calls the server the page came from (the page's CSP allows no other): PUBLIC_URL may name
    // another host or port than the one in the browser's address bar.
    transformSpecification: (spec) => ({ ...withoutOptionalQueryExamples(fillLiveExamples(spec as Json, clock())), servers: [{ url: '/', description: 'This server' }] }),
  };
}
