import { useState } from 'react';
import { rescheduleBooking } from '../data/diary';
import { formatShortDate, formatTime, localDate, ms } from '../time';
import type { Booking, SettableRule } from '../types';
import { ConfirmDialog, useAction } from '../ui';
import type { WallTime } from './layout';
import { SetAsideOffer } from './set-aside';

/** Where a booking is asked to go: a wall-clock time (and the free time's instant when one was chosen). */
export interface MoveRequest { booking: Booking; to: WallTime & { staffId: string | null; staffName: string; starts_at?: string } }

/** "Tue 9 Dec 10:00 with Alex": a booking's place in words, as the confirmation and the message say it. */
export const placeOf = (b: Booking, zone: string) => `${formatShortDate(localDate(ms(b.starts_at), zone))} ${formatTime(b.starts_at, zone)} with ${b.staff.display_name}`;

/**
 * The one way a booking moves in the Hub (drag, keyboard or the panel's Reschedule): a question naming the
 * old and new time and staff member, then the reschedule endpoint. A refusal (409 with its reason: the time
 * was taken, the staff member is off…) stays in the dialog and the diary behind is refreshed; a rule a
 * walk-in may break can be set aside from there ("Move anyway").
 */
export function MoveConfirm({ request, zone, onMoved, onRefused, onClose }: {
  request: MoveRequest; zone: string; onMoved: (b: Booking, message: string) => void; onRefused: () => void; onClose: () => void;
}) {
  const { busy, error, run } = useAction();
  const [setAside, setSetAside] = useState<SettableRule[]>([]);
  const b = request.booking;
  const staffId = request.to.staffId ?? b.staff.id;
  const from = placeOf(b, zone);
  const to = `${formatShortDate(request.to.date)} ${request.to.time} with ${request.to.staffId ? request.to.staffName : b.staff.display_name}`;
  const name = b.client.name ?? 'Erased client';
  const move = async (rules: SettableRule[]) => {
    setSetAside(rules);
    const start = request.to.starts_at ? { starts_at: request.to.starts_at } : { date: request.to.date, time: request.to.time };
    const moved = await run(() => rescheduleBooking(b.reference, { start, staff: staffId !== b.staff.id ? staffId : undefined, setAside: rules }));
    if (moved) onMoved(moved, `Moved ${name}'s ${b.service.name} from ${from} to ${placeOf(moved, zone)}.`);
    else onRefused();
  };
  return (
    <ConfirmDialog title="Move this booking?" confirmLabel="Move booking" cancelLabel="Keep it where it is" busy={busy} error={error} onConfirm={() => void move([])} onCancel={onClose}
      extra={<SetAsideOffer error={error} already={setAside} verb="Move" busy={busy} onAccept={(rules) => void move(rules)} />}>
      <p><strong>{name}</strong> · {b.service.name}</p>
      <dl className="details move-summary">
        <dt>From</dt><dd>{from}</dd>
        <dt>To</dt><dd>{to}</dd>
      </dl>
    </ConfirmDialog>
  );
}
