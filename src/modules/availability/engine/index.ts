/** The availability engine: pure functions, no I/O, no clock. See README.md. */
export type {
  DateRange,
  EngineInput,
  Interval,
  Slot,
  SlotRejection,
  SettableAside,
  StaffInput,
  WeeklyRange,
  Weekday,
} from './types.js';
export { computeSlots } from './compute-slots.js';
export { checkSlot } from './check-slot.js';
export {
  findContaining,
  firstEndingAfter,
  intersectIntervals,
  mergeIntervals,
  overlapsAny,
  subtractIntervals,
} from './intervals.js';
export {
  DAY_MS,
  MINUTE_MS,
  MINUTES_PER_DAY,
  addDays,
  eachLocalDate,
  formatLocalDate,
  isoWeekday,
  parseLocalDate,
  type LocalDate,
} from './local-dates.js';
export { localToUtc, loadZone, offsetAt, resolveWallClock } from './zone-time.js';
export { buildLocalDays, dayMinuteToInstant, type LocalDay } from './local-day.js';
