/**
 * The one rule for a week of hours (a location's opening hours, a staff member's working hours): each day
 * holds ranges `{ opens, closes }` as "HH:MM" (24:00 allowed as a closing time), every range closes after it
 * opens, and no two ranges of a day overlap. Used by the server's schema and by the Hub, which checks the
 * whole week before saving so that every day's mistakes are shown at once.
 */
import { HHMM_RE, WEEKDAYS, parseHHMM, type WeekdayName } from './wall-clock.js';

export interface HoursRange { opens: string; closes: string }
export type WeekOfHours = Partial<Record<WeekdayName, HoursRange[]>>;

/** One mistake: where (`[day, index, field]`, as the API names it) and what, in words. */
export interface HoursProblem { path: [WeekdayName, number, 'opens' | 'closes']; message: string }

export function weeklyHoursProblems(hours: WeekOfHours): HoursProblem[] {
  const out: HoursProblem[] = [];
  for (const day of WEEKDAYS) {
    const ranges = (hours[day] ?? []).map((r, i) => ({ i, ...r }));
    const valid = [];
    for (const r of ranges) {
      if (!HHMM_RE.test(r.opens)) out.push({ path: [day, r.i, 'opens'], message: 'expected a time as HH:MM' });
      else if (!HHMM_RE.test(r.closes)) out.push({ path: [day, r.i, 'closes'], message: 'expected a time as HH:MM' });
      else if (parseHHMM(r.closes) <= parseHHMM(r.opens)) out.push({ path: [day, r.i, 'closes'], message: 'must be later than the opening time' });
      else valid.push({ i: r.i, start: parseHHMM(r.opens), end: parseHHMM(r.closes) });
    }
    valid.sort((a, b) => a.start - b.start);
    for (let k = 1; k < valid.length; k++) {
      if (valid[k]!.start < valid[k - 1]!.end) out.push({ path: [day, valid[k]!.i, 'opens'], message: 'overlaps another range that day' });
    }
  }
  return out;
}
