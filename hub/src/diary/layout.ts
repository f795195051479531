/**
 * Geometry of the diary grids, kept apart from React so it reads (and is checked) on its own.
 *
 * A grid is columns (a staff member's day, or a day of the week) over a shared vertical axis measured in
 * minutes from the top of the view. Each column maps instants to those minutes and back:
 * - day view: by instants from the view's start, so a clock-change day is drawn 23 or 25 hours tall;
 * - week view: by the location's wall clock, so 10:00 is on one line across the seven days.
 */
import { formatHHMM, formatTime, localDate, ms, wallMinutes } from '../time';
import type { Booking, DiaryDayBody, Interval } from '../types';

export const PX_PER_MIN = 2;
export const MIN = 60_000;
/** Moves by drag and by arrow keys land on this grid (minutes); Shift with an arrow moves by 5. */
export const SNAP = 15;

/** Where a point of a column is, as the server takes it: the location's date and wall-clock time. */
export interface WallTime { date: string; time: string }

export interface Axis {
  /** Length of the view in minutes. */
  span: number;
  /** Hour lines: minute of the view and the label shown beside it. */
  hours: { at: number; label: string }[];
  /** Minute of the view of an instant in a column of date `date`. */
  toMin(t: number, date: string): number;
  /** The wall-clock time of a minute of the view in the column of date `date`. */
  fromMin(m: number, date: string): WallTime;
}

const busyPoints = (day: DiaryDayBody) => {
  const points: number[] = [];
  for (const i of day.opening_hours) points.push(ms(i.starts_at), ms(i.ends_at));
  for (const s of day.staff) for (const i of [...s.working, ...s.time_off]) points.push(ms(i.starts_at), ms(i.ends_at));
  for (const b of day.bookings) if (b.status !== 'cancelled') points.push(ms(b.starts_at), ms(b.ends_at) + b.buffer_minutes * MIN);
  return points;
};

/** Day view: from the hour before anything happens to the hour after (08–18 on an empty day), by instants. */
export function dayAxis(day: DiaryDayBody, zone: string): Axis {
  const dayStart = ms(day.day_starts_at);
  const hour = 60 * MIN;
  const points = busyPoints(day);
  let lo = dayStart + 8 * hour;
  let hi = dayStart + 18 * hour;
  if (points.length) {
    lo = Math.max(dayStart, dayStart + Math.floor((Math.min(...points) - dayStart) / hour) * hour);
    hi = Math.min(ms(day.day_ends_at), dayStart + Math.ceil((Math.max(...points) - dayStart) / hour) * hour);
    hi = Math.max(hi, lo + hour);
  }
  const hours = [];
  for (let t = lo; t <= hi; t += hour) hours.push({ at: (t - lo) / MIN, label: formatTime(t, zone) });
  return {
    span: (hi - lo) / MIN,
    hours,
    toMin: (t) => (t - lo) / MIN,
    fromMin: (m) => {
      const at = lo + Math.round(m) * MIN;
      return { date: localDate(at, zone), time: formatTime(at, zone) };
    },
  };
}

/** Week view: the hours any of the days uses (08–18 on an empty week), by the location's wall clock. */
export function weekAxis(days: DiaryDayBody[], zone: string): Axis {
  const minutes = days.flatMap((d) => busyPoints(d).map((t) => (localDate(t, zone) === d.date ? wallMinutes(t, zone) : t < ms(d.day_starts_at) ? 0 : 24 * 60)));
  const lo = minutes.length ? Math.floor(Math.min(...minutes) / 60) * 60 : 8 * 60;
  const hi = minutes.length ? Math.max(Math.ceil(Math.max(...minutes) / 60) * 60, lo + 60) : 18 * 60;
  const hours = [];
  for (let m = lo; m <= hi; m += 60) hours.push({ at: m - lo, label: formatHHMM(m % (24 * 60)) });
  return {
    span: hi - lo,
    hours,
    toMin: (t, date) => {
      const local = localDate(t, zone);
      const wall = local === date ? wallMinutes(t, zone) : local < date ? 0 : 24 * 60;
      return wall - lo;
    },
    fromMin: (m, date) => ({ date, time: formatHHMM(Math.min(Math.max(lo + Math.round(m), 0), 24 * 60 - 1)) }),
  };
}

/** Top and height (minutes of the view) of an interval in a column, cut to the view. */
export function span(axis: Axis, i: Interval, date: string): { top: number; height: number } {
  const top = Math.max(0, axis.toMin(ms(i.starts_at), date));
  const bottom = Math.min(axis.span, axis.toMin(ms(i.ends_at), date));
  return { top, height: Math.max(0, bottom - top) };
}

export const snap = (m: number, step = SNAP) => Math.round(m / step) * step;

/**
 * Side-by-side lanes for bookings that overlap in one column (the week view shows every staff member's
 * bookings in a day's column): each booking gets a lane, and every booking of a cluster of overlapping
 * ones is as wide as 1 / (the lanes that cluster needs). Time counted includes the clean-up buffer.
 */
export function lanes(bookings: Booking[]): Map<string, { lane: number; of: number }> {
  const sorted = [...bookings].sort((a, b) => ms(a.starts_at) - ms(b.starts_at) || a.reference.localeCompare(b.reference));
  const out = new Map<string, { lane: number; of: number }>();
  let cluster: string[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -Infinity;
  const close = () => { for (const ref of cluster) out.get(ref)!.of = laneEnds.length; cluster = []; laneEnds = []; };
  for (const b of sorted) {
    const start = ms(b.starts_at);
    const end = ms(b.ends_at) + b.buffer_minutes * MIN;
    if (start >= clusterEnd) close();
    let lane = laneEnds.findIndex((e) => e <= start);
    if (lane < 0) { lane = laneEnds.length; laneEnds.push(end); } else laneEnds[lane] = end;
    out.set(b.reference, { lane, of: 0 });
    cluster.push(b.reference);
    clusterEnd = Math.max(clusterEnd, end);
  }
  close();
  return out;
}
