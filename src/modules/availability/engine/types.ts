/**
 * Public types of the availability engine. The server imports these names;
 * keep them stable.
 *
 * Two kinds of time appear here and never mix:
 * - local wall-clock: a 'YYYY-MM-DD' date in the location's zone plus minutes
 *   from local midnight (0..1440);
 * - instants: epoch milliseconds, intervals half-open [start, end).
 */

/** ISO weekday: Monday = 1 … Sunday = 7. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Local wall-clock minutes from midnight, 0 <= start < end <= 1440. */
export interface WeeklyRange {
  weekday: Weekday;
  start: number;
  end: number;
}

/** 'YYYY-MM-DD' local date; minutes as in WeeklyRange. */
export interface DateRange {
  date: string;
  start: number;
  end: number;
}

/** Epoch ms, half-open [start, end). */
export interface Interval {
  start: number;
  end: number;
}

export interface StaffInput {
  id: string;
  /** This staff member's hours AT THIS LOCATION (several ranges a day; gaps are breaks). */
  weeklyHours: WeeklyRange[];
  /** Dated exceptions removing time (a whole day is {start: 0, end: 1440}). */
  timeOff: DateRange[];
  /** Dated exceptions adding working time on that date. */
  extraHours: DateRange[];
  /** Live bookings already INCLUDING their buffer-after, epoch ms, any order. */
  busy: Interval[];
}

export interface EngineInput {
  /** Epoch ms. The engine never reads the clock. */
  now: number;
  /** IANA zone of the location. */
  timeZone: string;
  /** Local dates, inclusive. */
  from: string;
  to: string;
  /** The location's weekly opening hours. */
  openingHours: WeeklyRange[];
  /** Whole local dates the location is closed, inclusive. */
  closures: { from: string; to: string }[];
  /** A slot must start >= now + notice. */
  minNoticeMinutes: number;
  /** A slot must start <= now + horizonDays * 24h. */
  horizonDays: number;
  /** slotInterval null = back-to-back. */
  service: {
    durationMinutes: number;
    bufferMinutes: number;
    slotInterval: 5 | 10 | 15 | 30 | 60 | null;
  };
  staff: StaffInput[];
}

/**
 * end = start + duration (the buffer is NOT included in end). The service time [start, end) lies in working
 * time; the buffer after it (clean-up) may run into a break or past closing, but never into another booking.
 */
export interface Slot {
  start: number;
  end: number;
  staffId: string;
}

/**
 * Why a start is refused (API.md §2 `reason`): `location_closed` (a closure date), `staff_time_off` (a dated
 * absence removes the time), `outside_working_hours` (otherwise not working or not open).
 */
export type SlotRejection =
  | 'outside_working_hours'
  | 'staff_time_off'
  | 'location_closed'
  | 'too_soon'
  | 'beyond_horizon'
  | 'not_on_slot_grid'
  | 'overlaps_booking';

/** The rules a check may be told to set aside (a Hub walk-in); an overlap with another booking never is. */
export type SettableAside = Exclude<SlotRejection, 'overlaps_booking'>;
