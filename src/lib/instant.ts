/**
 * The one parser for instants and calendar dates that callers send (API.md §5).
 *
 * An instant is RFC 3339 `date-time` (section 5.6): `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with a
 * real calendar date (no 31 November, no 29 February outside leap years), hours 00–23, minutes and seconds
 * 00–59 (no leap second: we cannot store one), an explicit offset, and a year from 2000 to 2199 (a booking
 * system has no business before or far after; outside it, time-zone data is either absent or guesswork).
 * `T`/`Z` may be lower case (RFC 3339 §5.6 note). Anything else is refused with a reason, never rolled over
 * (`Date.parse('2026-11-31T10:00:00Z')` silently gives 1 December) and never left to throw later.
 *
 * A calendar date is `YYYY-MM-DD`, real, year 2000–2199; it names a local date in some location's zone.
 */

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2199;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface ParsedInstant {
  /** Epoch milliseconds (fractions beyond milliseconds are dropped, toward the past). */
  ms: number;
  /** True when seconds and every fractional digit are zero: the instant falls on a whole minute. */
  wholeMinute: boolean;
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function checkDate(y: number, m: number, d: number): string | undefined {
  if (y < MIN_YEAR || y > MAX_YEAR) return `the year must be between ${MIN_YEAR} and ${MAX_YEAR}`;
  if (m < 1 || m > 12) return 'the month must be 01 to 12';
  if (d < 1 || d > daysInMonth(y, m)) return `there is no day ${String(d).padStart(2, '0')} in that month`;
  return undefined;
}

/**
 * Parses an RFC 3339 instant with an explicit offset into epoch ms. Never throws.
 * @example parseInstant('2026-11-30T09:30:00+00:00') → { ok: true, value: { ms: 1796031000000, wholeMinute: true } }
 */
export function parseInstant(text: string): Parsed<ParsedInstant> {
  const m = INSTANT.exec(text);
  if (!m) return { ok: false, reason: 'expected an RFC 3339 instant with an offset, e.g. 2026-11-30T09:30:00Z' };
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const dateProblem = checkDate(y, mo, d);
  if (dateProblem) return { ok: false, reason: `not a real date: ${dateProblem}` };
  if (h > 23) return { ok: false, reason: 'not a real time: hours are 00 to 23' };
  if (mi > 59) return { ok: false, reason: 'not a real time: minutes are 00 to 59' };
  if (s > 59) return { ok: false, reason: 'not a real time: seconds are 00 to 59 (leap seconds are not accepted)' };
  let offsetMinutes = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return { ok: false, reason: 'not a real offset: use ±HH:MM with HH 00–23 and MM 00–59' };
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const fraction = m[7] ?? '';
  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, millis) - offsetMinutes * 60_000;
  return { ok: true, value: { ms, wholeMinute: s === 0 && /^0*$/.test(fraction) } };
}

/** Parses a real `YYYY-MM-DD` calendar date (year 2000–2199). Never throws. */
export function parseCalendarDate(text: string): Parsed<string> {
  const m = DATE.exec(text);
  if (!m) return { ok: false, reason: 'expected a date as YYYY-MM-DD' };
  const problem = checkDate(Number(m[1]), Number(m[2]), Number(m[3]));
  return problem ? { ok: false, reason: `not a real date: ${problem}` } : { ok: true, value: text };
}

/**
 * Epoch ms of an instant that validation already accepted (request schemas run `parseInstant` first).
 * Throws a plain Error if it is not valid: reaching that is a bug, answered as a 500.
 */
export function instantMs(text: string): number {
  const parsed = parseInstant(text);
  if (!parsed.ok) throw new Error(`instantMs: unvalidated instant (${parsed.reason})`);
  return parsed.value.ms;
}
