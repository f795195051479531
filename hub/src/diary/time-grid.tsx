import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { formatShortDate, formatTime, ms } from '../time';
import type { Booking, Interval } from '../types';
import { BookingBlock } from './booking-block';
import { MIN, PX_PER_MIN, lanes, span, type Axis, type WallTime } from './layout';
import { useMove } from './use-move';

export interface GridColumn {
  key: string;
  /** The local date of this column. */
  date: string;
  /** Who a booking dropped here is with; null: it stays with its own staff member (a location's week). */
  staffId: string | null;
  staffName?: string;
  /** Accessible name of the column ("Alex", "Tuesday 9 December"). */
  label: string;
  head: ReactNode;
  working: Interval[];
  off: (Interval & { reason: string | null; who?: string })[];
  /** Set when the location is closed that day (the reason, or ''). */
  closed: string | null;
  bookings: Booking[];
  /** Free start times of the chosen service (instants), drawn as markers; clicking one books it. */
  free: string[];
}

export interface GridProps {
  label: string;
  zone: string;
  axis: Axis;
  columns: GridColumn[];
  /** Show the staff member's name on each booking (a location's week: everyone in one column). */
  withStaff: boolean;
  today: string;
  onOpen: (b: Booking) => void;
  /** A click on an empty part of a column: the time under the pointer (a free start time when on one). */
  onEmpty: (col: GridColumn, at: WallTime) => void;
  onMove: (b: Booking, to: WallTime & { staffId: string | null }) => void;
}

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** Bookings the grid lets you move: confirmed ones that have not started (the server says the same). */
const movableAt = (now: number) => (b: Booking) => b.status === 'confirmed' && ms(b.starts_at) > now;

/**
 * A diary grid: a time axis and columns (staff members of a day, or days of a week). Working time is
 * white, time off and closed days hatched, bookings are blocks sized by duration with their clean-up
 * after, free start times are marked. Click an empty time to book it; drag a booking (or M, arrows,
 * Enter) to move it.
 */
export function TimeGrid({ label, zone, axis, columns, withStaff, today, onOpen, onEmpty, onMove }: GridProps) {
  const now = useNow();
  const gridRef = useRef<HTMLDivElement>(null);
  const movable = movableAt(now);
  const move = useMove({ gridRef, axis, columns, movable, onDrop: onMove });
  const height = axis.span * PX_PER_MIN;
  const px = (m: number) => m * PX_PER_MIN;

  const clickEmpty = (col: GridColumn) => (e: MouseEvent<HTMLDivElement>) => {
    if ((e.target as HTMLElement).closest('.booking') || move.moving) return;
    const m = (e.clientY - e.currentTarget.getBoundingClientRect().top) / PX_PER_MIN;
    const starts = col.free.map((f) => axis.toMin(ms(f), col.date));
    const onFree = starts.findIndex((s, i) => m >= s && m < Math.min(starts[i + 1] ?? Infinity, s + 30));
    onEmpty(col, axis.fromMin(onFree >= 0 ? starts[onFree]! : Math.floor(m / 5) * 5, col.date));
  };

  const target = move.moving;
  const targetCol = target ? columns[target.col] : undefined;
  const targetAt = target && targetCol ? axis.fromMin(target.min, targetCol.date) : null;
  const who = (b: Booking, col: GridColumn) => col.staffName ?? b.staff.display_name;

  return (
    <div className="diary-scroll">
      <div ref={gridRef} className="diary" style={{ gridTemplateColumns: `3.25rem repeat(${Math.max(columns.length, 1)}, minmax(var(--col-min), 1fr))` }} role="group" aria-label={label}>
        <div className="diary-corner" />
        {columns.map((c) => <div className="diary-head" key={c.key}>{c.head}</div>)}
        {columns.length === 0 && <div className="diary-head muted">No staff work here yet</div>}

        <div className="diary-times" style={{ height }} aria-hidden="true">
          {axis.hours.map((h) => <span key={h.at} style={{ top: px(h.at) }}>{h.label}</span>)}
        </div>
        {columns.map((col, ci) => {
          const live = col.bookings.filter((b) => b.status !== 'cancelled');
          const laneOf = lanes(live);
          const freeStarts = col.free.map((f) => axis.toMin(ms(f), col.date));
          return (
            <section className={col.closed !== null ? 'diary-col closed' : 'diary-col'} key={col.key} style={{ height }} data-col={ci} onClick={clickEmpty(col)}
              aria-label={`${col.label}: ${live.length} booking${live.length === 1 ? '' : 's'}${col.closed !== null ? ', closed' : ''}`}>
              {axis.hours.map((h) => <div key={h.at} className="hour-line" style={{ top: px(h.at) }} />)}
              {col.working.map((w) => { const s = span(axis, w, col.date); return <div key={w.starts_at} className="work" style={{ top: px(s.top), height: px(s.height) }} />; })}
              {col.closed !== null && <div className="closed-note">Closed{col.closed ? `: ${col.closed}` : ''}</div>}
              {col.off.map((o) => {
                const s = span(axis, o, col.date);
                return <div key={`${o.who ?? ''}${o.starts_at}`} className="off" style={{ top: px(s.top), height: px(s.height) }}><span>{o.who ? `${o.who} off` : 'Off'}{o.reason ? `: ${o.reason}` : ''}</span></div>;
              })}
              {freeStarts.map((s, i) => (
                <div key={col.free[i]} className="free" aria-hidden="true" style={{ top: px(s), height: px(Math.min((freeStarts[i + 1] ?? s + 30) - s, 30)) - 2 }}>
                  {formatTime(col.free[i]!, zone)}
                </div>
              ))}
              {live.map((b) => (
                <BookingBlock key={b.reference} booking={b} zone={zone} top={axis.toMin(ms(b.starts_at), col.date)} lane={laneOf.get(b.reference)!} withStaff={withStaff}
                  movable={movable(b)} moving={target?.booking.reference === b.reference}
                  onOpen={move.click(() => onOpen(b))} onPointerDown={move.pointerDown(b, ci)} onKeyDown={move.keyDown(b, ci)} onBlur={move.blur(b)} />
              ))}
              {target && target.col === ci && (
                <div className="booking-ghost" aria-hidden="true" style={{ top: px(target.min), height: ((ms(target.booking.ends_at) - ms(target.booking.starts_at)) / MIN) * PX_PER_MIN }}>
                  → {targetAt?.time}
                </div>
              )}
              {col.date === today && (() => {
                const m = axis.toMin(now, col.date);
                return m >= 0 && m <= axis.span ? <div className="now-line" style={{ top: px(m) }} role="img" aria-label={`Now, ${formatTime(now, zone)}`} /> : null;
              })()}
            </section>
          );
        })}
      </div>
      <p className="sr-only" aria-live="assertive">
        {target?.by === 'keys' && targetAt && targetCol
          ? `Moving ${target.booking.client.name ?? 'booking'} to ${formatShortDate(targetAt.date)} ${targetAt.time} with ${who(target.booking, targetCol)}. Arrow keys move it, Enter confirms, Escape cancels.`
          : ''}
      </p>
    </div>
  );
}
