/**
 * Turns the caller's rule lists into lookup-friendly, normalised data once
 * per call, and answers "which local minutes / which instants does this
 * staff member work on this day".
 *
 * Out-of-range minutes are clamped to 0..1440 and empty ranges ignored, so a
 * malformed rule can remove time but never invent it beyond the day.
 */
import type { DateRange, EngineInput, Interval, StaffInput, WeeklyRange } from './types.js';
import { MINUTES_PER_DAY } from './local-dates.js';
import { dayMinuteToInstant, type LocalDay } from './local-day.js';
import { intersectIntervals, mergeIntervals, subtractIntervals } from './intervals.js';

export interface CompiledStaff {
  id: string;
  /** Index = ISO weekday (0 unused); normalised local-minute ranges. */
  weekly: Interval[][];
  timeOff: Map<string, Interval[]>;
  extra: Map<string, Interval[]>;
  /** Normalised busy instants (sorted once, then binary-searched per day). */
  busy: Interval[];
}

export interface CompiledLocation {
  opening: Interval[][];
  closures: { from: string; to: string }[];
}

function clampMinutes(r: { start: number; end: number }): Interval {
  return {
    start: Math.max(0, Math.min(MINUTES_PER_DAY, r.start)),
    end: Math.max(0, Math.min(MINUTES_PER_DAY, r.end)),
  };
}

function byWeekday(ranges: readonly WeeklyRange[]): Interval[][] {
  const out: Interval[][] = [];
  for (let weekday = 0; weekday <= 7; weekday++) {
    out.push(mergeIntervals(ranges.filter((r) => r.weekday === weekday).map(clampMinutes)));
  }
  return out;
}

function byDate(ranges: readonly DateRange[]): Map<string, Interval[]> {
  const grouped = new Map<string, Interval[]>();
  for (const r of ranges) {
    const list = grouped.get(r.date) ?? [];
    list.push(clampMinutes(r));
    grouped.set(r.date, list);
  }
  for (const [date, list] of grouped) grouped.set(date, mergeIntervals(list));
  return grouped;
}

export function compileLocation(input: EngineInput): CompiledLocation {
  return { opening: byWeekday(input.openingHours), closures: input.closures };
}

export function compileStaff(staff: StaffInput): CompiledStaff {
  return {
    id: staff.id,
    weekly: byWeekday(staff.weeklyHours),
    timeOff: byDate(staff.timeOff),
    extra: byDate(staff.extraHours),
    busy: mergeIntervals(staff.busy),
  };
}

/** Staff sorted by id (UTF-16 code-unit order, not locale order: deterministic). */
export function compileAllStaff(staff: readonly StaffInput[]): CompiledStaff[] {
  return staff
    .map(compileStaff)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function isClosed(location: CompiledLocation, date: string): boolean {
  // 'YYYY-MM-DD' strings order like the dates they name.
  return location.closures.some((c) => c.from <= date && date <= c.to);
}

/** (weekly ∪ extra) − time off, ∩ opening hours: local minutes of that day. */
export function localWorkingRanges(
  location: CompiledLocation,
  staff: CompiledStaff,
  day: LocalDay,
): Interval[] {
  const opening = location.opening[day.weekday] ?? [];
  if (opening.length === 0) return [];
  const weekly = staff.weekly[day.weekday] ?? [];
  const extra = staff.extra.get(day.date);
  const scheduled = extra === undefined ? weekly : mergeIntervals([...weekly, ...extra]);
  const off = staff.timeOff.get(day.date);
  const available = off === undefined ? scheduled : subtractIntervals(scheduled, off);
  return intersectIntervals(available, opening);
}

/**
 * The same, as instants. Merged again after conversion: a break that lies
 * wholly inside a spring-forward gap takes no real time, so the ranges either
 * side of it join into one stretch of work.
 */
export function workingIntervals(
  location: CompiledLocation,
  staff: CompiledStaff,
  day: LocalDay,
): Interval[] {
  const local = localWorkingRanges(location, staff, day);
  const instants = local.map((r) => ({
    start: dayMinuteToInstant(day, r.start),
    end: dayMinuteToInstant(day, r.end),
  }));
  return mergeIntervals(instants);
}
