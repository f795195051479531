/**
 * A brute-force availability oracle for property tests. It shares no code
 * with the engine: it walks every minute of the window, asks Luxon for the
 * wall clock at that minute, and decides everything minute by minute with
 * boolean tables instead of interval algebra.
 *
 * How a minute is attributed to a local date and minute-of-day: by the
 * running maximum of the wall clock so far. On fall-back the clock re-reads
 * times it already showed; those minutes stay attributed to the last minute
 * before the change. That is the engine's rule ("a local time maps to the
 * earliest instant the clock reads it or later") phrased per minute, which
 * makes the oracle an independent statement of the same definition.
 * The GRID, by contrast, uses the actual clock reading at the start.
 */
import { DateTime } from 'luxon';
import type { EngineInput, Slot, SlotRejection } from '../types.js';
import { wallClockOf } from './zones.js';

const MIN = 60_000;
const DAY = 86_400_000;

interface StaffTables {
  id: string;
  working: Uint8Array;
  /** Consecutive minutes from i that are working, on the same local date. */
  workRun: Int32Array;
  /** The same, had the staff member no dated time off. */
  workRunNoTimeOff: Int32Array;
  /** Consecutive minutes from i free of bookings (any date, working or not). */
  clearRun: Int32Array;
  busy: Uint8Array;
  openingOk: Uint8Array;
  staffOk: Uint8Array;
}

export interface Oracle {
  /** Instant of minute index i. */
  walkStart: number;
  minutes: number;
  staff: StaffTables[];
  slots: Slot[];
  reason(staffId: string, start: number): SlotRejection | null;
}

const wallCache = new Map<string, Map<number, number>>();
function cachedWall(t: number, zone: string): number {
  let perZone = wallCache.get(zone);
  if (perZone === undefined) wallCache.set(zone, (perZone = new Map()));
  let wall = perZone.get(t);
  if (wall === undefined) perZone.set(t, (wall = wallClockOf(t, zone)));
  return wall;
}

function minuteTable(ranges: readonly { start: number; end: number }[], into: Uint8Array, value: 0 | 1): void {
  for (const r of ranges) for (let m = Math.max(0, r.start); m < Math.min(1440, r.end); m++) into[m] = value;
}

