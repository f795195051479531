/** Dates and times shown in a location's own zone (Intl: no zone data shipped with the Hub). */
import { parseHHMM } from '../../src/lib/wall-clock.js';

const formatters = new Map<string, Intl.DateTimeFormat>();
function fmt(zone: string, opts: Intl.DateTimeFormatOptions, locale = 'en-GB'): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: zone });
    formatters.set(key, f);
  }
  return f;
}

export const ms = (iso: string) => Date.parse(iso);
export const formatTime = (at: string | number, zone: string) => fmt(zone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(typeof at === 'string' ? ms(at) : at);
export const formatDateTime = (at: string | number, zone: string) =>
  fmt(zone, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(typeof at === 'string' ? ms(at) : at);
export const formatWhen = (at: string) => fmt(Intl.DateTimeFormat().resolvedOptions().timeZone, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms(at));

/** YYYY-MM-DD of an instant in a zone. */
export const localDate = (at: number, zone: string) => fmt(zone, { year: 'numeric', month: '2-digit', day: '2-digit' }, 'en-CA').format(at);
export const todayIn = (zone: string) => localDate(Date.now(), zone);

/** Calendar arithmetic on `YYYY-MM-DD` (the server's own, shared: one addDays). */
export { addDays } from '../../src/lib/zoned-date.js';

/** Minutes after local midnight of an instant in a zone (wall clock: 00:00 → 0, 23:59 → 1439). */
export function wallMinutes(at: number, zone: string): number {
  return parseHHMM(formatTime(at, zone));
}
export { formatHHMM, parseHHMM } from '../../src/lib/wall-clock.js';

export const formatLongDate = (date: string) =>
  new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
/** "Tue 9 Dec" for a `YYYY-MM-DD` date (no zone: a calendar date). */
export const formatShortDate = (date: string) =>
  new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

const rtf = new Intl.RelativeTimeFormat('en-GB', { numeric: 'auto' });
export function relative(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const diff = ms(iso) - now;
  const abs = Math.abs(diff);
  const steps: [number, Intl.RelativeTimeFormatUnit][] = [[60_000, 'second'], [3_600_000, 'minute'], [86_400_000, 'hour'], [7 * 86_400_000, 'day'], [30 * 86_400_000, 'week'], [365 * 86_400_000, 'month']];
  const sizes: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000, year: 365 * 86_400_000 };
  const unit = steps.find(([limit]) => abs < limit)?.[1] ?? 'year';
  if (unit === 'second') return 'just now';
  return rtf.format(Math.round(diff / sizes[unit]!), unit);
}

export const money = (m: { amount: number; currency: string }) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency: m.currency }).format(m.amount / 100);

export { WEEKDAYS, type WeekdayName as Weekday } from '../../src/lib/wall-clock.js';
export type WeeklyHours = Partial<import('../../src/lib/wall-clock.js').WeeklyHours>;
