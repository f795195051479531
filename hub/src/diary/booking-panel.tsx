import { useState, type FormEvent } from 'react';
import { cancelBooking, getAvailability, getBooking, recordOutcome } from '../data/diary';
import { Link } from '../router';
import { addDays, formatDateTime, formatLongDate, formatTime, localDate, money, ms } from '../time';
import type { Booking } from '../types';
import { Field, FormError, Loading, Modal, RadioChips, useAction, useAsync } from '../ui';
import { statusWord } from './booking-block';
import { staffFor, type DiaryContext } from './context';
import { MoveConfirm, type MoveRequest } from './move-confirm';
import { ruleList } from './set-aside';

type Mode = 'view' | 'reschedule' | 'cancel';

/** One booking: details, and what can be done with it now (reschedule, cancel, completed / no-show). */
export function BookingPanel({ reference, ctx, onClose, onChanged }: {
  reference: string; ctx: DiaryContext; onClose: () => void; onChanged: (b: Booking, message?: string) => void;
}) {
  const zone = ctx.location.time_zone;
  const booking = useAsync(() => getBooking(reference), [reference]);
  const [mode, setMode] = useState<Mode>('view');
  const [message, setMessage] = useState<string | null>(null);
  const action = useAction();
  const b = booking.data;
  const changed = (next: Booking, note?: string) => {
    booking.setData({ ...next, client: { ...booking.data!.client, ...next.client } });
    setMode('view');
    setMessage(note ?? null);
    onChanged(next, note);
  };
  const outcome = async (status: 'completed' | 'no_show') => {
    const next = await action.run(() => recordOutcome(reference, status));
    if (next) changed(next, `Marked ${statusWord(status).toLowerCase()}.`);
  };
  const started = b ? ms(b.starts_at) <= Date.now() : false;
  return (
    <Modal title={b ? `${b.service.name} · ${b.client.name ?? 'Erased client'}` : 'Booking'} onClose={onClose}
      returnFocus={() => document.querySelector<HTMLElement>(`.booking[data-reference="${reference}"]`)}>
      {!b ? (booking.error ? <FormError error={booking.error} /> : <Loading />) : (
        <>
          {message && <p className="alert alert-success" role="status" tabIndex={-1} data-refocus>{message}</p>}
          <dl className="details">
            <dt>When</dt><dd>{formatDateTime(b.starts_at, zone)}–{formatTime(b.ends_at, zone)}{b.buffer_minutes ? ` (+${b.buffer_minutes} min clean-up)` : ''}</dd>
            <dt>With</dt><dd>{b.staff.display_name}</dd>
            <dt>Client</dt><dd>{b.client.erased ? 'Erased client' : <Link to={`/clients/${b.client.id}`}>{b.client.name}</Link>}{b.client.phone ? ` · ${b.client.phone}` : ''}{b.client.email ? ` · ${b.client.email}` : ''}</dd>
            <dt>Status</dt><dd><span className={`badge status-${b.status}`}>{statusWord(b.status)}</span>{b.cancellation_reason ? ` · ${b.cancellation_reason}` : ''}</dd>
            <dt>Reference</dt><dd className="mono">{b.reference}</dd>
            <dt>Price</dt><dd>{money(b.price)}</dd>
            <dt>Booked</dt><dd>{b.source === 'api' ? 'online (API)' : 'in the Hub'}, {formatDateTime(b.created_at, zone)}</dd>
            {b.rules_set_aside.length > 0 && <><dt>Set aside</dt><dd>{ruleList(b.rules_set_aside)} <span className="muted">(booked knowingly outside these rules)</span></dd></>}
            {b.notes && <><dt>Notes</dt><dd>{b.notes}</dd></>}
          </dl>
          <FormError error={action.error} />
          {mode === 'view' && (
            <div className="actions">
              {b.status === 'confirmed' && !started && <>
                <button type="button" onClick={() => { setMessage(null); setMode('reschedule'); }}>Reschedule</button>
                <button type="button" className="danger" onClick={() => { setMessage(null); setMode('cancel'); }}>Cancel booking</button>
              </>}
              {b.status !== 'cancelled' && started && <>
                {b.status !== 'completed' && <button type="button" onClick={() => outcome('completed')} disabled={action.busy}>Mark completed</button>}
                {b.status !== 'no_show' && <button type="button" className="secondary" onClick={() => outcome('no_show')} disabled={action.busy}>Mark no-show</button>}
              </>}
              <button type="button" className="secondary" onClick={onClose}>Close</button>
            </div>
          )}
          {mode === 'reschedule' && <Reschedule booking={b} ctx={ctx} onDone={changed} onBack={() => setMode('view')} />}
          {mode === 'cancel' && <Cancel booking={b} onDone={(next) => changed(next, 'Booking cancelled.')} onBack={() => setMode('view')} />}
        </>
      )}
    </Modal>
  );
}

