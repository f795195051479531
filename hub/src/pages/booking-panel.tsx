import { useState, type FormEvent } from 'react';
import { get, post, qs } from '../api';
import { Link } from '../router';
import { addDays, formatDateTime, formatTime, localDate, money, ms } from '../time';
import type { Availability, Booking, DiaryDay } from '../types';
import { Field, FormError, Loading, Modal, useAction, useAsync } from '../ui';

type Mode = 'view' | 'reschedule' | 'cancel';

/** One booking: details, and what can be done with it now (reschedule, cancel, completed / no-show). */
export function BookingPanel({ reference, day, onClose, onChanged }: { reference: string; day: DiaryDay; onClose: () => void; onChanged: () => void }) {
  const zone = day.location.time_zone;
  const booking = useAsync(() => get<Booking>(`/bookings/${reference}`), [reference]);
  const [mode, setMode] = useState<Mode>('view');
  const action = useAction();
  const b = booking.data;
  const changed = (next: Booking) => { booking.setData({ ...next, client: { ...booking.data!.client, ...next.client } }); setMode('view'); onChanged(); };
  const outcome = async (status: 'completed' | 'no_show') => {
    const next = await action.run(() => post<Booking>(`/bookings/${reference}/outcome`, { status }));
    if (next) changed(next);
  };
  const started = b ? ms(b.starts_at) <= Date.now() : false;
  return (
    <Modal title={b ? `${b.service.name} · ${b.client.name ?? 'Erased client'}` : 'Booking'} onClose={onClose}>
      {!b ? (booking.error ? <FormError error={booking.error} /> : <Loading />) : (
        <>
          <dl className="details">
            <dt>When</dt><dd>{formatDateTime(b.starts_at, zone)}–{formatTime(b.ends_at, zone)}{b.buffer_minutes ? ` (+${b.buffer_minutes} min clean-up)` : ''}</dd>
            <dt>With</dt><dd>{b.staff.display_name}</dd>
            <dt>Client</dt><dd>{b.client.erased ? 'Erased client' : <Link to={`/clients/${b.client.id}`}>{b.client.name}</Link>}{b.client.phone ? ` · ${b.client.phone}` : ''}{b.client.email ? ` · ${b.client.email}` : ''}</dd>
            <dt>Status</dt><dd><span className={`badge status-${b.status}`}>{b.status.replace('_', '-')}</span>{b.cancellation_reason ? ` · ${b.cancellation_reason}` : ''}</dd>
            <dt>Reference</dt><dd className="mono">{b.reference}</dd>
            <dt>Price</dt><dd>{money(b.price)}</dd>
            <dt>Booked</dt><dd>{b.source === 'api' ? 'online (API)' : 'in the Hub'}, {formatDateTime(b.created_at, zone)}</dd>
            {b.notes && <><dt>Notes</dt><dd>{b.notes}</dd></>}
          </dl>
          <FormError error={action.error} />
          {mode === 'view' && (
            <div className="actions">
              {b.status === 'confirmed' && !started && <>
                <button type="button" onClick={() => setMode('reschedule')}>Reschedule</button>
                <button type="button" className="danger" onClick={() => setMode('cancel')}>Cancel booking</button>
              </>}
              {b.status !== 'cancelled' && started && <>
                {b.status !== 'completed' && <button type="button" onClick={() => outcome('completed')} disabled={action.busy}>Mark completed</button>}
                {b.status !== 'no_show' && <button type="button" className="secondary" onClick={() => outcome('no_show')} disabled={action.busy}>Mark no-show</button>}
              </>}
              <button type="button" className="secondary" onClick={onClose}>Close</button>
            </div>
          )}
          {mode === 'reschedule' && <Reschedule booking={b} day={day} onDone={changed} onBack={() => setMode('view')} />}
          {mode === 'cancel' && <Cancel booking={b} onDone={changed} onBack={() => setMode('view')} />}
        </>
      )}
    </Modal>
  );
}

function Reschedule({ booking, day, onDone, onBack }: { booking: Booking; day: DiaryDay; onDone: (b: Booking) => void; onBack: () => void }) {
  const zone = day.location.time_zone;
  const [date, setDate] = useState(localDate(ms(booking.starts_at), zone));
  const [staffId, setStaffId] = useState(booking.staff.id);
  const staff = day.staff.filter((s) => s.id === booking.staff.id || (s.bookable && s.service_ids.includes(booking.service.id)));
  const slots = useAsync(() => get<Availability>(`/availability${qs({ location: day.location.slug, service: booking.service.id, date, staff: staffId, exclude_booking: booking.reference })}`), [date, staffId]);
  const { busy, error, run } = useAction();
  const move = async (startsAt: string) => {
    const next = await run(() => post<Booking>(`/bookings/${booking.reference}/reschedule`, { starts_at: startsAt, ...(staffId !== booking.staff.id ? { staff: staffId } : {}) }));
    if (next) onDone(next);
    else slots.reload();
  };
  return (
    <section aria-labelledby="resched-title">
      <h3 id="resched-title">Choose a new time</h3>
      <div className="grid-2">
        <Field label="Date" name="date" error={slots.error}>{(p) => (
          <span className="date-nav">
            <button type="button" className="secondary small" onClick={() => setDate(addDays(date, -1))} aria-label="Previous day">‹</button>
            <input {...p} type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
            <button type="button" className="secondary small" onClick={() => setDate(addDays(date, 1))} aria-label="Next day">›</button>
          </span>
        )}</Field>
        <Field label="With" name="staff" error={error}>{(p) => (
          <select {...p} value={staffId} onChange={(e) => setStaffId(e.target.value)}>
            {staff.map((s) => <option key={s.id} value={s.id}>{s.display_name}</option>)}
          </select>
        )}</Field>
      </div>
      <FormError error={error} fields={['staff']} />
      {!slots.data ? (slots.error ? null : <Loading what="Finding free times" />) : slots.data.slots.length === 0 ? <p className="muted">No free times that day.</p> : (
        <div className="slot-picker" role="group" aria-label="New times">
          {slots.data.slots.map((s) => (
            <button type="button" key={s.starts_at} className="slot-choice" disabled={busy} onClick={() => move(s.starts_at)}
              aria-label={`Move to ${formatTime(s.starts_at, zone)}`}>{formatTime(s.starts_at, zone)}{s.starts_at === booking.starts_at && s.staff_id === booking.staff.id ? ' (now)' : ''}</button>
          ))}
        </div>
      )}
      <p><button type="button" className="secondary" onClick={onBack}>Back</button></p>
    </section>
  );
}

function Cancel({ booking, onDone, onBack }: { booking: Booking; onDone: (b: Booking) => void; onBack: () => void }) {
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next = await run(() => post<Booking>(`/bookings/${booking.reference}/cancel`, reason.trim() ? { reason: reason.trim() } : {}));
    if (next) onDone(next);
  };
  return (
    <form onSubmit={submit} aria-labelledby="cancel-title">
      <h3 id="cancel-title">Cancel this booking?</h3>
      <p>The time becomes free for others at once.</p>
      <FormError error={error} fields={['reason']} />
      <Field label="Reason (optional)" name="reason" error={error}>{(p) => <textarea {...p} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}</Field>
      <div className="actions">
        <button type="submit" className="danger" disabled={busy}>Cancel booking</button>
        <button type="button" className="secondary" onClick={onBack}>Keep it</button>
      </div>
    </form>
  );
}
