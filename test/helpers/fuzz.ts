import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ERROR_STATUS } from '../../src/http/errors.js';
import type { WireRequest, WireResponse } from './wire.js';

/**
 * Request generation for the fuzz suite (test/fuzz.test.ts), driven by the server's own `/v1/openapi.json`:
 * valid, boundary and hostile values for every parameter and body field, odd methods, headers and encodings;
 * and the oracles every answer is judged by (the API.md §2 envelope, the documented response schemas).
 */

// ajv-formats is CommonJS: its default export arrives wrapped under tsx/ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

// ---------------------------------------------------------------------------------------------------------------
// The OpenAPI document

export interface Param { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: any }
export interface Operation { method: string; path: string; params: Param[]; body?: { schema: any; required: boolean }; responses: Record<string, any> }

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document, `$ref` parameters resolved, methods upper-cased. */
export function operationsOf(spec: any): Operation[] {
  const resolve = (node: any): any => (node?.$ref ? node.$ref.split('/').slice(1).reduce((o: any, k: string) => o[k], spec) : node);
  return Object.entries<any>(spec.paths).flatMap(([path, ops]) => HTTP_METHODS.filter((m) => ops[m]).map((m) => {
    const op = ops[m];
    const body = op.requestBody?.content?.['application/json'];
    return {
      method: m.toUpperCase(), path,
      params: (op.parameters ?? []).map(resolve),
      body: body ? { schema: body.schema, required: Boolean(op.requestBody.required) } : undefined,
      responses: op.responses,
    };
  }));
}

/** Validators for the document's schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses), `#/components` refs resolved. */
export function schemaChecker(spec: any, opts: { coerce?: boolean } = {}): (schema: any, value: unknown) => string | undefined {
  const ajv = new Ajv2020({ strict: false, allErrors: false, coerceTypes: opts.coerce ?? false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: spec.components });
  const cache = new Map<any, ReturnType<typeof ajv.compile>>();
  return (schema, value) => {
    let validate = cache.get(schema);
    if (!validate) {
      validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')));
      cache.set(schema, validate);
    }
    return validate(value) ? undefined : ajv.errorsText(validate.errors, { dataVar: 'body' });
  };
}

/** Does the request path (raw, without query) have the shape of this template (same segment count and literals)? */
export function matchesTemplate(template: string, path: string): boolean {
  const t = template.split('/');
  const p = path.split('/');
  return t.length === p.length && t.every((seg, i) => (seg.startsWith('{') ? p[i] !== '' : seg === p[i]));
}

// ---------------------------------------------------------------------------------------------------------------
// The oracles

/**
 * Why this answer is not the API.md §2 envelope, or undefined when it is: JSON content type, one top-level
 * `error` object with string `code` (from the closed list, matching the status), `message` and `request_id`
 * equal to the `X-Request-Id` header, `param` a string when present; with `errorSchema`, valid against it too.
 */
export function envelopeProblem(res: WireResponse, errorSchema?: (body: unknown) => string | undefined): string | undefined {
  const type = res.headers['content-type'];
  if (type !== 'application/json; charset=utf-8') return `content-type ${JSON.stringify(type)}`;
  let body: any;
  try {
    body = JSON.parse(res.text);
  } catch {
    return 'body is not JSON';
  }
  if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).join() !== 'error') return 'top level is not exactly { error }';
  const e = body.error;
  if (!e || typeof e !== 'object' || Array.isArray(e)) return 'error is not an object';
  if (typeof e.code !== 'string' || typeof e.message !== 'string' || typeof e.request_id !== 'string') return 'error lacks code, message or request_id';
  if (e.param !== undefined && typeof e.param !== 'string') return 'param is not a string';
  const status = ERROR_STATUS[e.code as keyof typeof ERROR_STATUS];
  if (status === undefined) return `unknown code ${e.code}`;
  if (status !== res.status) return `code ${e.code} is ${status}, answered ${res.status}`;
  if (res.headers['x-request-id'] !== e.request_id) return `x-request-id ${JSON.stringify(res.headers['x-request-id'])} ≠ request_id ${JSON.stringify(e.request_id)}`;
  if (/\bat .+\(.+:\d+:\d+\)|node_modules|SQLITE_|syntax error at/.test(e.message)) return 'internal detail in the message';
  return errorSchema?.(body);
}

// ---------------------------------------------------------------------------------------------------------------
// JSON with what JSON.stringify cannot write

/** Text spliced into a JSON body as is (broken JSON, very deep nesting). */
export class RawJson { constructor(readonly text: string) {} }
/** A JSON string whose content is these bytes (e.g. not valid UTF-8). */
export class RawString { constructor(readonly bytes: Buffer) {} }

/** Sets a key, `__proto__` included, as an own enumerable property. */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy that keeps own `__proto__` keys as keys. */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (v && typeof v === 'object' && !(v instanceof RawJson) && !(v instanceof RawString)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) setOwn(o, k, cloneJson((v as Record<string, unknown>)[k]));
    return o as T;
  }
  return v;
}

