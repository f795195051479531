import type { FastifyServerOptions } from 'fastify';
import pino, { type DestinationStream, type Logger } from 'pino';
import { findNumbers } from 'libphonenumber-js/max';

// Values that must never reach a log line, whatever field they hide in. Phone numbers are handled apart
// (scrubPhones): a plain pattern cannot tell them from dates, instants and times.
const API_KEY = /sk_live_[0-9A-Za-z]{4,}/gi;
const KEY_HINT = /sk_live_/i;
// ' is allowed before the @ (o'neil@…); / is not allowed after it, so that a module path in a stack trace
// (node_modules/@fastify/send/index.js) is not taken for an address.
const EMAIL = /[^\s@"<>(),;:]+@[^\s@"'<>(),;:/]+\.[A-Za-z]{2,}/g;

// Shapes that are kept verbatim, tried before a phone at each position so their digits never start or join one:
// RFC 3339 dates and instants (any offset, fractions, even out-of-range fields such as 2026-11-31 or 24:00:00,
// which is exactly what an error about a bad date must show), dates with slashes or dots, times, IPv4 addresses,
// UUIDs (a caller's request id).
const KEEP_START = String.raw`\d{4}-\d{2}-\d{2}|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{1,2}:\d{2}`;
const KEEP = String.raw`\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?`
  + String.raw`|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4}`
  + String.raw`|\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?`
  + String.raw`|\d{1,3}(?:\.\d{1,3}){3}(?![\d.])`
  + String.raw`|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`;
// A phone in its usual spellings: `tel:`, `+` / `00` / `(+44)`, groups of digits joined by up to three of space,
// `-`, `.`, `/`, parentheses (or their URL escapes), e.g. `+44 (0)7700-900-123`. Not glued to a word before it
// (so `bkg_…123456789…` ids stay whole); no group starts where a kept shape (date, time) does.
const SEP = String.raw`(?:[\s.\/()\u2010-\u2015-]|%2[0Bb89Dd])`;
const PHONE = String.raw`(?:tel:|callto:)?(?:%2[Bb]|\+)?\(?\+?(?!${KEEP_START})\d+(?:${SEP}{1,3}(?!${KEEP_START})\d+)*\)?`;
const KEEP_OR_PHONE = new RegExp(String.raw`(?<![A-Za-z0-9_])(?:(${KEEP})|${PHONE})`, 'gi');
const HAS_DIGIT_RUN = /\d(?:\D{0,3}\d){6}/; // cheap gate: fewer than 7 digits close together is never a phone

/**
 * Whether a candidate (digits in phone spelling, already known not to be a date or time) is to be removed.
 * Nine or more digits: always (the conservative fallback: every national and international number is at
 * least that long, and a card or account number is no better in a log). Seven or eight: when written as a
 * phone (`+`, `00`, `tel:`), or when libphonenumber finds a possible UK number in it, e.g. a local `946 0000`
 * (but not `1234-5678`, `31122026`, or a booking reference `3352-098R`: short and glued to a word); fewer: never.
 */
function isPhone(candidate: string, gluedToWord: boolean): boolean {
  const digits = candidate.replace(/%[0-9A-Fa-f]{2}/g, ' ').replace(/\D/g, '').length;
  if (digits >= 9) return true;
  if (digits < 7 || gluedToWord) return false;
  if (/^(?:tel:|callto:|%2B|\(?\+|00)/i.test(candidate)) return true; // written as a phone: +, 00 or tel:
  return findNumbers(candidate.replace(/%2[Bb]/g, '+'), { defaultCountry: 'GB', v2: true, leniency: 'POSSIBLE' } as never).length > 0;
}

/** `text` with every phone number replaced by `[phone]`; dates, instants, times, IPv4 addresses and ids kept. */
export function scrubPhones(text: string): string {
  if (!HAS_DIGIT_RUN.test(text)) return text;
  return text.replace(KEEP_OR_PHONE, (match: string, kept: string | undefined, at: number) =>
    (kept !== undefined || !isPhone(match, /\w/.test(text.charAt(at + match.length))) ? match : '[phone]'));
}

/**
 * `text` without API keys (`sk_live_[redacted]`), emails (`[email]`) or phone numbers (`[phone]`). Pure and
 * cheap for text without `@`, `sk_live_` or seven digits close together (most log strings).
 */
export function scrub(text: string): string {
  let out = text;
  if (out.includes('@')) out = out.replace(EMAIL, '[email]');
  if (KEY_HINT.test(out)) out = out.replace(API_KEY, 'sk_live_[redacted]');
  return scrubPhones(out);
}

const MAX_DEPTH = 5;

/** An Error as the plain fields a log line needs, each scrubbed: its message and stack (and a cause's) can quote input. */
function errorFields(err: Error, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.name, message: scrub(String(err.message)), stack: err.stack === undefined ? undefined : scrub(err.stack) };
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string') out.code = scrub(code);
  if (typeof statusCode === 'number') out.statusCode = statusCode;
  if (err.cause !== undefined) out.cause = scrubDeep(err.cause, depth + 1);
  return out;
}

/**
 * Every string in `value` scrubbed, at any depth: Error instances become `{type, message, stack, code,
 * statusCode, cause}` (their other fields, e.g. a raw packet, are dropped); anything deeper than MAX_DEPTH
 * is written as scrubbed JSON text rather than skipped.
 */
export function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return errorFields(value, depth);
  if (depth >= MAX_DEPTH) {
    try {
      return scrub(JSON.stringify(value) ?? '');
    } catch {
      return '[unserialisable]';
    }
  }
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, depth + 1);
  return out;
}

