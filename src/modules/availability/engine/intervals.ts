/**
 * Half-open interval algebra, unit-agnostic: the engine uses it both for
 * local minutes-of-day and for epoch-ms instants.
 *
 * "Normalised" below means: sorted by start, no empty intervals, and no two
 * intervals overlapping or touching. Every function returns fresh arrays and
 * fresh objects; inputs are never mutated (callers pass frozen rule data).
 */
import type { Interval } from './types.js';

/** Sorts, drops empty intervals and joins overlapping or touching ones. */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  // Copy (never sort the caller's array) and skip the sort when the input is
  // already ordered, as bookings read with ORDER BY usually are.
  const copy: Interval[] = [];
  let sorted = true;
  for (const i of list) {
    if (i.end <= i.start) continue;
    const last = copy[copy.length - 1];
    if (last !== undefined && i.start < last.start) sorted = false;
    copy.push({ start: i.start, end: i.end });
  }
  if (!sorted) copy.sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const next of copy) {
    const last = out[out.length - 1];
    if (last !== undefined && next.start <= last.end) {
      if (next.end > last.end) last.end = next.end;
    } else {
      out.push(next);
    }
  }
  return out;
}

/**
 * Index of the first interval whose end is after `t` (binary search), or
 * list.length. On a normalised list that is the first interval that can
 * contain or follow `t`, which lets callers skip a long busy list in O(log n).
 */
export function firstEndingAfter(list: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.end > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** a − b, both normalised; the result is normalised. O(|a| log |b| + output). */
export function subtractIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    let cursor = x.start;
    for (let j = firstEndingAfter(b, x.start); j < b.length; j++) {
      const cut = b[j]!;
      if (cut.start >= x.end) break;
      if (cut.start > cursor) out.push({ start: cursor, end: cut.start });
      if (cut.end > cursor) cursor = cut.end;
      if (cursor >= x.end) break;
    }
    if (cursor < x.end) out.push({ start: cursor, end: x.end });
  }
  return out;
}

/** a ∩ b, both normalised; the result is normalised. Linear sweep. */
export function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (start < end) out.push({ start, end });
    // Advance whichever ends first; the other may still meet the next one.
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/** True when [start, end) meets any interval of the normalised list. */
export function overlapsAny(list: readonly Interval[], start: number, end: number): boolean {
  const i = firstEndingAfter(list, start);
  return i < list.length && list[i]!.start < end;
}

/** The interval of the normalised list that wholly holds [start, end), if any. */
export function findContaining(
  list: readonly Interval[],
  start: number,
  end: number,
): Interval | undefined {
  const candidate = list[firstEndingAfter(list, start)];
  return candidate !== undefined && candidate.start <= start && end <= candidate.end
    ? candidate
    : undefined;
}