/** Serialises a value (with RawJson / RawString parts) to body bytes. */
export function jsonBytes(v: unknown): Buffer {
  const parts: Buffer[] = [];
  const walk = (x: unknown) => {
    if (x instanceof RawJson) parts.push(Buffer.from(x.text, 'utf8'));
    else if (x instanceof RawString) parts.push(Buffer.from('"'), x.bytes, Buffer.from('"'));
    else if (Array.isArray(x)) {
      parts.push(Buffer.from('['));
      x.forEach((e, i) => { if (i) parts.push(Buffer.from(',')); walk(e); });
      parts.push(Buffer.from(']'));
    } else if (x && typeof x === 'object') {
      parts.push(Buffer.from('{'));
      Object.keys(x).forEach((k, i) => {
        if (i) parts.push(Buffer.from(','));
        parts.push(Buffer.from(`${JSON.stringify(k)}:`, 'utf8'));
        walk((x as Record<string, unknown>)[k]);
      });
      parts.push(Buffer.from('}'));
    } else parts.push(Buffer.from(JSON.stringify(x === undefined ? null : x), 'utf8'));
  };
  walk(v);
  return Buffer.concat(parts);
}

/** Every [path, container] of a JSON value: each object and array position a hostile value may replace or join. */
export function positions(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(v)) v.forEach((e, i) => { out.push([...path, i]); out.push(...positions(e, [...path, i])); });
  else if (v && typeof v === 'object' && !(v instanceof RawJson) && !(v instanceof RawString)) {
    for (const k of Object.keys(v)) { out.push([...path, k]); out.push(...positions((v as Record<string, unknown>)[k], [...path, k])); }
  }
  return out;
}

/** Every object (root included) of a JSON value, by path. */
export function objectPaths(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.flatMap((e, i) => objectPaths(e, [...path, i]));
  if (v && typeof v === 'object' && !(v instanceof RawJson) && !(v instanceof RawString)) {
    return [path, ...Object.keys(v).flatMap((k) => objectPaths((v as Record<string, unknown>)[k], [...path, k]))];
  }
  return [];
}

export const getAt = (v: any, path: (string | number)[]): any => path.reduce((o, k) => o?.[k], v);
export function setAt(root: any, path: (string | number)[], value: unknown): any {
  if (!path.length) return value;
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent[key as number] = value;
  else setOwn(parent, String(key), value);
  return root;
}
export function deleteAt(root: any, path: (string | number)[]): any {
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
  return root;
}

// ---------------------------------------------------------------------------------------------------------------
// Text that API.md §5 refuses

/** Why this string must be refused under API.md §5 (NUL, C0 controls other than tab/newline/CR, lone surrogates). */
export function badText(s: string): string | undefined {
  if (s.includes('\u0000')) return 'NUL';
  // eslint-disable-next-line no-control-regex
  if (/[\u0001-\u0008\u000b\u000c\u000e-\u001f]/.test(s)) return 'C0 control character';
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)) return 'lone surrogate';
  return undefined;
}

/** The first string in a JSON value (keys too) that API.md §5 refuses, or an invalid-UTF-8 RawString. */
export function badTextIn(v: unknown): string | undefined {
  if (typeof v === 'string') return badText(v);
  if (v instanceof RawString) return Buffer.from(v.bytes.toString('utf8'), 'utf8').equals(v.bytes) ? undefined : 'invalid UTF-8';
  if (v instanceof RawJson) return undefined;
  if (Array.isArray(v)) { for (const e of v) { const b = badTextIn(e); if (b) return b; } return undefined; }
  if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      const b = badText(k) ?? badTextIn((v as Record<string, unknown>)[k]);
      if (b) return b;
    }
  }
  return undefined;
}

export const hasProtoKey = (v: unknown): boolean => {
  if (Array.isArray(v)) return v.some(hasProtoKey);
  if (v && typeof v === 'object' && !(v instanceof RawJson) && !(v instanceof RawString)) {
    return Object.keys(v).some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype' || hasProtoKey((v as Record<string, unknown>)[k]));
  }
  return false;
};

// ---------------------------------------------------------------------------------------------------------------
// Hostile values

