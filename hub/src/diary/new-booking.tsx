import { useEffect, useRef, useState, type FormEvent } from 'react';
import { HubError } from '../api';
import { createBooking, getAvailability, type ClientChoice, type Start } from '../data/diary';
import { confirmLeave, useLeaveGuard } from '../leave-guard';
import { formatLongDate, formatTime, money, todayIn } from '../time';
import type { Booking, SettableRule } from '../types';
import { Field, FormError, Modal, RadioChips, useAction, useAsync } from '../ui';
import { ClientPicker } from './client-picker';
import { staffFor, type DiaryContext } from './context';
import { SetAsideOffer } from './set-aside';

/** What the diary knows when a booking starts: the day, and maybe the staff member, service and time. */
export interface NewBookingPreset { date: string; staffId?: string; serviceId?: string; time?: string }

const FIELDS = ['service', 'staff', 'starts_at', 'date', 'time', 'client', 'notes'];

/**
 * A booking from the diary: the service, a free time (one radio group, moved by arrow keys) or a time typed
 * by hand ("Now" for the client in the chair), the client (found, new, or just a first name). A refusal
 * because the time was just taken refreshes the free times and the diary behind; a refusal for a rule a
 * walk-in may break offers "Book anyway", naming the rule, which is then recorded on the booking.
 */
export function NewBooking({ ctx, preset, onClose, onBooked, onConflict }: {
  ctx: DiaryContext; preset: NewBookingPreset; onClose: () => void; onBooked: (b: Booking) => void; onConflict: () => void;
}) {
  const zone = ctx.location.time_zone;
  const [serviceId, setServiceId] = useState(preset.serviceId ?? ctx.services[0]?.id ?? '');
  const [staffId, setStaffId] = useState(preset.staffId ?? '');
  const [chosen, setChosen] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [client, setClient] = useState<ClientChoice | null>(null);
  const [notes, setNotes] = useState('');
  const [setAside, setSetAside] = useState<SettableRule[]>([]);
  const { busy, error, run, setError } = useAction();
  const service = ctx.services.find((s) => s.id === serviceId);
  const slots = useAsync(() => (serviceId ? getAvailability({ location: ctx.location.slug, service: serviceId, date: preset.date, staff: staffId || undefined }) : Promise.resolve(null)),
    [serviceId, staffId, preset.date]);
  // One choice per start time (with "anyone", several staff may be free at once).
  const startsAt = new Map((slots.data?.slots ?? []).map((s) => [formatTime(s.starts_at, zone), s.starts_at] as const).reverse());
  const times = [...startsAt.keys()].sort();
  const presetTime = useRef(preset.time);
  useEffect(() => {
    // The time clicked in the diary: chosen when free for this service, else typed in for the server to judge.
    if (!slots.data || presetTime.current === undefined) return;
    if (times.includes(presetTime.current)) setChosen(presetTime.current);
    else setTyped(presetTime.current);
    presetTime.current = undefined;
  }, [slots.data, times]);
  useLeaveGuard(client !== null || notes !== '', 'this booking');

  const book = async (rules: SettableRule[]) => {
    if (!client) { setError(new HubError(400, { code: 'parameter_missing', message: 'Choose a client, or add a new one.', param: 'client' })); return; }
    const start: Start | null = typed ? { date: preset.date, time: typed } : chosen ? { starts_at: startsAt.get(chosen)! } : null;
    if (!start) { setError(new HubError(400, { code: 'parameter_missing', message: 'Choose a free time, or type one.', param: 'time' })); return; }
    setSetAside(rules);
    const made = await run(() => createBooking({ location: ctx.location.slug, service: serviceId, staff: staffId || undefined, start, client, notes, setAside: rules }));
    if (made) onBooked(made);
  };
  const submit = (e: FormEvent) => { e.preventDefault(); void book([]); };
  // Another time, person or service: rules set aside for the previous one no longer apply.
  const changed = <T,>(set: (v: T) => void) => (v: T) => { set(v); setSetAside([]); setError(null); };
  const conflictRef = useRef(onConflict);
  conflictRef.current = onConflict;
  const reloadSlots = slots.reload;
  useEffect(() => {
    if (error?.code === 'slot_unavailable') { reloadSlots(); conflictRef.current(); }
  }, [error, reloadSlots]);

  return (
    <Modal title={`New booking · ${formatLongDate(preset.date)}`} onClose={() => confirmLeave(onClose)} wide>
      <form onSubmit={submit}>
        <FormError error={error} fields={FIELDS.filter((f) => !['starts_at', 'time'].includes(f) || error?.code !== 'slot_unavailable')} />
        <SetAsideOffer error={error} already={setAside} verb="Book" busy={busy} onAccept={(rules) => void book(rules)} />
        <div className="grid-2">
          <Field label="Service" name="service" error={error}>{(p) => (
            <select {...p} value={serviceId} onChange={(e) => { changed(setServiceId)(e.target.value); setChosen(null); }} required>
              {ctx.services.map((s) => <option key={s.id} value={s.id}>{s.name} · {s.duration_minutes} min · {money(s.price)}</option>)}
            </select>
          )}</Field>
          <Field label="With" name="staff" error={error}>{(p) => (
            <select {...p} value={staffId} onChange={(e) => { changed(setStaffId)(e.target.value); setChosen(null); }}>
              <option value="">Anyone free</option>
              {staffFor(ctx, serviceId).map((s) => <option key={s.id} value={s.id}>{s.display_name}</option>)}
            </select>
          )}</Field>
        </div>
        <fieldset>
          <legend>Time</legend>
          {!slots.data ? <p className="loading">Finding free times…</p> : times.length === 0 ? <p className="muted">No free times this day{service ? ` for ${service.name}` : ''}.</p> : (
            <RadioChips label="Free times" value={typed ? null : chosen} onChange={(t) => { changed(setChosen)(t); setTyped(''); }} options={times.map((t) => ({ value: t, label: t }))} />
          )}
          <Field label="Or type a time" name="time" error={error?.code === 'slot_unavailable' ? null : error} hint={`In ${zone}. Any minute: a walk-in need not fit the free times.`}>{(p) => (
            <span className="date-nav">
              <input {...p} type="time" value={typed} onChange={(e) => changed(setTyped)(e.target.value)} />
              {preset.date === todayIn(zone) && <button type="button" className="secondary small" onClick={() => changed(setTyped)(formatTime(Date.now(), zone))}>Now<span className="sr-only">: the client is in the chair</span></button>}
            </span>
          )}</Field>
        </fieldset>
        <ClientPicker onChange={setClient} error={error} />
        <Field label="Notes (optional)" name="notes" error={error}>{(p) => <textarea {...p} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />}</Field>
        <div className="actions">
          <button type="submit" disabled={busy}>{busy ? 'Booking…' : 'Book'}</button>
          <button type="button" className="secondary" onClick={() => confirmLeave(onClose)}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
