import { useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import { ms } from '../time';
import type { Booking } from '../types';
import { MIN, PX_PER_MIN, SNAP, snap, type Axis, type WallTime } from './layout';

/** Where a booking is being moved to: a column of the grid and a minute of the view. */
export interface MoveTarget { col: number; min: number }
export interface MovingState extends MoveTarget { booking: Booking; by: 'pointer' | 'keys' }

/** Columns as the move needs them: their date and where a booking dropped there goes. */
export interface MoveColumn { date: string; staffId: string | null }

/**
 * Moving a booking in a grid, by pointer (drag) or by keyboard (M, then arrows, Enter; Escape cancels),
 * the keyboard path being the equivalent WCAG 2.1.1 and 2.5.7 ask for. Nothing is sent from here: the
 * end of a move calls `onDrop`, which asks for confirmation and goes through the reschedule endpoint.
 */
export function useMove({ gridRef, axis, columns, movable, onDrop }: {
  gridRef: RefObject<HTMLElement | null>; axis: Axis; columns: MoveColumn[];
  movable: (b: Booking) => boolean; onDrop: (b: Booking, to: WallTime & { staffId: string | null }) => void;
}) {
  const [moving, setMoving] = useState<MovingState | null>(null);
  const drag = useRef<{ booking: Booking; x: number; y: number; grab: number; started: boolean } | null>(null);
  const suppressClick = useRef(false);

  const lengthOf = (b: Booking) => (ms(b.ends_at) - ms(b.starts_at)) / MIN;
  const clampMin = (b: Booking, m: number) => Math.min(Math.max(m, 0), Math.max(axis.span - lengthOf(b), 0));
  const finish = (state: MovingState) => {
    setMoving(null);
    const col = columns[state.col]!;
    onDrop(state.booking, { ...axis.fromMin(state.min, col.date), staffId: col.staffId });
  };

  /** Which column a pointer is over, and the minute its top edge would land on. */
  const targetAt = (b: Booking, x: number, y: number, grab: number): MoveTarget | null => {
    const bodies = [...(gridRef.current?.querySelectorAll<HTMLElement>('[data-col]') ?? [])];
    const i = bodies.findIndex((el) => { const r = el.getBoundingClientRect(); return x >= r.left && x < r.right; });
    if (i < 0) return null;
    const top = bodies[i]!.getBoundingClientRect().top;
    return { col: Number(bodies[i]!.dataset.col), min: clampMin(b, snap((y - top) / PX_PER_MIN - grab)) };
  };

  const pointerDown = (b: Booking, colIndex: number) => (e: PointerEvent<HTMLButtonElement>) => {
    if (e.button !== 0 || e.pointerType === 'touch' || !movable(b)) return;
    const rect = e.currentTarget.getBoundingClientRect();
    drag.current = { booking: b, x: e.clientX, y: e.clientY, grab: (e.clientY - rect.top) / PX_PER_MIN, started: false };
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => {
      const d = drag.current;
      if (!d) return;
      if (!d.started && Math.hypot(ev.clientX - d.x, ev.clientY - d.y) < 5) return;
      d.started = true;
      const t = targetAt(b, ev.clientX, ev.clientY, d.grab);
      if (t) setMoving({ booking: b, by: 'pointer', ...t });
    };
    const up = (ev: globalThis.PointerEvent) => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
      const d = drag.current;
      drag.current = null;
      if (!d?.started) return;
      suppressClick.current = true; // the click that follows a drag is not "open the booking"
      setTimeout(() => { suppressClick.current = false; }, 0);
      const t = ev.type === 'pointerup' ? targetAt(b, ev.clientX, ev.clientY, d.grab) : null;
      const unmoved = t && t.col === colIndex && Math.abs(t.min - axis.toMin(ms(b.starts_at), columns[colIndex]!.date)) < SNAP / 2;
      if (t && !unmoved) finish({ booking: b, by: 'pointer', ...t });
      else setMoving(null);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  };

  const keyDown = (b: Booking, colIndex: number) => (e: KeyboardEvent<HTMLButtonElement>) => {
    const mine = moving?.booking.reference === b.reference ? moving : null;
    if (!mine) {
      if ((e.key === 'm' || e.key === 'M') && !e.ctrlKey && !e.metaKey && !e.altKey && movable(b)) {
        e.preventDefault();
        setMoving({ booking: b, by: 'keys', col: colIndex, min: axis.toMin(ms(b.starts_at), columns[colIndex]!.date) });
      }
      return;
    }
    const step = e.shiftKey ? 5 : SNAP;
    const next = { ...mine };
    if (e.key === 'ArrowUp') next.min = clampMin(b, snap(mine.min - step, step));
    else if (e.key === 'ArrowDown') next.min = clampMin(b, snap(mine.min + step, step));
    else if (e.key === 'ArrowLeft') next.col = Math.max(0, mine.col - 1);
    else if (e.key === 'ArrowRight') next.col = Math.min(columns.length - 1, mine.col + 1);
    else if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); finish(mine); return; }
    else if (e.key === 'Escape' || e.key === 'Tab') { if (e.key === 'Escape') e.preventDefault(); setMoving(null); return; }
    else return;
    e.preventDefault();
    setMoving(next);
  };

  const click = (open: () => void) => () => {
    if (suppressClick.current || moving) return;
    open();
  };

  /** Leaving a booking being moved by keyboard drops the move. */
  const blur = (b: Booking) => () => { if (moving?.by === 'keys' && moving.booking.reference === b.reference) setMoving(null); };

  return { moving, pointerDown, keyDown, click, blur };
}