const CONTROL = fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c));
const ODD_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', 'Jo\u0000', '\u0007', '\u001b[31m', 'a\rb', 'tab\there', 'line\nbreak', '\u007f', '\u0085',
  '\ud800', 'x\udfff', '\udc00\ud800', '\ufeff', '\u202etxt.exe', 'a\u200bb', 'e\u0301\u0301\u0301', '\u2028\u2029', '１２３', '😀'.repeat(40),
  'ß'.repeat(60), 'İ', 'ﬀ', '../../etc/passwd', "' OR 1=1 --", '"; drop table bookings; --', '%00', '%FF', '${7*7}', '<script>alert(1)</script>',
  '1e999', '-0', 'NaN', 'Infinity', 'null', 'true', '0x10', '2026-02-29T10:00:00Z', '2026-12-01T24:00:00Z', '2026-12-01T10:00:00',
  '9999-12-31T23:59:59Z', '1999-12-31T23:59:00Z', '2026-12-01T10:00:60Z', '2026-11-31T10:00:00Z', '2026-12-01T10:00:00.000000001+14:00',
  '2026-13-01', '2026-02-30', '0000-00-00', 'svc_', 'stf_0000000000000000', 'cli_\u0000', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
];
/** A string anywhere from empty to 1 MiB-ish, with every kind of odd character. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.oneof(CONTROL, fc.constantFrom('a', '\ud800', '\udc00', 'é', '😀')), maxLength: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom(99, 100, 101, 201, 255, 256, 2001, 2049, 5000).map((n) => 'a'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(100_000), 'é'.repeat(300_000)) },
);

/** A JSON value of the wrong type or at a limit: numbers, arrays where objects go, `__proto__` objects, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(0, -1, 1, 1.5, -0.5, 1e308, -1e308, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e-320, true, false, null, [], {}, [1, 2], [''], { a: 1 }, [[[[]]]], new RawJson('1e400'), new RawJson('-0'), new RawJson('123456789012345678901234567890')) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype').map((k) => { const o = {}; setOwn(o, k, { polluted: true, monday: [] }); return o; }) },
  { weight: 1, arbitrary: fc.constantFrom(50, 1000, 100_000).map((n) => new RawJson(`${'['.repeat(n)}${']'.repeat(n)}`)) },
  { weight: 1, arbitrary: fc.constantFrom(50, 5000).map((n) => new RawJson(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`)) },
  { weight: 2, arbitrary: fc.constantFrom([0xff], [0xc3], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x61, 0x00, 0x62], [0xe2, 0x82]).map((b) => new RawString(Buffer.from([0x4a, 0x6f, ...b, 0x21]))) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);

/** Keys an object should never take. */
export const hostileKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype') },
  { weight: 2, arbitrary: fc.constantFrom('org_id', 'id', 'status', 'price', 'object', 'created_at', 'source', 'secret', 'foo', '', ' ', 'a\u0000b', '\ud800', 'x'.repeat(300), 'first_name ', 'FIRST_NAME') },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);

/** A query or path value with broken percent-encoding or odd bytes, as raw target text. */
export const hostileEncoded = fc.constantFrom('%FF', '%00', 'a%00b', '%', '%G1', '%C3%28', '%C0%AF', '%ED%A0%80', '%E2%80%AE', '%EF%BB%BF', '%0D%0A', '%01', '%7F', 'caf%C3%A9', '%25', '%2F', '..', '.', '%2e%2e', 'a+b', '\xff', '\xe9t\xe9');

