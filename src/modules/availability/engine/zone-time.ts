/**
 * Wall-clock ↔ instant conversion in an IANA zone. Luxon supplies the zone
 * data (IANAZone.offset); the rule for wall-clock times that don't exist or
 * exist twice is ours, because DateTime.fromObject resolves an ambiguous time
 * using an offset guessed from the real current date (Settings.now()), which
 * would make this pure engine depend on the clock.
 *
 * THE RULE: a local wall-clock time maps to the earliest instant at which the
 * location's clock reads that time or later. Hence:
 * - a time inside a spring-forward gap → the instant right after the gap
 *   (London 29 Mar 2026 01:30 → 01:00Z, the moment clocks show 02:00 BST);
 * - a time that occurs twice on fall-back → its first occurrence
 *   (London 25 Oct 2026 01:30 → 00:30Z, i.e. 01:30 BST);
 * - the mapping is monotonic, so a local range [s, e) becomes exactly one
 *   instant interval, and disjoint local ranges stay disjoint.
 *
 * Assumption (true of the tz database for modern dates): a zone changes its
 * offset at most once within any ~48 hours.
 */
import { IANAZone } from 'luxon';
import { DAY_MS, MINUTE_MS, parseLocalDate } from './local-dates.js';

/** The Luxon zone for an IANA name; throws RangeError for an unknown zone. */
export function loadZone(name: string): IANAZone {
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw new RangeError(`unknown time zone: ${JSON.stringify(name)}`);
  return zone;
}

/** UTC offset in ms in effect at instant t. */
export function offsetAt(zone: IANAZone, t: number): number {
  return zone.offset(t) * MINUTE_MS;
}

/**
 * The first instant in (lo, hi] whose offset differs from the offset at lo.
 * Callers guarantee the offsets at lo and hi differ (one change in between).
 * Binary search, first by whole minutes from lo (~11 Luxon calls for a day:
 * modern changes fall on whole minutes), then confirmed or refined to the ms.
 */
export function findOffsetChange(zone: IANAZone, lo: number, hi: number): number {
  const before = offsetAt(zone, lo);
  let steps = Math.ceil((hi - lo) / MINUTE_MS);
  let base = 0;
  while (steps > 1) {
    const half = Math.floor(steps / 2);
    if (offsetAt(zone, lo + (base + half) * MINUTE_MS) === before) {
      base += half;
      steps -= half;
    } else {
      steps = half;
    }
  }
  // The change lies in (lo + base min, lo + (base + 1) min], capped at hi.
  let low = lo + base * MINUTE_MS;
  let high = Math.min(hi, low + MINUTE_MS);
  if (offsetAt(zone, high - 1) !== before) {
    while (high - low > 1) {
      const mid = low + Math.floor((high - low) / 2);
      if (offsetAt(zone, mid) === before) low = mid;
      else high = mid;
    }
  }
  return high;
}

/**
 * Resolves a wall-clock reading, given as "local epoch ms" (the reading
 * written as if it were UTC), to an instant by THE RULE above.
 */
export function resolveWallClock(zone: IANAZone, wall: number): number {
  // Any answer lies within a day of this rough guess; look at the offsets a
  // day either side of it to learn whether a change is nearby.
  const guess = wall - offsetAt(zone, wall);
  const early = offsetAt(zone, guess - DAY_MS);
  const late = offsetAt(zone, guess + DAY_MS);
  const withEarly = wall - early;
  // Valid under the earlier offset: before any change, so the first occurrence.
  if (early === late || offsetAt(zone, withEarly) === early) return withEarly;
  const withLate = wall - late;
  if (offsetAt(zone, withLate) === late) return withLate;
  // Neither offset reads `wall`: it is inside a gap; the change is the answer.
  return findOffsetChange(zone, withLate, withEarly);
}

/** Local date + minute of day (0..1440; 1440 = next midnight) → epoch ms. */
export function localToUtc(date: string, minute: number, zone: string | IANAZone): number {
  const z = typeof zone === 'string' ? loadZone(zone) : zone;
  return resolveWallClock(z, parseLocalDate(date) * DAY_MS + minute * MINUTE_MS);
}
