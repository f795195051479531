import { addDays } from '../modules/availability/engine/local-dates.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

const lastAnswer = new Map<string, { minute: number; date: string }>();

/** The local calendar date (YYYY-MM-DD) of an instant in an IANA zone. */
export function localDate(ms: number, zone: string): string {
  // Zone offsets change on whole minutes, so one answer serves a whole UTC minute (hot path: "today").
  const minute = Math.floor(ms / 60_000);
  const last = lastAnswer.get(zone);
  if (last && last.minute === minute) return last.date;
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(zone, f);
  }
  const date = f.format(ms);
  lastAnswer.set(zone, { minute, date });
  return date;
}

// Calendar arithmetic lives once, in the engine's pure calendar (no zone involved).
export { addDays };
export { daysBetween } from '../modules/availability/engine/local-dates.js';

/**
 * A local date no later than today in any zone (yesterday in UTC): the lower bound for dated rules "not yet
 * over" (closures, time off) where the zone is not at hand. YYYY-MM-DD.
 */
export function dayBeforeTodayAnywhere(now: number): string {
  return addDays(new Date(now).toISOString().slice(0, 10), -1);
}
