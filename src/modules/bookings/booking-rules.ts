import { ApiError } from '../../http/errors.js';
import { instantMs } from '../../lib/instant.js';
import { parseHHMM } from '../../lib/wall-clock.js';
import { addDays, localDate } from '../../lib/zoned-date.js';
import { buildLocalDays, checkSlot, loadZone, localToUtc, type LocalDay, type SettableAside } from '../availability/engine/index.js';
import { toEngineInput, type EngineRows } from '../availability/availability.context.js';
import type { LocationRow } from '../locations/locations.repo.js';
import type { ServiceRow } from '../catalog/catalog.repo.js';
import type { SlotReason } from './bookings.refusals.js';

/**
 * A booking's requested start: an RFC 3339 instant (the API, the booking page), or a local date and
 * wall-clock time in the location's zone (the Hub), converted with the engine's own rule (a time in a
 * spring-forward gap is the instant right after it; a repeated fall-back time is its first occurrence).
 */
export type StartInput = { instant: string } | { date: string; time: string };

/** Epoch ms of a start; `instant` was validated by the request schema (StartInstantInput). */
export function resolveStart(start: StartInput, timeZone: string): number {
  if ('instant' in start) return instantMs(start.instant);
  return localToUtc(start.date, parseHHMM(start.time), timeZone);
}

/** The local day (location's zone) holding an instant, as [start, end) epoch ms (23 or 25 h on clock changes). */
export function localDayOf(ms: number, timeZone: string): LocalDay {
  const date = localDate(ms, timeZone);
  return buildLocalDays(loadZone(timeZone), date, date)[0]!;
}

export interface BookingRules {
  location: LocationRow;
  /** The service as booked: a reschedule passes its booked duration and buffer. */
  service: ServiceRow;
  startMs: number;
  now: number;
  /** Rules a Hub member knowingly sets aside (a walk-in); never an overlap. */
  setAside: readonly SettableAside[];
}

export interface Verdict {
  id: string;
  /** null: this staff member can take the time. */
  reason: SlotReason | null;
  /** The requested rules that had to be set aside for this staff member (recorded on the booking). */
  setAside: SettableAside[];
}

/**
 * Judges the start for each candidate staff member with the pure engine, on rows read inside the booking's
 * transaction (a superset around the start is fine). Rules in `setAside` are set aside only where they
 * would refuse, so a booking records exactly the rules it broke; `too_soon` can be set aside back to the
 * start of today (local), never for an earlier day.
 */
export function checkCandidates(rules: BookingRules, candidates: string[], rows: EngineRows): Verdict[] {
  const { location, service, startMs, now } = rules;
  const day = localDate(startMs, location.time_zone);
  const input = toEngineInput({ location, service, staffIds: candidates, from: addDays(day, -1), to: addDays(day, 1), now }, rows);
  const startOfToday = localDayOf(now, location.time_zone).start;
  const allowed = new Set(rules.setAside.filter((r) => r !== 'too_soon' || startMs >= startOfToday));
  return candidates.map((id) => {
    const applied = new Set<SettableAside>();
    for (;;) {
      const reason = checkSlot(input, id, startMs, applied);
      if (reason === null) return { id, reason, setAside: [...applied] };
      if (reason === 'overlaps_booking' || !allowed.has(reason) || applied.has(reason)) return { id, reason, setAside: [] };
      applied.add(reason);
    }
  });
}

/** `400 parameter_invalid` for a Hub time that is not a real local time of day. */
export const badLocalTime = () => new ApiError('parameter_invalid', 'Expected a local time as HH:MM.', 'time');