/** Percent-encodes a string's UTF-8 bytes (lone surrogates become U+FFFD on the wire, as any client would send them). */
export function pct(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Valid values, from the schema and what the shop really has

/** Ids the fuzzed org really has (refreshed from its list endpoints and from what the fuzz itself creates). */
export interface Pool {
  locations: string[]; services: string[]; staff: string[]; clients: string[]; bookings: string[]; events: string[]; webhooks: string[]; cursors: string[];
  /** Free slots seen in availability: a coherent location + service + staff + start, so bookings reach the core. */
  slots: { location: string; service: string; staff: string; starts_at: string }[];
}
export const emptyPool = (): Pool => ({ locations: [], services: [], staff: [], clients: [], bookings: [], events: [], webhooks: [], cursors: [], slots: [] });

/** Picks from a list read at generation time (the pool grows as the fuzz creates things). */
export const pick = <T>(list: () => T[], fallback: T): fc.Arbitrary<T> => fc.nat().map((n) => { const l = list(); return l.length ? l[n % l.length]! : fallback; });

const DAY = 86_400_000;
/** An RFC 3339 instant `ms` in UTC, or at another offset (same instant). */
export function instant(ms: number, offsetMinutes = 0): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().replace(/\.000Z$/, '');
  if (!offsetMinutes) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
const quarterHour = (now: number) => Math.ceil(now / 900_000) * 900_000;
export const instantArb = (now: () => number) => fc.tuple(fc.integer({ min: -200, max: 6000 }), fc.constantFrom(0, 0, 0, 60, -300, 330, 840)).map(([q, off]) => instant(quarterHour(now()) + q * 900_000, off));
export const dateArb = (now: () => number) => fc.integer({ min: -5, max: 75 }).map((d) => new Date(now() + d * DAY).toISOString().slice(0, 10));

/** Which pool a parameter or field named `name` (on `path`) draws from, if any. */
function poolFor(name: string, path: string, pool: Pool): (() => string[]) | undefined {
  if (name === 'slug' || name === 'location') return () => pool.locations;
  if (name === 'service') return () => pool.services;
  if (name === 'staff') return () => pool.staff;
  if (name === 'client') return () => pool.clients;
  if (name === 'reference' || name === 'exclude_booking') return () => pool.bookings;
  if (name === 'cursor') return () => pool.cursors;
  if (name === 'id') {
    const base = path.split('/')[2];
    const byBase: Record<string, () => string[]> = { services: () => pool.services, staff: () => pool.staff, clients: () => pool.clients, events: () => pool.events, webhook_endpoints: () => pool.webhooks };
    return byBase[base ?? ''];
  }
  return undefined;
}

export interface GenContext { pool: Pool; foreign: Pool; now: () => number; path: string }

/** A value the schema takes (mostly), using the shop's real ids for id-like names. */
export function validValue(schemaIn: any, name: string, ctx: GenContext, spec: any): fc.Arbitrary<unknown> {
  const schema = schemaIn?.$ref ? schemaIn.$ref.split('/').slice(1).reduce((o: any, k: string) => o[k], spec) : schemaIn ?? {};
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts) return fc.oneof(...alts.map((s: any) => validValue(s, name, ctx, spec)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type.filter((t: string) => t !== 'null')[0] : schema.type;
  switch (type) {
    case 'null': return fc.constant(null);
    case 'boolean': return fc.boolean();
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 100_000);
      return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
    }
    case 'array': {
      const items = name === 'enabled_events' ? fc.constantFrom('*', 'booking.*', 'booking.created', 'client.updated', 'staff.*') : validValue(schema.items, name, ctx, spec);
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    }
    case 'object': {
      const props: Record<string, any> = schema.properties ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) model[k] = validValue(s, k, ctx, spec);
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
    case 'string':
    default: {
      const fromPool = poolFor(name, ctx.path, ctx.pool);
      if (fromPool) {
        const foreignPool = poolFor(name, ctx.path, ctx.foreign)!;
        return fc.oneof({ weight: 8, arbitrary: pick(fromPool, 'none') }, { weight: 1, arbitrary: pick(foreignPool, 'none') }, { weight: 1, arbitrary: fc.constantFrom('missing', 'svc_0000000000000000', 'AAAA-AAAA') });
      }
      if (schema.format === 'date-time' || /(_at|_after|_before)$/.test(name)) return instantArb(ctx.now);
      if (schema.format === 'date' || name === 'from' || name === 'to') return dateArb(ctx.now);
      if (name === 'email') return fc.nat(40).map((n) => `fuzz${n}@example.com`);
      if (name === 'phone') return fc.constantFrom('07700 900123', '+447700900456', '020 7946 0000', '+1 202 555 0123', '12345');
      if (name === 'url') return fc.nat(99).map((n) => `https://example.com/hooks/${n}`);
      if (name === 'type') return fc.constantFrom('booking.created', 'booking.*', 'client.updated', 'nope');
      if (name === 'q') return fc.constantFrom('Jo', 'Bl', 'z');
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 40, 40);
      return fc.oneof(fc.string({ unit: fc.constantFrom(...'abcdefghij KLMNOP-é'), minLength: Math.max(min, 1), maxLength: Math.max(max, 1) }), fc.constant('x'.repeat(schema.maxLength ?? 40)));
    }
  }
}

/** A request the fuzz made, with what the generator knows about it for the oracles. */
export interface FuzzCase {
  req: WireRequest;
  /** The documented operation it was built from (absent for odd methods). */
  op?: Operation;
  /** Which area: `v1`, `hub`, `book`. */
  area: 'v1' | 'hub' | 'book';
  /** Set when the request must be refused (non-2xx): why. */
  mustRefuse?: string;
  /** The path names another org's resource: never 2xx. */
  foreignPath: boolean;
  /** Nothing in it is hostile (any refusal is the shop's own rules). */
  clean: boolean;
  /** For dedup of findings: method and path template and what was done. */
  label: string;
}

export const ODD_METHODS = ['QUERY', 'PROPFIND', 'TRACE', 'OPTIONS', 'SEARCH', 'MKCOL', 'LOCK', 'PURGE', 'FOO', 'get', 'post', 'Patch', 'PUT', 'HEAD', 'DELETE', 'PATCH', 'POST', 'GET'];

// ---------------------------------------------------------------------------------------------------------------
// /v1 requests from the document

export interface FuzzKeys { write: string; read: string }

type BodyMutation =
  | { kind: 'none' } | { kind: 'drop'; at: number } | { kind: 'unknown'; at: number; key: string; value: unknown }
  | { kind: 'replace'; at: number; value: unknown } | { kind: 'proto'; at: number; key: string } | { kind: 'whole'; value: unknown };

const bodyMutation: fc.Arbitrary<BodyMutation> = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unknown' as const), at: fc.nat(), key: hostileKey, value: hostileValue }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('proto' as const), at: fc.nat(), key: fc.constantFrom('__proto__', 'constructor', 'prototype') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('whole' as const), value: fc.oneof(hostileValue, fc.constantFrom<unknown>(
    new RawJson('{'), new RawJson(''), new RawJson('{"a":1,}'), new RawJson("{'a':1}"), new RawJson('{"a":1}{"b":2}'), new RawJson('\ufeff{}'),
    new RawJson('{"first_name":"a","first_name":"b"}'), new RawJson('{"__proto__":{"isAdmin":true}}'), new RawJson('nul'), new RawJson('"\\ud800"'),
  )) }) },
);

