/**
 * Calendar arithmetic on local dates ('YYYY-MM-DD'). A date is handled as an
 * "epoch day" (days since 1970-01-01 in the proleptic Gregorian calendar).
 * Date.UTC is used here purely as a calendar; no time zone is involved, so
 * this is not an offset shortcut (zone work lives in zone-time.ts).
 */
import type { Weekday } from './types.js';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
export const MINUTES_PER_DAY = 1440;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict 'YYYY-MM-DD'; throws RangeError on anything else (e.g. 2026-02-30). */
export function parseLocalDate(date: string): number {
  const m = DATE_PATTERN.exec(date);
  if (m === null) throw new RangeError(`invalid local date: ${JSON.stringify(date)}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC silently rolls 2026-02-30 over to March; reject instead.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new RangeError(`invalid local date: ${JSON.stringify(date)}`);
  }
  return Math.round(ms / DAY_MS);
}

export function formatLocalDate(epochDay: number): string {
  const d = new Date(epochDay * DAY_MS);
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

/** ISO weekday; 1970-01-01 was a Thursday (4). */
export function isoWeekday(epochDay: number): Weekday {
  return ((((epochDay + 3) % 7) + 7) % 7 + 1) as Weekday;
}

export function addDays(date: string, days: number): string {
  return formatLocalDate(parseLocalDate(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return parseLocalDate(to) - parseLocalDate(from);
}

export interface LocalDate {
  date: string;
  epochDay: number;
  weekday: Weekday;
}

/** Every local date from `from` to `to` inclusive; empty when from > to. */
export function eachLocalDate(from: string, to: string): LocalDate[] {
  const first = parseLocalDate(from);
  const last = parseLocalDate(to);
  const out: LocalDate[] = [];
  for (let day = first; day <= last; day++) {
    out.push({ date: formatLocalDate(day), epochDay: day, weekday: isoWeekday(day) });
  }
  return out;
}
