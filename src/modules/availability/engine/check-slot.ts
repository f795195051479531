/**
 * checkSlot: may this staff member be booked at `start`? Used by booking and
 * rescheduling so they accept exactly what availability offers (for grid
 * services; tested as a property against computeSlots).
 *
 * Back-to-back services (slotInterval null) are the exception: any start that
 * fits is accepted, not only the chain that computeSlots lists, because the
 * chain is a presentation choice and a fitting booking harms nobody. So
 * `not_on_slot_grid` never applies to them.
 */
import type { EngineInput, SettableAside, SlotRejection } from './types.js';
import { findContaining, overlapsAny } from './intervals.js';
import { DAY_MS, addDays, formatLocalDate } from './local-dates.js';
import { buildLocalDays, type LocalDay } from './local-day.js';
import { compileLocation, compileStaff, isClosed, workingIntervals } from './rules.js';
import { isOnGrid, startRulesFor } from './slot-starts.js';
import { validateInput } from './validate-input.js';
import { offsetAt } from './zone-time.js';

const NOTHING_SET_ASIDE: ReadonlySet<SettableAside> = new Set();

/**
 * null when computeSlots would offer (start, staffId); otherwise the most
 * helpful reason, in this priority: too_soon, beyond_horizon,
 * not_on_slot_grid, location_closed, staff_time_off (the service time would
 * be working time but for a dated absence), outside_working_hours,
 * overlaps_booking (the last only when the time would be fine without the
 * busy intervals).
 *
 * `setAside` lists rules to leave unchecked (a Hub member booking a walk-in):
 * `too_soon` and `beyond_horizon` skip notice and horizon, `not_on_slot_grid`
 * the grid, `location_closed` ignores closures, `staff_time_off` ignores
 * dated absences, `outside_working_hours` skips working time altogether.
 * Overlap with a booking (service time and buffer) is always checked.
 */
export function checkSlot(
  input: EngineInput,
  staffId: string,
  start: number,
  setAside: ReadonlySet<SettableAside> = NOTHING_SET_ASIDE,
): SlotRejection | null {
  const zone = validateInput(input);
  if (!Number.isFinite(start)) throw new RangeError(`start must be epoch ms, got ${start}`);
  const rules = startRulesFor(input);
  if (start < rules.minStart && !setAside.has('too_soon')) return 'too_soon';
  if (start > rules.maxStart && !setAside.has('beyond_horizon')) return 'beyond_horizon';
  const offset = offsetAt(zone, start);
  if (rules.gridMs !== null && !isOnGrid(start, offset, rules.gridMs) && !setAside.has('not_on_slot_grid')) return 'not_on_slot_grid';

  const member = input.staff.find((s) => s.id === staffId);
  if (member === undefined) return 'outside_working_hours';
  const staff = compileStaff(member);
  const end = start + rules.durationMs;
  if (!setAside.has('outside_working_hours')) {
    // The local day holding `start` is its wall-clock date, or a neighbour
    // where a fall-back crosses midnight; build those three (within the window).
    const wallDate = formatLocalDate(Math.floor((start + offset) / DAY_MS));
    const first = maxDate(input.from, addDays(wallDate, -1));
    const last = minDate(input.to, addDays(wallDate, 1));
    const day: LocalDay | undefined = first > last
      ? undefined
      : buildLocalDays(zone, first, last).find((d) => d.start <= start && start < d.end);
    if (day === undefined) return 'outside_working_hours';
    const location = compileLocation(input);
    const closed = isClosed(location, day.date);
    if (closed && !setAside.has('location_closed')) return 'location_closed';
    const open = closed ? { ...location, closures: [] } : location;
    const works = (s: typeof staff) => findContaining(workingIntervals(open, s, day), start, end) !== undefined;
    if (!works(staff)) {
      const withoutTimeOff = { ...staff, timeOff: new Map() };
      if (!works(withoutTimeOff)) return 'outside_working_hours';
      if (!setAside.has('staff_time_off')) return 'staff_time_off';
    }
  }
  return overlapsAny(staff.busy, start, start + rules.spanMs) ? 'overlaps_booking' : null;
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