/** Applies a mutation to a copy of a (valid) body. */
export function mutateBody(body: unknown, m: BodyMutation): unknown {
  const b = cloneJson(body);
  const objs = objectPaths(b);
  const pos = positions(b);
  switch (m.kind) {
    case 'none': return b;
    case 'drop': return pos.length ? deleteAt(b, pos[m.at % pos.length]!) : b;
    case 'replace': return pos.length ? setAt(b, pos[m.at % pos.length]!, m.value) : m.value;
    case 'unknown': case 'proto': {
      if (!objs.length) return b;
      const target = getAt(b, objs[m.at % objs.length]!);
      setOwn(target, m.key, m.kind === 'proto' ? { monday: [], polluted: true, email: true } : m.value);
      return b;
    }
    case 'whole': return m.value;
  }
}

/** Parses what the body bytes would parse to (as the server's JSON.parse would), or `invalid`. */
function parsedBody(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  // A leading byte-order mark may be ignored (RFC 8259 §8.1), and the server does.
  const text = bytes.toString('utf8').replace(/^\ufeff/, '');
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const NOT_JSON_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz'];
const contentTypeArb = fc.oneof(
  { weight: 25, arbitrary: fc.constant<[string, string][]>([['Content-Type', 'application/json']]) },
  { weight: 1, arbitrary: fc.constant<[string, string][]>([]) },
  { weight: 1, arbitrary: fc.constant<[string, string][]>([['Content-Type', 'application/json'], ['Content-Type', 'text/plain']]) },
  { weight: 4, arbitrary: fc.constantFrom(...NOT_JSON_TYPES, 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json;charset=UTF-16', 'APPLICATION/JSON',
    'application/merge-patch+json', 'application/vnd.api+json', '', 'application/json, text/plain', 'application/jsonx', 'json', 'application/json; boundary="x"; charset', '\xe9/\xe9').map((t): [string, string][] => [['Content-Type', t]]) },
);

interface ExtraHeader { headers: [string, string][]; refuse?: string; chunked?: boolean }
const extraHeaderArb: fc.Arbitrary<ExtraHeader> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<ExtraHeader>(
    { headers: [['X-Request-Id', 'fuzz-request-0001']] }, { headers: [['X-Request-Id', 'not sane! ' + 'x'.repeat(200)]] }, { headers: [['X-Request-Id', 'a'], ['X-Request-Id', 'b']] },
    { headers: [['Accept', 'text/html']] }, { headers: [['Accept', '*/*;q=0.1, \xff']] }, { headers: [['Accept-Encoding', 'gzip, br']] }, { headers: [['Accept-Charset', 'latin1']] },
    { headers: [['User-Agent', '\xe9\xff']] }, { headers: [['X-Forwarded-For', '10.0.0.1, 127.0.0.1']] }, { headers: [['X-Forwarded-Proto', 'http']] },
    { headers: [['Cookie', 'setora_session=nonsense; a=\xff']] }, { headers: [['Origin', 'https://evil.example']] }, { headers: [['Content-Encoding', 'gzip']] },
    { headers: [['Expect', '100-continue']] }, { headers: [['X-Pad', 'p'.repeat(8000)]] }, { headers: [['Range', 'bytes=0-1']] }, { headers: [['If-None-Match', '*']] },
  ) },
  { weight: 2, arbitrary: fc.constantFrom<ExtraHeader>(
    { headers: [['X-Pad', 'p'.repeat(20_000)]], refuse: 'over-long header' },
    { headers: [['X-Pad', 'a\rb']], refuse: 'bare CR in a header' },
    { headers: [['X-Nul', 'a\u0000b']], refuse: 'NUL in a header' },
    { headers: [['Transfer-Encoding', 'chunked'], ['Content-Length', '2']], refuse: 'both Transfer-Encoding and Content-Length' },
    { headers: [['Expect', 'the-unexpected']] },
    { headers: [['Bad Header', 'x']], refuse: 'space in a header name' },
    { headers: [['Transfer-Encoding', 'chunked']], chunked: true },
  ) },
);

const authArb = (keys: FuzzKeys): fc.Arbitrary<{ headers: [string, string][]; refuse?: string; read?: boolean }> => fc.oneof(
  { weight: 30, arbitrary: fc.constant({ headers: [['Authorization', `Bearer ${keys.write}`]] as [string, string][] }) },
  { weight: 3, arbitrary: fc.constant({ headers: [['Authorization', `Bearer ${keys.read}`]] as [string, string][], read: true }) },
  { weight: 1, arbitrary: fc.constant({ headers: [['authorization', `bearer ${keys.write}`]] as [string, string][] }) },
  { weight: 1, arbitrary: fc.constantFrom(
    { headers: [] as [string, string][], refuse: 'no key' },
    { headers: [['Authorization', 'Bearer sk_live_bogus']] as [string, string][], refuse: 'bogus key' },
    { headers: [['Authorization', `Basic ${Buffer.from(`${keys.write}:`).toString('base64')}`]] as [string, string][], refuse: 'basic auth' },
    { headers: [['Authorization', `Bearer ${keys.write}\u0000`]] as [string, string][], refuse: 'NUL in the key' },
    { headers: [['Authorization', `Bearer ${keys.write.slice(0, -1)}`]] as [string, string][], refuse: 'truncated key' },
    { headers: [['Authorization', `Bearer ${'k'.repeat(5000)}`]] as [string, string][], refuse: 'long key' },
  ) },
);

