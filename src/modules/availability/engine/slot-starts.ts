/**
 * Candidate start times inside one free interval (working time minus busy).
 * Everything here is integer arithmetic on epoch ms: the day's offsets were
 * looked up once (local-day.ts), so the grid is stepped without Luxon.
 */
import type { EngineInput, Interval } from './types.js';
import { MINUTE_MS } from './local-dates.js';
import { dayOffsetAt, type LocalDay } from './local-day.js';

export interface StartRules {
  /** Earliest allowed start: now + notice. */
  minStart: number;
  /** Latest allowed start: now + horizon. */
  maxStart: number;
  /** duration + buffer: what must fit in free time. */
  spanMs: number;
  durationMs: number;
  bufferMs: number;
  /** Grid step in ms, or null for back-to-back. */
  gridMs: number | null;
}

export function startRulesFor(input: EngineInput): StartRules {
  const { durationMinutes, bufferMinutes, slotInterval } = input.service;
  return {
    minStart: input.now + input.minNoticeMinutes * MINUTE_MS,
    maxStart: input.now + input.horizonDays * 24 * 60 * MINUTE_MS,
    spanMs: (durationMinutes + bufferMinutes) * MINUTE_MS,
    durationMs: durationMinutes * MINUTE_MS,
    bufferMs: bufferMinutes * MINUTE_MS,
    gridMs: slotInterval === null ? null : slotInterval * MINUTE_MS,
  };
}

function positiveMod(x: number, m: number): number {
  return ((x % m) + m) % m;
}

/**
 * True when instant t's LOCAL minute-of-day is a multiple of the grid. Every
 * allowed interval divides 1440, so "multiple of N minutes since local
 * midnight" equals "local epoch ms is a multiple of N minutes".
 */
export function isOnGrid(t: number, offsetMs: number, gridMs: number): boolean {
  return positiveMod(t + offsetMs, gridMs) === 0;
}

/** Grid starts in [lo, hi] while the offset is constant. */
function pushGridRun(out: number[], lo: number, hi: number, offsetMs: number, gridMs: number): void {
  for (let t = lo + positiveMod(-(lo + offsetMs), gridMs); t <= hi; t += gridMs) out.push(t);
}

/**
 * Appends to `out` every allowed start t in `free` (a working interval of `day` extended by the buffer, minus
 * busy time) with [t, t + duration + buffer) inside it; the extension then keeps t + duration in working time.
 */
export function pushStarts(out: number[], free: Interval, day: LocalDay, rules: StartRules): void {
  const lo = Math.max(free.start, rules.minStart);
  const hi = Math.min(free.end - rules.spanMs, rules.maxStart);
  if (lo > hi) return;
  if (rules.gridMs === null) {
    // Back-to-back: a chain anchored at the free interval's start (not at
    // now + notice, so the offer doesn't drift with the clock), stepping by
    // duration + buffer; skip straight to the first link at or after lo.
    const step = rules.spanMs;
    const skip = Math.ceil((lo - free.start) / step);
    for (let t = free.start + skip * step; t <= hi; t += step) out.push(t);
    return;
  }
  // The grid is local, so split at the offset change (if any) and step each
  // constant-offset run in plain ms: on a fall-back day both 01:30 BST and
  // 01:30 GMT are hit; in a spring-forward gap no local time exists to hit.
  if (day.changeAt > lo && day.changeAt <= hi) {
    pushGridRun(out, lo, day.changeAt - 1, day.offsetBefore, rules.gridMs);
    pushGridRun(out, day.changeAt, hi, day.offsetAfter, rules.gridMs);
  } else {
    pushGridRun(out, lo, hi, dayOffsetAt(day, lo), rules.gridMs);
  }
}
