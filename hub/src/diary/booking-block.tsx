import type { CSSProperties, KeyboardEvent, PointerEvent } from 'react';
import { formatTime, ms } from '../time';
import type { Booking, BookingStatus } from '../types';
import { MIN, PX_PER_MIN } from './layout';

/** Status in words as well as colour (WCAG 1.4.1): the block says it, and its border differs. */
export const STATUS_TEXT: Record<BookingStatus, string> = { confirmed: 'Confirmed', cancelled: 'Cancelled', completed: '✓ Completed', no_show: '✗ No-show' };
export const statusWord = (s: BookingStatus) => STATUS_TEXT[s].replace(/^\W+/, '');

/** Below this height (px) a block is one line: the time and the name side by side, never drawn over each other. */
const COMPACT_PX = 44;

export function BookingBlock({ booking: b, zone, top, lane, withStaff, movable, moving, onOpen, onPointerDown, onKeyDown, onBlur }: {
  booking: Booking; zone: string; top: number; lane: { lane: number; of: number }; withStaff: boolean; movable: boolean; moving: boolean;
  onOpen: () => void; onPointerDown: (e: PointerEvent<HTMLButtonElement>) => void; onKeyDown: (e: KeyboardEvent<HTMLButtonElement>) => void; onBlur: () => void;
}) {
  const bodyPx = ((ms(b.ends_at) - ms(b.starts_at)) / MIN) * PX_PER_MIN;
  const bufferPx = b.buffer_minutes * PX_PER_MIN;
  const compact = bodyPx < COMPACT_PX;
  const style: CSSProperties = {
    top: top * PX_PER_MIN,
    height: Math.max(bodyPx + bufferPx, 24),
    left: `calc(${(lane.lane / lane.of) * 100}% + 3px)`,
    width: `calc(${100 / lane.of}% - 6px)`,
  };
  const what = `${b.service.name}${withStaff ? ` · ${b.staff.display_name}` : ''}${b.source === 'api' ? ' · online' : ''}`;
  // Read out as shown, in the same order (WCAG 2.5.3), then what does not fit on the block.
  const label = `${b.status === 'confirmed' ? '' : `${statusWord(b.status)} `}${formatTime(b.starts_at, zone)} ${b.client.name ?? 'Erased client'}, ${what}, until ${formatTime(b.ends_at, zone)}${withStaff ? '' : `, with ${b.staff.display_name}`}`;
  return (
    <button type="button" aria-label={label} className={`booking status-${b.status}${compact ? ' compact' : ''}${moving ? ' is-moving' : ''}`} style={style}
      aria-keyshortcuts={movable ? 'M' : undefined} title={movable ? 'Drag to move, or press M' : undefined}
      data-reference={b.reference} onClick={onOpen} onPointerDown={onPointerDown} onKeyDown={onKeyDown} onBlur={onBlur}>
      <span className="booking-body" style={{ height: Math.max(bodyPx, 24) }}>
        {b.status !== 'confirmed' && <><span className="booking-status">{STATUS_TEXT[b.status]}</span>{' '}</>}
        <span className="booking-line"><span className="booking-time">{formatTime(b.starts_at, zone)}</span> <strong>{b.client.name ?? 'Erased client'}</strong></span>{' '}
        {!compact && <span className="booking-what">{what}</span>}
      </span>
      {bufferPx > 0 && <span className="booking-buffer" style={{ height: bufferPx }} title={`${b.buffer_minutes} min clean-up`} />}
    </button>
  );
}
