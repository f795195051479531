import { useEffect, useRef, useState, type FormEvent } from 'react';
import { HubError } from '../api';
import { createBooking, getAvailability, type ClientChoice } from '../data/diary';
import { confirmLeave, useLeaveGuard } from '../leave-guard';
import { formatLongDate, formatTime, money } from '../time';
import type { Booking } from '../types';
import { Field, FormError, Modal, RadioChips, useAction, useAsync } from '../ui';
import { ClientPicker } from './client-picker';
import { staffFor, type DiaryContext } from './context';

/** What the diary knows when a booking starts: the day, and maybe the staff member, service and time. */
export interface NewBookingPreset { date: string; staffId?: string; serviceId?: string; time?: string }

const FIELDS = ['service', 'staff', 'starts_at', 'client', 'notes'];

/**
 * A booking from the diary: the service, a free time (one radio group, moved by arrow keys) or a time typed
 * by hand, the client (found or new). A refusal because the time was just taken refreshes the free times
 * and the diary behind.
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
  const { busy, error, run, setError } = useAction();
  const service = ctx.services.find((s) => s.id === serviceId);
  const slots = useAsync(() => (serviceId ? getAvailability({ location: ctx.location.slug, service: serviceId, date: preset.date, staff: staffId || undefined }) : Promise.resolve(null)),
    [serviceId, staffId, preset.date]);
  // One choice per start time (with "anyone", several staff may be free at once).
  const times = [...new Set((slots.data?.slots ?? []).map((s) => formatTime(s.starts_at, zone)))];
  const presetTime = useRef(preset.time);
  useEffect(() => {
    // The time clicked in the diary: chosen when free for this service, else typed in for the server to judge.
    if (!slots.data || presetTime.current === undefined) return;
    if (times.includes(presetTime.current)) setChosen(presetTime.current);
    else setTyped(presetTime.current);
    presetTime.current = undefined;
  }, [slots.data, times]);
  useLeaveGuard(client !== null || notes !== '', 'this booking');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const time = typed || chosen;
    if (!client) { setError(new HubError(400, { code: 'parameter_missing', message: 'Choose a client, or add a new one.', param: 'client' })); return; }
    if (!time) { setError(new HubError(400, { code: 'parameter_missing', message: 'Choose a free time, or type one.', param: 'starts_at' })); return; }
    const made = await run(() => createBooking({ location: ctx.location.slug, service: serviceId, staff: staffId || undefined, at: { date: preset.date, time, zone }, client, notes }));
    if (made) onBooked(made);
  };
  const conflictRef = useRef(onConflict);
  conflictRef.current = onConflict;
  const reloadSlots = slots.reload;
  useEffect(() => {
    if (error?.code === 'slot_unavailable') { reloadSlots(); conflictRef.current(); }
  }, [error, reloadSlots]);

  return (
    <Modal title={`New booking · ${formatLongDate(preset.date)}`} onClose={() => confirmLeave(onClose)} wide>
      <form onSubmit={submit}>
        <FormError error={error} fields={FIELDS.filter((f) => f !== 'starts_at' || error?.code !== 'slot_unavailable')} />
        <div className="grid-2">
          <Field label="Service" name="service" error={error}>{(p) => (
            <select {...p} value={serviceId} onChange={(e) => { setServiceId(e.target.value); setChosen(null); }} required>
              {ctx.services.map((s) => <option key={s.id} value={s.id}>{s.name} · {s.duration_minutes} min · {money(s.price)}</option>)}
            </select>
          )}</Field>
          <Field label="With" name="staff" error={error}>{(p) => (
            <select {...p} value={staffId} onChange={(e) => { setStaffId(e.target.value); setChosen(null); }}>
              <option value="">Anyone free</option>
              {staffFor(ctx, serviceId).map((s) => <option key={s.id} value={s.id}>{s.display_name}</option>)}
            </select>
          )}</Field>
        </div>
        <fieldset>
          <legend>Time</legend>
          {!slots.data ? <p className="loading">Finding free times…</p> : times.length === 0 ? <p className="muted">No free times this day{service ? ` for ${service.name}` : ''}.</p> : (
            <RadioChips label="Free times" value={typed ? null : chosen} onChange={(t) => { setChosen(t); setTyped(''); }} options={times.map((t) => ({ value: t, label: t }))} />
          )}
          <Field label="Or type a time" name="starts_at" error={error?.code === 'slot_unavailable' ? null : error} hint={`In ${zone}`}>{(p) => <input {...p} type="time" value={typed} onChange={(e) => setTyped(e.target.value)} />}</Field>
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