type QueryPart = { name: string; raw: string; rawName?: string };

/**
 * Any request to a /v1 operation: valid values (the shop's real ids most of the time, other orgs' ids
 * sometimes), each part possibly replaced by a hostile one; the case says which requests must be refused.
 */
export function v1CaseArb(spec: any, ops: Operation[], ctx: Omit<GenContext, 'path'>, keys: FuzzKeys,
  checkBody: (schema: any, v: unknown) => string | undefined, checkParam: (schema: any, v: unknown) => string | undefined): fc.Arbitrary<FuzzCase> {
  const byPath = new Map<string, string[]>();
  for (const op of ops) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op.method]);
  const isForeign = (v: string) => Object.values(ctx.foreign).some((l) => Array.isArray(l) && (l as unknown[]).includes(v));
  const isOurs = (v: string) => Object.values(ctx.pool).some((l) => Array.isArray(l) && (l as unknown[]).includes(v));

  return fc.constantFrom(...ops).chain((op) => {
    const g: GenContext = { ...ctx, path: op.path };
    const pathParams = op.params.filter((p) => p.in === 'path');
    const queryParams = op.params.filter((p) => p.in === 'query');
    const pathArb = fc.tuple(...pathParams.map((p) => fc.oneof(
      // (Never empty: `/v1/locations/` is another route, the list.)
      { weight: 14, arbitrary: validValue(p.schema, p.name, g, spec).map((v) => ({ raw: pct(String(v) || '-'), value: (String(v) || '-') as string | undefined })) },
      { weight: 2, arbitrary: hostileString.map((v) => ({ raw: pct(v || '-'), value: (v || '-') as string | undefined })) },
      { weight: 2, arbitrary: hostileEncoded.map((raw) => ({ raw, value: undefined as string | undefined })) },
    )));
    const queryArb = fc.tuple(...queryParams.map((p) => fc.tuple(fc.boolean(), validValue(p.schema, p.name, g, spec)).map(([on, v]) => (p.required || on ? { name: p.name, raw: pct(String(v)) } : undefined))));
    const queryMutation = fc.oneof(
      { weight: 10, arbitrary: fc.constant({ kind: 'none' as const }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('value' as const), at: fc.nat(), raw: fc.oneof(hostileString.map(pct), hostileEncoded, fc.constantFrom('0', '-1', '101', '1.5', '1e2', ' 5', '')) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknown' as const), name: fc.oneof(hostileKey.map(pct), fc.constantFrom('limit[]', 'foo', '%FF', 'a%00')), raw: fc.constantFrom('1', '', '%FF') }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }) },
    );
    const documented = byPath.get(op.path)!;
    const methodArb = fc.oneof({ weight: 20, arbitrary: fc.constant(op.method) }, { weight: 2, arbitrary: fc.constantFrom(...ODD_METHODS) });
    const bodyArb = op.body ? fc.tuple(fc.oneof({ weight: 12, arbitrary: validValue(op.body.schema, '', g, spec) }, { weight: 1, arbitrary: fc.constant(undefined) }), bodyMutation) : fc.constant([undefined, { kind: 'none' as const }] as const);
    const strayBody = fc.oneof({ weight: 15, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom<unknown>({}, { a: 1 }, new RawJson('{')) });
    const idemArb = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.nat(15).map((n) => `fuzz-key-${n}`) }, { weight: 1, arbitrary: fc.constantFrom('', 'k'.repeat(256), 'caf\xe9', 'a, b') });
    // A coherent booking (a free slot seen in availability) now and then, so the booking core is reached.
    const slotArb = pick(() => ctx.pool.slots, undefined as Pool['slots'][number] | undefined);

    return fc.record({
      path: pathArb, query: queryArb, qm: queryMutation, method: methodArb, body: bodyArb, stray: strayBody, slot: slotArb, useSlot: fc.nat(3),
      auth: authArb(keys), ctype: contentTypeArb, extras: fc.array(extraHeaderArb, { maxLength: 2 }), idem: idemArb,
    }).map((r): FuzzCase => {
      const reasons: string[] = [];
      let foreignPath = false;
      let clean = true;
      // Path
      const segs = op.path.split('/').map((seg) => {
        if (!seg.startsWith('{')) return seg;
        const i = pathParams.findIndex((p) => `{${p.name}}` === seg);
        const v = r.path[i]!;
        if (v.value !== undefined && isForeign(v.value)) foreignPath = true;
        if (v.value === undefined || !isOurs(v.value)) { reasons.push(`path ${pathParams[i]!.name} is not one of ours`); clean = clean && v.value !== undefined && !badText(v.value); }
        return v.raw;
      });
      // Query
      let query: QueryPart[] = r.query.filter((q): q is QueryPart => q !== undefined);
      const qm = r.qm;
      if (qm.kind === 'value' && query.length) {
        const at = qm.at % query.length;
        query[at] = { ...query[at]!, raw: qm.raw };
        clean = false;
      } else if (qm.kind === 'drop' && query.length) {
        const gone = query[qm.at % query.length]!;
        query = query.filter((q) => q !== gone);
        if (queryParams.find((p) => p.name === gone.name)?.required) reasons.push(`required query ${gone.name} missing`);
      } else if (qm.kind === 'unknown') {
        query.push({ name: 'x', rawName: qm.name, raw: qm.raw });
        clean = false;
        if (queryParams.length) reasons.push(`unknown query parameter ${qm.name}`);
      } else if (qm.kind === 'dup' && query.length) {
        query.push(query[qm.at % query.length]!);
        clean = false;
      }
      for (const q of query) {
        let decoded: string;
        try {
          decoded = decodeURIComponent(q.raw.replace(/\+/g, ' '));
          if (/[\x80-\xff]/.test(q.raw)) throw new Error('raw byte');
        } catch {
          reasons.push(`query ${q.name}: broken encoding`);
          clean = false;
          continue;
        }
        const bad = badText(decoded);
        if (bad) { reasons.push(`query ${q.name}: ${bad}`); clean = false; }
        const p = queryParams.find((x) => x.name === q.name);
        if (p && q.rawName === undefined && query.filter((x) => x.name === q.name).length === 1) {
          const why = checkParam(p.schema, decoded);
          if (why) { reasons.push(`query ${q.name}: ${why}`); clean = false; }
        }
      }
      // Method
      let method = r.method;
      if (method !== op.method) clean = false;
      if (!documented.includes(method) && !(method === 'HEAD' && documented.includes('GET'))) reasons.push(`method ${method} not documented on this path`);
      const mutating = !['GET', 'HEAD'].includes(method);
      // Body
      let bodyValue: unknown = r.body[0];
      if (op.body && bodyValue !== undefined && r.slot && r.useSlot === 0 && typeof bodyValue === 'object' && bodyValue) {
        const b = cloneJson(bodyValue) as Record<string, unknown>;
        if ('starts_at' in (op.body.schema.properties ?? {})) b.starts_at = r.slot.starts_at;
        if ('service' in (op.body.schema.properties ?? {})) b.service = r.slot.service;
        if ('location' in (op.body.schema.properties ?? {})) b.location = r.slot.location;
        if ('staff' in (op.body.schema.properties ?? {})) b.staff = r.slot.staff;
        bodyValue = b;
      }
      if (op.body && r.body[1].kind !== 'none') clean = false;
      bodyValue = op.body ? (bodyValue === undefined ? undefined : mutateBody(bodyValue, r.body[1])) : r.stray;
      const bodyBytes = bodyValue === undefined ? undefined : jsonBytes(bodyValue);
      if (op.body && method === op.method) {
        const bad = badTextIn(bodyValue);
        if (bad) reasons.push(`body: ${bad}`);
        if (hasProtoKey(bodyValue)) reasons.push('body: __proto__/constructor/prototype key');
        const parsed = bodyBytes ? parsedBody(bodyBytes) : { ok: true as const, value: undefined };
        if (!parsed.ok) reasons.push('body: not JSON');
        // JSON `null` is taken as no body (docs/api-notes.md), like an empty one.
        else if (parsed.value === undefined || parsed.value === null) { if (op.body.required) reasons.push('body: missing'); }
        else { const why = checkBody(op.body.schema, parsed.value); if (why) reasons.push(`body: ${why}`); }
      }
      if (!op.body && bodyValue !== undefined) clean = false;
      // Headers
      const headers: [string, string][] = [...r.auth.headers];
      if (r.auth.refuse) { reasons.push(r.auth.refuse); clean = false; }
      if (r.auth.read && mutating) reasons.push('read key on a mutation');
      if (bodyBytes) {
        headers.push(...r.ctype);
        if (r.ctype.length !== 1 || r.ctype[0]![1] !== 'application/json') clean = false;
        if (r.ctype.length === 1 && NOT_JSON_TYPES.includes(r.ctype[0]![1]) && bodyBytes.length && op.body && method === op.method) reasons.push('not JSON content type');
      }
      if (method === 'POST' && r.idem !== undefined) {
        headers.push(['Idempotency-Key', r.idem]);
        if (r.idem === '' || r.idem.length > 255) { reasons.push('bad Idempotency-Key'); clean = false; }
        if (!/^[\x20-\x7e]*$/.test(r.idem) || r.idem.includes(',')) clean = false;
      }
      let body = bodyBytes;
      let frame: boolean | undefined;
      for (const e of r.extras) {
        headers.push(...e.headers);
        if (e.refuse) { reasons.push(e.refuse); clean = false; }
        if (e.chunked) {
          frame = false;
          if (body?.length) body = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
          else body = Buffer.from('0\r\n\r\n');
        }
      }
      if (frame === false && r.extras.some((e) => e.refuse === 'both Transfer-Encoding and Content-Length')) frame = false;
      const target = `${segs.join('/')}${query.length ? `?${query.map((q) => `${q.rawName ?? q.name}=${q.raw}`).join('&')}` : ''}`;
      const label = `${method} ${op.path}`;
      if (method !== op.method) method = method || 'GET';
      // Another documented method on the same path is that operation (judged by its responses).
      const answeredBy = ops.find((o) => o.path === op.path && o.method === method);
      return {
        req: { method, target, headers, body, frame }, op: answeredBy, area: 'v1',
        mustRefuse: reasons.length ? reasons.join('; ') : undefined, foreignPath, clean: clean && !reasons.length, label,
      };
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// /hub/api and /book/api: a real request of the page, made hostile in one way

/** A request the Hub or the booking page really makes (real ids in `path`), before it is made hostile. */
export interface AppTemplate {
  area: 'hub' | 'book';
  method: string;
  path: string;
  query?: [string, string][];
  body?: Record<string, unknown>;
}

const stringLeaves = (v: unknown): (string | number)[][] => positions(v).filter((p) => typeof getAt(v, p) === 'string');

/**
 * The template with one hostile change, each of which API.md §5 / the issue says must be refused: an unknown
 * method, NUL or a C0 control or a lone surrogate in a string, invalid UTF-8 bytes in a body string, a
 * `__proto__`/`constructor`/`prototype` key in any object of the body, NUL or broken encoding in the query.
 * `headers` (session cookie, CSRF, Origin) are added as they are.
 */
export function appCaseArb(templates: () => AppTemplate[], headers: (area: 'hub' | 'book') => [string, string][]): fc.Arbitrary<FuzzCase> {
  return fc.record({
    t: pick(templates, undefined as AppTemplate | undefined),
    kind: fc.constantFrom('method', 'char', 'utf8', 'proto', 'query'),
    method: fc.constantFrom('QUERY', 'PROPFIND', 'TRACE', 'SEARCH', 'MKCOL', 'PURGE', 'FOO', 'get', 'post', 'Patch'),
    at: fc.nat(),
    char: fc.constantFrom('\u0000', '\u0001', '\u001f', '\ud800', '\u0000\u0000'),
    bytes: fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x00]),
    key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
    enc: fc.constantFrom('%00', 'a%00b', '%FF', '%C3%28', '%ED%A0%80', '%01'),
  }).map((r): FuzzCase => {
    const t = r.t!;
    let method = t.method;
    let body: unknown = t.body === undefined ? undefined : cloneJson(t.body);
    let query = [...(t.query ?? [])].map(([k, v]) => [k, pct(v)] as [string, string]);
    let kind: string = r.kind;
    const leaves = stringLeaves(body);
    if ((kind === 'char' || kind === 'utf8') && !leaves.length) kind = 'query';
    if (kind === 'proto' && body === undefined) kind = 'query';
    let path = t.path;
    if (kind === 'method') method = r.method;
    else if (kind === 'char') {
      const at = leaves[r.at % leaves.length]!;
      const s = getAt(body, at) as string;
      setAt(body, at, `${s.slice(0, 1)}${r.char}${s.slice(1)}`);
    } else if (kind === 'utf8') {
      const at = leaves[r.at % leaves.length]!;
      setAt(body, at, new RawString(Buffer.concat([Buffer.from((getAt(body, at) as string).slice(0, 2)), Buffer.from(r.bytes)])));
    } else if (kind === 'proto') {
      const objs = objectPaths(body);
      const where = objs[r.at % objs.length]!;
      const target = getAt(body, where);
      const sibling = Object.keys(target).map((k) => target[k]).find((v) => v && typeof v === 'object');
      setOwn(target, r.key, sibling !== undefined ? cloneJson(sibling) : { polluted: true });
    } else if (query.length) {
      const at = r.at % query.length;
      query[at] = [query[at]![0], r.enc];
    } else {
      // No query: the last id segment of the path carries it.
      const segs = path.split('/');
      segs[segs.length - 1] = `${segs[segs.length - 1]}${r.enc}`;
      path = segs.join('/');
      kind = 'path';
    }
    const bytes = body === undefined ? undefined : jsonBytes(body);
    const target = `${path}${query.length ? `?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : ''}`;
    return {
      req: { method, target, headers: [...headers(t.area), ...(bytes ? [['Content-Type', 'application/json'] as [string, string]] : [])], body: bytes },
      area: t.area, mustRefuse: `hostile (${kind})`, foreignPath: false, clean: false,
      label: `${t.method} ${t.path.replace(/\/(loc|svc|stf|cli|bkg|exc|clo)_[a-z0-9]+/g, '/{id}').replace(/\/[A-Z0-9]{4}-[A-Z0-9]{4}/g, '/{reference}')} ${kind}`,
    };
  });
}