function Reschedule({ booking, ctx, onDone, onBack }: { booking: Booking; ctx: DiaryContext; onDone: (b: Booking, message: string) => void; onBack: () => void }) {
  const zone = ctx.location.time_zone;
  const [date, setDate] = useState(localDate(ms(booking.starts_at), zone));
  const [staffId, setStaffId] = useState(booking.staff.id);
  const [time, setTime] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<MoveRequest | null>(null);
  const staff = staffFor(ctx, booking.service.id).filter((s) => s.id !== booking.staff.id);
  const slots = useAsync(() => getAvailability({ location: ctx.location.slug, service: booking.service.id, date, staff: staffId, exclude_booking: booking.reference }), [date, staffId]);
  const startsAt = new Map((slots.data?.slots ?? []).map((s) => [formatTime(s.starts_at, zone), s.starts_at] as const).reverse());
  const times = [...startsAt.keys()].sort();
  const current = localDate(ms(booking.starts_at), zone) === date && staffId === booking.staff.id ? formatTime(booking.starts_at, zone) : null;
  const staffName = staffId === booking.staff.id ? booking.staff.display_name : ctx.staff.find((s) => s.id === staffId)?.display_name ?? '';
  const pickDate = (d: string) => { setDate(d); setTime(null); };
  return (
    <section aria-labelledby="resched-title">
      <h3 id="resched-title">Choose a new time</h3>
      <div className="grid-2">
        <Field label="Date" name="date" error={slots.error}>{(p) => (
          <span className="date-nav">
            <button type="button" className="secondary small" onClick={() => pickDate(addDays(date, -1))} aria-label="Previous day">‹</button>
            <input {...p} type="date" value={date} onChange={(e) => e.target.value && pickDate(e.target.value)} />
            <button type="button" className="secondary small" onClick={() => pickDate(addDays(date, 1))} aria-label="Next day">›</button>
          </span>
        )}</Field>
        <Field label="With" name="staff">{(p) => (
          <select {...p} value={staffId} onChange={(e) => { setStaffId(e.target.value); setTime(null); }}>
            <option value={booking.staff.id}>{booking.staff.display_name}</option>
            {staff.map((s) => <option key={s.id} value={s.id}>{s.display_name}</option>)}
          </select>
        )}</Field>
      </div>
      {!slots.data ? (slots.error ? null : <Loading what="Finding free times" />) : times.length === 0 ? <p className="muted">No free times on {formatLongDate(date)}.</p> : (
        <RadioChips label={`Free times on ${formatLongDate(date)}`} value={time} onChange={setTime}
          options={times.map((t) => ({ value: t, label: t === current ? `${t} (now)` : t }))} />
      )}
      <div className="actions">
        <button type="button" disabled={!time || time === current} onClick={() => time && setConfirming({ booking, to: { date, time, staffId, staffName, starts_at: startsAt.get(time) } })}>Move booking…</button>
        <button type="button" className="secondary" onClick={onBack}>Back</button>
      </div>
      {confirming && <MoveConfirm request={confirming} zone={zone} onClose={() => setConfirming(null)}
        onMoved={(b, message) => { setConfirming(null); onDone(b, message); }} onRefused={slots.reload} />}
    </section>
  );
}

function Cancel({ booking, onDone, onBack }: { booking: Booking; onDone: (b: Booking) => void; onBack: () => void }) {
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next = await run(() => cancelBooking(booking.reference, reason.trim() || undefined));
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
