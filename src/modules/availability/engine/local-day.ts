/**
 * A local date pinned to instants once, so that range edges and grid steps
 * within it need no further zone lookups (a Luxon offset lookup costs ~10 µs;
 * a month of slots for ten staff would otherwise take tens of ms).
 *
 * A day is [start, end): start is the instant its midnight resolves to and
 * end the next midnight's (see the rule in zone-time.ts). So a spring-forward
 * day is 23 h long, a fall-back day 25 h, and consecutive days tile time.
 * Within a day the offset changes at most once, at `changeAt`.
 */
import type { IANAZone } from 'luxon';
import type { Weekday } from './types.js';
import { DAY_MS, MINUTE_MS, MINUTES_PER_DAY, eachLocalDate } from './local-dates.js';
import { findOffsetChange, offsetAt, resolveWallClock } from './zone-time.js';

export interface LocalDay {
  date: string;
  weekday: Weekday;
  /** Local midnight written as if it were UTC ("local epoch ms"). */
  wallStart: number;
  start: number;
  end: number;
  /** Offset (ms) from start until changeAt. */
  offsetBefore: number;
  /** The instant the offset changes, or `end` when it does not change inside the day. */
  changeAt: number;
  /** Offset (ms) from changeAt until end. */
  offsetAfter: number;
}

/** The local days from `from` to `to` inclusive, chained edge to edge. */
export function buildLocalDays(zone: IANAZone, from: string, to: string): LocalDay[] {
  const dates = eachLocalDate(from, to);
  const first = dates[0];
  if (first === undefined) return [];
  const days: LocalDay[] = [];
  let start = resolveWallClock(zone, first.epochDay * DAY_MS);
  let offset = offsetAt(zone, start);
  for (const { date, weekday, epochDay } of dates) {
    const wallStart = epochDay * DAY_MS;
    const nextWall = wallStart + DAY_MS;
    // Fast path, one lookup: if the offset at the would-be next midnight is
    // unchanged, nothing happened today (at most one change per day).
    let end = nextWall - offset;
    let changeAt = end;
    let offsetAfter = offset;
    let nextOffset = offset;
    if (offsetAt(zone, end) !== offset) {
      changeAt = findOffsetChange(zone, start, end);
      nextOffset = offsetAt(zone, changeAt);
      // Next midnight under the new offset, or the change itself if midnight
      // falls inside a spring-forward gap.
      end = Math.max(nextWall - nextOffset, changeAt);
      // A change exactly at the day's end belongs to the next day.
      offsetAfter = changeAt === end ? offset : nextOffset;
    }
    days.push({ date, weekday, wallStart, start, end, offsetBefore: offset, changeAt, offsetAfter });
    start = end;
    offset = nextOffset;
  }
  return days;
}

/** Local minute of this day (0..1440) → instant, by the rule in zone-time.ts. */
export function dayMinuteToInstant(day: LocalDay, minute: number): number {
  if (minute <= 0) return day.start;
  if (minute >= MINUTES_PER_DAY) return day.end;
  const wall = day.wallStart + minute * MINUTE_MS;
  const beforeChange = wall - day.offsetBefore;
  // max(): a wall time inside a gap at midnight resolves to the day's start.
  if (beforeChange < day.changeAt) return Math.max(beforeChange, day.start);
  // max(): a wall time inside a spring-forward gap resolves to the change.
  return Math.max(wall - day.offsetAfter, day.changeAt);
}

/** Offset (ms) in effect at instant t, which must lie inside the day. */
export function dayOffsetAt(day: LocalDay, t: number): number {
  return t < day.changeAt ? day.offsetBefore : day.offsetAfter;
}
