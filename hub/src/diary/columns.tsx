import { Link } from '../router';
import { formatLongDate, formatShortDate } from '../time';
import type { DiaryDay, DiaryWeek } from '../types';
import type { GridColumn } from './time-grid';

export interface ColumnActions {
  /** "New booking" in a column's head: that staff member (or anyone) on that date. */
  onNew: (date: string, staffId?: string) => void;
  /** Link to the day view of a date (week heads). */
  dayHref: (date: string) => string;
}

const closedReason = (closed: { reason: string | null } | null) => (closed ? closed.reason ?? '' : null);

/** The day view: a column per staff member who works here (or has a booking here that day). */
export function dayColumns(day: DiaryDay, free: Map<string, string[]>, act: ColumnActions): GridColumn[] {
  return day.staff.map((s) => ({
    key: s.id,
    date: day.date,
    staffId: s.id,
    staffName: s.display_name,
    label: s.display_name,
    head: (
      <>
        <span className="staff-name">{s.display_name}</span>
        {s.bookable && <button type="button" className="small secondary" onClick={() => act.onNew(day.date, s.id)}>New<span className="sr-only"> booking with {s.display_name}</span></button>}
      </>
    ),
    working: s.working,
    off: s.time_off,
    closed: closedReason(day.closed),
    bookings: day.bookings.filter((b) => b.staff.id === s.id),
    free: free.get(s.id) ?? [],
  }));
}

/**
 * The week view: a column per day. A location's week shows its opening hours and everyone's bookings side
 * by side; one staff member's week shows their working time and time off, and a booking dropped on a day
 * stays with them.
 */
export function weekColumns(week: DiaryWeek, staffId: string | undefined, act: ColumnActions): GridColumn[] {
  const person = staffId ? week.staff.find((s) => s.id === staffId) : undefined;
  return week.days.map((d) => {
    const mine = person ? d.staff.find((s) => s.id === person.id) : undefined;
    const away = person ? [] : d.staff.filter((s) => s.time_off.length > 0).map((s) => s.display_name);
    return {
      key: d.date,
      date: d.date,
      staffId: person?.id ?? null,
      staffName: person?.display_name,
      label: formatLongDate(d.date),
      head: (
        <>
          <Link to={act.dayHref(d.date)} className="day-link">{formatShortDate(d.date)}<span className="sr-only">: open the day</span></Link>
          {away.length > 0 && <span className="head-note">Off: {away.join(', ')}</span>}
          {!d.closed && (!person || person.bookable) && (
            <button type="button" className="small secondary" onClick={() => act.onNew(d.date, person?.id)}>New<span className="sr-only"> booking on {formatLongDate(d.date)}</span></button>
          )}
        </>
      ),
      working: mine ? mine.working : d.opening_hours,
      off: mine ? mine.time_off : [],
      closed: closedReason(d.closed),
      bookings: d.bookings,
      free: [],
    };
  });
}
