import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import fc from 'fast-check';
import { loggerOptions, scrub } from './logging.js';
import { requestIdFor } from './core.js';
import { newId, newReference } from '../lib/ids.js';

const RUNS = 300;
const digitsOf = (s: string) => s.replace(/\D/g, '');

/** A logger writing into an array, with the app's options. */
function capture(): { log: pino.Logger; written: () => string } {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
  return { log: pino(loggerOptions('trace', stream) as pino.LoggerOptions, stream), written: () => lines.join('') };
}

test('scrub removes API keys, emails and phone numbers from any text', () => {
  const text = 'key sk_live_AbCdEf0123456789AbCdEf0123456789AbCd for ana.silva@example.com on +44 7700 900123 or 07700 900123';
  const out = scrub(text);
  for (const secret of ['sk_live_AbCd', 'ana.silva@example.com', '7700 900123', '900123']) assert.ok(!out.includes(secret), secret);
  assert.match(out, /sk_live_\[redacted\]/);
});

test('the logger redacts known fields and scrubs every string it writes', () => {
  const { log, written } = capture();
  log.info({ req: { headers: { authorization: 'Bearer sk_live_secret', cookie: 'setora_session=abc' } }, client: { email: 'x@example.com', phone: '+447700900123' }, note: 'call 07911 123456' }, 'message mentions jo@example.com');
  for (const secret of ['sk_live_secret', 'setora_session=abc', 'x@example.com', '+447700900123', '07911 123456', 'jo@example.com']) assert.ok(!written().includes(secret), secret);
  assert.ok(written().includes('[redacted]'));
});

// The usual spellings of one UK number (national significant number `nsn`, e.g. 7700900123).
const UK_SPELLINGS: ((nsn: string) => string)[] = [
  (n) => `0${n.slice(0, 4)} ${n.slice(4)}`, // 07700 900123
  (n) => `0${n}`,
  (n) => `+44 ${n.slice(0, 4)} ${n.slice(4)}`,
  (n) => `+44${n}`,
  (n) => `+44 (0)${n.slice(0, 4)}-${n.slice(4, 7)}-${n.slice(7)}`,
  (n) => `0044 ${n}`,
  (n) => `00 44 ${n.slice(0, 4)} ${n.slice(4)}`,
  (n) => `tel:+44${n}`,
  (n) => `TEL:0${n}`,
  (n) => `(0${n.slice(0, 2)}) ${n.slice(2, 6)} ${n.slice(6)}`, // (020) 7946 0000
  (n) => `0${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}`, // 020 7946 0000
  (n) => `0${n.slice(0, 4)}.${n.slice(4, 7)}.${n.slice(7)}`,
  (n) => `0${n.slice(0, 4)} - ${n.slice(4)}`,
  (n) => `(+44) ${n.slice(0, 4)} ${n.slice(4)}`,
  (n) => `%2B44%20${n.slice(0, 4)}%20${n.slice(4)}`, // from a URL
  (n) => `44${n}`,
];
const ukNsn = fc.oneof(
  fc.stringMatching(/^7[1-9]\d{8}$/), // mobiles
  fc.stringMatching(/^20\d{8}$/), // London
  fc.stringMatching(/^1\d{9}$/), // geographic
);
// International: a country code and 7–11 more digits, grouped in twos to fours.
const international = fc.record({ cc: fc.integer({ min: 1, max: 998 }), rest: fc.stringMatching(/^[1-9]\d{6,10}$/), sep: fc.constantFrom(' ', '-', '.', ' ') })
  .map(({ cc, rest, sep }) => ({ text: `+${cc} ${rest.match(/.{1,3}/g)!.join(sep)}`, digits: rest }));
// What surrounds a value in a log line: words, quotes, JSON punctuation, never digits or a word glued to it.
const prefix = fc.constantFrom('', 'call ', 'invalid phone: "', '{"phone":"', 'to=', '(', 'tel. ', '\n', 'client ');
const suffix = fc.constantFrom('', ' now', '"', '"}', ')', '.', ', then', '\n', ' at 10:30');

test('property: UK and international phone numbers in their usual spellings are removed', () => {
  fc.assert(fc.property(ukNsn, fc.constantFrom(...UK_SPELLINGS), prefix, suffix, (nsn, spell, p, s) => {
    const out = scrub(p + spell(nsn) + s);
    // no run of 6 of its digits survives, in any spelling
    assert.ok(!digitsOf(out).includes(nsn.slice(-6)), `${p + spell(nsn) + s} -> ${out}`);
    assert.ok(out.includes('[phone]'));
  }), { numRuns: RUNS });
  fc.assert(fc.property(international, prefix, suffix, ({ text, digits }, p, s) => {
    const out = scrub(p + text + s);
    assert.ok(!digitsOf(out).includes(digits.slice(-6)), `${p + text + s} -> ${out}`);
  }), { numRuns: RUNS });
});

test('fixed examples: the spellings of issue 9 are removed, a local number too', () => {
  for (const phone of ['07700 900123', '+44 7700 900123', '+44 (0)7700-900-123', '0044 7700900123', '020 7946 0000', 'tel:+447700900123', '946 0000', '+1 (415) 555-2671', '+33 1 23 45 67 89']) {
    assert.equal(scrub(`x ${phone} y`), 'x [phone] y', phone);
  }
  assert.equal(scrub('07700 900123 on 2026-11-31 at 10:00'), '[phone] on 2026-11-31 at 10:00');
});