export function bruteForce(input: EngineInput): Oracle {
  const zone = input.timeZone;
  const fromDay = DateTime.fromISO(input.from, { zone: 'UTC' });
  const dayCount = DateTime.fromISO(input.to, { zone: 'UTC' }).diff(fromDay, 'days').days + 1;
  const dates = Array.from({ length: Math.max(0, dayCount) }, (_, k) => fromDay.plus({ days: k }));
  // Offsets lie within -12h..+14h, so every instant of the window's dates
  // lies in [from - 15h, to + 1 day + 12h).
  const walkStart = fromDay.toMillis() - 15 * 3_600_000;
  const minutes = dayCount * 1440 + 27 * 60;

  const dateIndex = new Int32Array(minutes).fill(-1);
  const minuteOfDay = new Int32Array(minutes);
  const gridMinute = new Int32Array(minutes);
  let runningMax = -Infinity;
  for (let i = 0; i < minutes; i++) {
    const wall = cachedWall(walkStart + i * MIN, zone);
    gridMinute[i] = Math.floor((((wall % DAY) + DAY) % DAY) / MIN);
    runningMax = Math.max(runningMax, wall);
    const k = Math.floor((runningMax - fromDay.toMillis()) / DAY);
    if (k >= 0 && k < dates.length) {
      dateIndex[i] = k;
      minuteOfDay[i] = Math.floor((runningMax - fromDay.toMillis() - k * DAY) / MIN);
    }
  }

  const closed = dates.map((d) => {
    const iso = d.toISODate()!;
    return input.closures.some((c) => c.from <= iso && iso <= c.to);
  });
  const openingPerDate = dates.map((d) => {
    const table = new Uint8Array(1440);
    minuteTable(input.openingHours.filter((r) => r.weekday === d.weekday), table, 1);
    return table;
  });

  const slots: Slot[] = [];
  const { durationMinutes, bufferMinutes, slotInterval } = input.service;
  const span = durationMinutes + bufferMinutes;
  const minStart = input.now + input.minNoticeMinutes * MIN;
  const maxStart = input.now + input.horizonDays * DAY;

  const staff = input.staff.map((member): StaffTables => {
    const scheduled = (withTimeOff: boolean) => dates.map((d) => {
      const iso = d.toISODate()!;
      const table = new Uint8Array(1440);
      minuteTable(member.weeklyHours.filter((r) => r.weekday === d.weekday), table, 1);
      minuteTable(member.extraHours.filter((r) => r.date === iso), table, 1);
      if (withTimeOff) minuteTable(member.timeOff.filter((r) => r.date === iso), table, 0);
      return table;
    });
    const perDate = scheduled(true);
    const perDateNoTimeOff = scheduled(false);
    const working = new Uint8Array(minutes);
    const workingNoTimeOff = new Uint8Array(minutes);
    const openingOk = new Uint8Array(minutes);
    const staffOk = new Uint8Array(minutes);
    const busy = new Uint8Array(minutes);
    for (let i = 0; i < minutes; i++) {
      const k = dateIndex[i]!;
      if (k < 0 || closed[k]) continue;
      openingOk[i] = openingPerDate[k]![minuteOfDay[i]!]!;
      staffOk[i] = perDate[k]![minuteOfDay[i]!]!;
      working[i] = openingOk[i]! & staffOk[i]!;
      workingNoTimeOff[i] = openingOk[i]! & perDateNoTimeOff[k]![minuteOfDay[i]!]!;
    }
    for (let i = 0; i < minutes; i++) {
      const t = walkStart + i * MIN;
      busy[i] = member.busy.some((b) => b.start < t + MIN && t < b.end) ? 1 : 0;
    }
    const workRun = new Int32Array(minutes + 1);
    const workRunNoTimeOff = new Int32Array(minutes + 1);
    const clearRun = new Int32Array(minutes + 1);
    for (let i = minutes - 1; i >= 0; i--) {
      const sameDateNext = i + 1 < minutes && dateIndex[i + 1] === dateIndex[i];
      workRun[i] = working[i] ? 1 + (sameDateNext ? workRun[i + 1]! : 0) : 0;
      workRunNoTimeOff[i] = workingNoTimeOff[i] ? 1 + (sameDateNext ? workRunNoTimeOff[i + 1]! : 0) : 0;
      // The walk ends 12 h after the last date: past it, nothing is booked (buffers are shorter than that).
      clearRun[i] = busy[i] ? 0 : 1 + (i + 1 < minutes ? clearRun[i + 1]! : 1440);
    }
    return { id: member.id, working, workRun, workRunNoTimeOff, clearRun, busy, openingOk, staffOk };
  });

  const allowed = (t: number) => t >= minStart && t <= maxStart;
  // The clean-up rule (API.md §6): the service time lies in working time (one local date); service + buffer
  // overlap no booking; the buffer may run into a break or past closing.
  const fits = (member: StaffTables, i: number) => member.workRun[i]! >= durationMinutes && member.clearRun[i]! >= span;
  for (const member of staff) {
    for (let i = 0; i < minutes; i++) {
      const t = walkStart + i * MIN;
      if (slotInterval !== null) {
        if (gridMinute[i]! % slotInterval === 0 && fits(member, i) && allowed(t)) {
          slots.push({ start: t, end: t + durationMinutes * MIN, staffId: member.id });
        }
      } else if (member.working[i] && !member.busy[i] && (i === 0 || !member.working[i - 1] || member.busy[i - 1] || dateIndex[i - 1] !== dateIndex[i])) {
        // Where a stretch of free working time starts: chain duration + buffer while it fits.
        for (let j = i; j < i + member.workRun[i]! && fits(member, j); j += span) {
          const s = walkStart + j * MIN;
          if (allowed(s)) slots.push({ start: s, end: s + durationMinutes * MIN, staffId: member.id });
        }
      }
    }
  }
  slots.sort((a, b) => a.start - b.start || (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0));

  function reason(staffId: string, start: number): SlotRejection | null {
    if (start < minStart) return 'too_soon';
    if (start > maxStart) return 'beyond_horizon';
    const i = (start - walkStart) / MIN;
    if (!Number.isInteger(i) || i < 0 || i >= minutes) throw new Error('oracle: start outside its walk');
    if (slotInterval !== null && gridMinute[i]! % slotInterval !== 0) return 'not_on_slot_grid';
    const member = staff.find((s) => s.id === staffId);
    if (member === undefined) return 'outside_working_hours';
    const k = dateIndex[i]!;
    if (k >= 0 && closed[k]) return 'location_closed';
    if (member.workRun[i]! < durationMinutes) return member.workRunNoTimeOff[i]! >= durationMinutes ? 'staff_time_off' : 'outside_working_hours';
    return member.clearRun[i]! < span ? 'overlaps_booking' : null;
  }

  return { walkStart, minutes, staff, slots, reason };
}
