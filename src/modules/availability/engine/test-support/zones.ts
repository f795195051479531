/**
 * Zones and dates for property tests, found with Luxon (not with the engine)
 * so generated windows concentrate on the days clocks change.
 */
import { DateTime, IANAZone } from 'luxon';

export const TEST_ZONES = [
  'Europe/London',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe', // 30-minute DST shift
  'Pacific/Chatham', // +12:45 / +13:45
  'UTC',
  'America/Santiago', // changes at local midnight
  'America/Havana', // gap at midnight, repeat at 01:00
  'Antarctica/Troll', // a two-hour shift
] as const;

/** Local wall-clock reading of instant t as "local epoch ms", from Luxon's fields. */
export function wallClockOf(t: number, zone: string): number {
  const d = DateTime.fromMillis(t, { zone });
  return Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second, d.millisecond);
}

const cache = new Map<string, string[]>();

/** Local dates in 2025–2027 on which the zone's offset changes (empty for UTC/Kolkata). */
export function changeDates(zone: string): string[] {
  const cached = cache.get(zone);
  if (cached !== undefined) return cached;
  const found: string[] = [];
  const z = IANAZone.create(zone);
  const start = Date.parse('2025-01-01T00:00:00Z');
  // Daily samples, then a binary search for the exact instant of each change.
  for (let day = 0; day < 3 * 366; day++) {
    let lo = start + day * 86_400_000;
    let hi = lo + 86_400_000;
    if (z.offset(lo) === z.offset(hi)) continue;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (z.offset(mid) === z.offset(lo)) lo = mid;
      else hi = mid;
    }
    found.push(DateTime.fromMillis(hi, { zone }).toISODate()!);
  }
  cache.set(zone, found);
  return found;
}

/** A date string `days` after `date` (calendar arithmetic via Luxon, in UTC). */
export function shiftDate(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}