const two = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((n) => String(n).padStart(2, '0'));
// RFC 3339 shapes, including out-of-range fields a caller may send (2026-11-31, 24:00:00), which an error must quote.
const date = fc.tuple(fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')), two(0, 19), two(0, 39)).map(([y, m, d]) => `${y}-${m}-${d}`);
const time = fc.tuple(two(0, 29), two(0, 69), fc.option(two(0, 69)), fc.option(fc.stringMatching(/^\d{1,9}$/))).map(([h, m, s, f]) => `${h}:${m}${s === null ? '' : `:${s}${f === null ? '' : `.${f}`}`}`);
const offset = fc.oneof(fc.constantFrom('Z', 'z', ''), fc.tuple(fc.constantFrom('+', '-'), two(0, 23), two(0, 59)).map(([sg, h, m]) => `${sg}${h}:${m}`));
const instant = fc.tuple(date, fc.constantFrom('T', 't', ' '), time, offset).map(([d, t, tm, o]) => `${d}${t}${tm}${o}`);

test('property: RFC 3339 dates, instants and times are left intact', () => {
  fc.assert(fc.property(fc.oneof(date, instant, time), prefix, suffix, (value, p, s) => {
    const text = `${p}${value}${s}`;
    assert.equal(scrub(text), text);
  }), { numRuns: RUNS * 2 });
  // several in a row, as in a range or a list
  fc.assert(fc.property(fc.array(fc.oneof(date, instant), { minLength: 2, maxLength: 5 }), fc.constantFrom(' ', '/', ', ', ' – ', '..'), (values, sep) => {
    const text = `invalid range: ${values.join(sep)}`;
    assert.equal(scrub(text), text);
  }), { numRuns: RUNS });
  for (const text of ['invalid local date: "2026-11-31"', '2026-12-08T24:00:00+10:00', 'starts_at 2026-03-29T01:30:00.000Z is not on the grid', '31/12/2026', '2026/12/31', '10:00–12:30']) assert.equal(scrub(text), text);
});

test('ids, references, request ids, UUIDs and IPv4 addresses are left intact', () => {
  const prefixes = ['org', 'usr', 'key', 'loc', 'svc', 'stf', 'cli', 'bkg', 'evt', 'whe', 'dlv'] as const;
  for (let i = 0; i < 2000; i++) {
    const values = [newId(prefixes[i % prefixes.length]!), newReference(), randomUUID(), requestIdFor({ headers: {} }), `${i % 256}.${(i * 7) % 256}.0.${i % 200}`];
    for (const v of values) assert.equal(scrub(`"${v}"`), `"${v}"`, v);
  }
});

test('property: keys and emails are removed whatever their case', () => {
  fc.assert(fc.property(fc.stringMatching(/^[0-9A-Za-z]{36}$/), fc.constantFrom('sk_live_', 'SK_LIVE_', 'Sk_Live_'), (body, p) => {
    assert.ok(!scrub(`Bearer ${p}${body}`).includes(body));
  }), { numRuns: RUNS });
  fc.assert(fc.property(fc.emailAddress(), prefix, (email, p) => {
    assert.ok(!scrub(`${p}${email} `).includes(email), email);
  }), { numRuns: RUNS });
});

test('scrub stays linear on hostile input (no catastrophic backtracking)', () => {
  const hostile = ['1 '.repeat(20_000), '1-'.repeat(20_000) + 'x', '(1)'.repeat(10_000), '2026-12-08 '.repeat(5000), '+'.repeat(20_000) + '1', '%20'.repeat(10_000) + '1'];
  for (const h of hostile) {
    const t0 = performance.now();
    scrub(h);
    assert.ok(performance.now() - t0 < 500, `${h.slice(0, 10)}… took ${performance.now() - t0} ms`);
  }
});

test('the logger scrubs child bindings (a caller\'s request id), Error instances, causes and deep objects', () => {
  const { log, written } = capture();
  const child = log.child({ reqId: '+447700900123', other: { nested: 'jo@example.com' } });
  const err = new Error('client 07700 900123 not found', { cause: new Error('lookup of ana@example.com failed') });
  child.error({ err }, 'failed for sk_live_AbCdEf0123456789');
  child.info({ a: { b: { c: { d: { e: { f: { g: 'deep 07700 900456' } } } } } } }, 'deep');
  child.info('invalid local date: "2026-11-31"');
  const out = written();
  for (const secret of ['7700900123', '07700 900123', 'jo@example.com', 'ana@example.com', 'AbCdEf0123456789', '07700 900456']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
  const first = JSON.parse(out.split('\n')[0]!);
  assert.equal(first.reqId, '[phone]');
  assert.equal(first.err.type, 'Error');
  assert.match(first.err.message, /client \[phone\] not found/);
  assert.ok(typeof first.hostname === 'string' && typeof first.pid === 'number');
  assert.ok(out.includes('invalid local date: \\"2026-11-31\\"'), 'a date in a message survives');
});

test('requestIdFor keeps a machine-made id and replaces one that carries personal data or a secret', () => {
  const given = (id: string) => requestIdFor({ headers: { 'x-request-id': id } });
  for (const id of ['my-trace-12345678', randomUUID(), '01ARZ3NDEKTSV4RRFFQ69G5FAV', '4bf92f3577b34da6a3ce929d0e0e4736', 'req_k3m9qx2pb4000123']) assert.equal(given(id), id);
  for (const id of ['sk_live_AbCdEf0123456789AbCd', '07700900123', '+447700900123', '447700900123', 'ana.silva@example.com', 'Zanzibarre-Quenby-1', 'x y <script>', 'short1']) {
    assert.match(given(id), /^req_[a-z0-9]{16}$/, id);
  }
});

test('module paths in stack traces are not taken for email addresses', () => {
  const frame = 'at send (/srv/setora/node_modules/@fastify/send/index.js:728:16)';
  assert.equal(scrub(frame), frame);
  assert.equal(scrub('write to ann.smith@example.co.uk failed'), 'write to [email] failed');
});