const CHINDINGS = pino.symbols.chindingsSym;

/**
 * Scrubs what a new child logger adds to its parent's bindings (pino keeps them as a JSON fragment,
 * `,"reqId":"…"`, written on every line); the parent's part (pid, host name, already scrubbed) is kept.
 */
function scrubChildBindings(child: Logger): void {
  const holder = child as unknown as Record<symbol, string>;
  const parent = (Object.getPrototypeOf(child) as Record<symbol, string | undefined>)[CHINDINGS] ?? '';
  const all = holder[CHINDINGS] ?? '';
  const own = all.startsWith(parent) ? all.slice(parent.length) : all;
  if (own === '' || scrub(own) === own) return;
  const scrubbed = JSON.stringify(scrubDeep(JSON.parse(`{${own.slice(1)}}`)));
  holder[CHINDINGS] = (all.startsWith(parent) ? parent : '') + (scrubbed === '{}' ? '' : `,${scrubbed.slice(1, -1)}`);
}

/**
 * pino options: known secret fields are removed by path, and every string is scrubbed for keys, emails and
 * phone numbers (in the logged object, in the child bindings such as `reqId`, and in the message), so a
 * value that slips into an error message or a header is still not written. Request bodies are never logged;
 * requests are logged by route template, not URL (query strings can hold an email or phone). Names and free
 * text cannot be recognised, so they must never be logged at all: test/log-canary.test.ts holds that.
 */
export function loggerOptions(level: string, stream?: DestinationStream): NonNullable<FastifyServerOptions['logger']> & object {
  return {
    level,
    stream,
    redact: {
      paths: [
        'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'res.headers["set-cookie"]',
        '*.authorization', '*.password', '*.plaintext', '*.api_key', '*.token', '*.email', '*.phone', 'body', '*.body', 'err.detail',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; routeOptions?: { url?: string } }) => ({ method: req.method, route: req.routeOptions?.url }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      // formatters.log has already turned an Error into scrubbed fields; pino's own serializer would rename
      // the type to `Object` and copy every enumerable field.
      err: (err: unknown) => (err instanceof Error ? errorFields(err, 0) : err),
    },
    formatters: { log: (obj: Record<string, unknown>) => scrubDeep(obj) as Record<string, unknown> },
    // Child bindings (`reqId`, anything a plugin binds) are written on every line of the child. pino applies
    // `formatters.bindings` to the root's bindings only (it resets it for children), so they are scrubbed here.
    onChild: scrubChildBindings,
    // and the message itself
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)));
      },
    },
  } as never;
}
