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
import type { EngineInput, SlotRejection } from './types.js';
import { findContaining, overlapsAny } from './intervals.js';
import { DAY_MS, addDays, formatLocalDate } from './local-dates.js';
import { buildLocalDays, type LocalDay } from './local-day.js';
import { compileLocation, compileStaff, isClosed, workingIntervals } from './rules.js';
import { isOnGrid, startRulesFor } from './slot-starts.js';
import { validateInput } from './validate-input.js';
import { offsetAt } from './zone-time.js';

/**
 * null when computeSlots would offer (start, staffId); otherwise the most
 * helpful reason, in this priority: too_soon, beyond_horizon,
 * not_on_slot_grid, outside_working_hours, overlaps_booking (the last only
 * when the time would be fine without the busy intervals).
 */
export function checkSlot(input: EngineInput, staffId: string, start: number): SlotRejection | null {
  const zone = validateInput(input);
  if (!Number.isFinite(start)) throw new RangeError(`start must be epoch ms, got ${start}`);
  const rules = startRulesFor(input);
  if (start < rules.minStart) return 'too_soon';
  if (start > rules.maxStart) return 'beyond_horizon';
  const offset = offsetAt(zone, start);
  if (rules.gridMs !== null && !isOnGrid(start, offset, rules.gridMs)) return 'not_on_slot_grid';

  const member = input.staff.find((s) => s.id === staffId);
  if (member === undefined) return 'outside_working_hours';
  // The local day holding `start` is its wall-clock date, or a neighbour
  // where a fall-back crosses midnight; build those three (within the window).
  const wallDate = formatLocalDate(Math.floor((start + offset) / DAY_MS));
  const first = maxDate(input.from, addDays(wallDate, -1));
  const last = minDate(input.to, addDays(wallDate, 1));
  const day: LocalDay | undefined = first > last
    ? undefined
    : buildLocalDays(zone, first, last).find((d) => d.start <= start && start < d.end);
  const location = compileLocation(input);
  if (day === undefined || isClosed(location, day.date)) return 'outside_working_hours';

  const staff = compileStaff(member);
  const end = start + rules.spanMs;
  if (findContaining(workingIntervals(location, staff, day), start, end) === undefined) {
    return 'outside_working_hours';
  }
  return overlapsAny(staff.busy, start, end) ? 'overlaps_booking' : null;
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
