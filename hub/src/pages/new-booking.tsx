import { useEffect, useRef, useState, type FormEvent } from 'react';
import { HubError, get, post, qs } from '../api';
import { formatTime, formatLongDate, money } from '../time';
import type { Availability, Booking, Client, DiaryDay, List } from '../types';
import { clientName } from '../types';
import { Field, FormError, Modal, useAction } from '../ui';

export interface NewBookingPreset { staffId?: string; serviceId?: string; startsAt?: string }

const FIELDS = ['service', 'staff', 'starts_at', 'client', 'notes'];

/** A booking from the diary: pick the service, a free time (or type one), the client (found or new). */
export function NewBooking({ day, preset, onClose, onBooked, onConflict }: {
  day: DiaryDay; preset: NewBookingPreset; onClose: () => void; onBooked: (b: Booking) => void; onConflict: () => void;
}) {
  const zone = day.location.time_zone;
  const [serviceId, setServiceId] = useState(preset.serviceId ?? day.services[0]?.id ?? '');
  const [staffId, setStaffId] = useState(preset.staffId ?? '');
  const [startsAt, setStartsAt] = useState(preset.startsAt ?? '');
  const [typed, setTyped] = useState('');
  const [slots, setSlots] = useState<Availability['slots'] | null>(null);
  const [slotsTick, setSlotsTick] = useState(0);
  const [client, setClient] = useState<Client | null>(null);
  const [newClient, setNewClient] = useState<{ first_name: string; last_name: string; email: string; phone: string } | null>(null);
  const [notes, setNotes] = useState('');
  const { busy, error, run, setError } = useAction();
  const service = day.services.find((s) => s.id === serviceId);
  const staffFor = day.staff.filter((s) => s.bookable && (!serviceId || s.service_ids.includes(serviceId)));

  useEffect(() => {
    if (!serviceId) return;
    let live = true;
    setSlots(null);
    get<Availability>(`/availability${qs({ location: day.location.slug, service: serviceId, date: day.date, staff: staffId || undefined })}`)
      .then((a) => { if (live) setSlots(a.slots); }, () => { if (live) setSlots([]); });
    return () => { live = false; };
  }, [serviceId, staffId, day.location.slug, day.date, slotsTick]);

  // One choice per start time (with "anyone", several staff may be free at once).
  const times = [...new Map((slots ?? []).map((s) => [s.starts_at, s])).values()];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A time typed by hand goes as the local date and time: the server converts it with the engine's rule.
    const when = typed ? { date: day.date, time: typed } : { starts_at: startsAt };
    const who = client ? client.id : newClient ? {
      first_name: newClient.first_name, ...(newClient.last_name ? { last_name: newClient.last_name } : {}),
      ...(newClient.email ? { email: newClient.email } : {}), ...(newClient.phone ? { phone: newClient.phone } : {}),
    } : undefined;
    if (!who) { setError(new HubError(400, { code: 'parameter_missing', message: 'Choose a client, or add a new one.', param: 'client' })); return; }
    const made = await run(() => post<Booking>('/bookings', {
      location: day.location.slug, service: serviceId, ...(staffId ? { staff: staffId } : {}), ...when, client: who, ...(notes ? { notes } : {}),
    }));
    if (made) onBooked(made);
  };
  const conflictRef = useRef(onConflict);
  conflictRef.current = onConflict;
  useEffect(() => {
    // A refusal because the time was just taken: refresh the free times and the diary behind the dialog.
    if (error?.code === 'slot_unavailable') { setSlotsTick((t) => t + 1); conflictRef.current(); }
  }, [error]);

  return (
    <Modal title={`New booking · ${formatLongDate(day.date)}`} onClose={onClose} wide>
      <form onSubmit={submit}>
        <FormError error={error} fields={FIELDS.filter((f) => f !== 'starts_at' || error?.code !== 'slot_unavailable')} />
        <div className="grid-2">
          <Field label="Service" name="service" error={error}>{(p) => (
            <select {...p} value={serviceId} onChange={(e) => { setServiceId(e.target.value); setStartsAt(''); }} required>
              {day.services.map((s) => <option key={s.id} value={s.id}>{s.name} · {s.duration_minutes} min · {money(s.price)}</option>)}
            </select>
          )}</Field>
          <Field label="With" name="staff" error={error}>{(p) => (
            <select {...p} value={staffId} onChange={(e) => { setStaffId(e.target.value); setStartsAt(''); }}>
              <option value="">Anyone free</option>
              {staffFor.map((s) => <option key={s.id} value={s.id}>{s.display_name}</option>)}
            </select>
          )}</Field>
        </div>
        <fieldset>
          <legend>Time</legend>
          {slots === null ? <p className="loading">Finding free times…</p> : times.length === 0 ? <p className="muted">No free times this day{service ? ` for ${service.name}` : ''}.</p> : (
            <div className="slot-picker" role="group" aria-label="Free times">
              {times.map((s) => (
                <button type="button" key={s.starts_at} className={startsAt === s.starts_at && !typed ? 'slot-choice chosen' : 'slot-choice'} aria-pressed={startsAt === s.starts_at && !typed}
                  onClick={() => { setStartsAt(s.starts_at); setTyped(''); }}>{formatTime(s.starts_at, zone)}</button>
              ))}
            </div>
          )}
          {preset.startsAt && !times.some((s) => s.starts_at === preset.startsAt) && slots !== null && !typed && startsAt === preset.startsAt && (
            <p className="muted">The time you picked ({formatTime(preset.startsAt, zone)}) is no longer shown as free.</p>
          )}
          <Field label="Or type a time" name="starts_at" error={error?.code === 'slot_unavailable' ? null : error} hint={`In ${zone}`}>{(p) => <input {...p} type="time" value={typed} onChange={(e) => setTyped(e.target.value)} />}</Field>
        </fieldset>

        <ClientPicker chosen={client} onChoose={(c) => { setClient(c); setNewClient(null); }} newClient={newClient} setNewClient={(n) => { setNewClient(n); if (n) setClient(null); }} error={error} />
        <Field label="Notes (optional)" name="notes" error={error}>{(p) => <textarea {...p} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />}</Field>
        <div className="actions">
          <button type="submit" disabled={busy || (!startsAt && !typed)}>{busy ? 'Booking…' : 'Book'}</button>
          <button type="button" className="secondary" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}

type NewClient = { first_name: string; last_name: string; email: string; phone: string };

export function ClientPicker({ chosen, onChoose, newClient, setNewClient, error }: {
  chosen: Client | null; onChoose: (c: Client | null) => void; newClient: NewClient | null; setNewClient: (n: NewClient | null) => void; error: HubError | null;
}) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Client[]>([]);
  useEffect(() => {
    if (q.trim().length < 2) { setFound([]); return; }
    const t = setTimeout(() => { get<List<Client>>(`/clients${qs({ q, limit: 8 })}`).then((r) => setFound(r.data), () => setFound([])); }, 200);
    return () => clearTimeout(t);
  }, [q]);
  return (
    <fieldset>
      <legend>Client</legend>
      {chosen ? (
        <p>{clientName(chosen)} <span className="muted">{chosen.email ?? ''} {chosen.phone ?? ''}</span>{' '}
          <button type="button" className="link-button" onClick={() => onChoose(null)}>Change</button></p>
      ) : newClient ? (
        <>
          <div className="grid-2">
            <Field label="First name" name="client.first_name" error={error}>{(p) => <input {...p} required value={newClient.first_name} onChange={(e) => setNewClient({ ...newClient, first_name: e.target.value })} />}</Field>
            <Field label="Last name" name="client.last_name" error={error}>{(p) => <input {...p} value={newClient.last_name} onChange={(e) => setNewClient({ ...newClient, last_name: e.target.value })} />}</Field>
            <Field label="Email" name="client.email" error={error}>{(p) => <input {...p} type="email" value={newClient.email} onChange={(e) => setNewClient({ ...newClient, email: e.target.value })} />}</Field>
            <Field label="Phone" name="client.phone" error={error}>{(p) => <input {...p} type="tel" value={newClient.phone} onChange={(e) => setNewClient({ ...newClient, phone: e.target.value })} />}</Field>
          </div>
          <p className="muted">An email or a phone number is needed. <button type="button" className="link-button" onClick={() => setNewClient(null)}>Find an existing client instead</button></p>
        </>
      ) : (
        <>
          <Field label="Find a client" name="client" error={error} hint="Name, email or phone">{(p) => <input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />}</Field>
          {found.length > 0 && (
            <ul className="plain picker" aria-label="Matching clients">
              {found.map((c) => <li key={c.id}><button type="button" className="link-button" onClick={() => onChoose(c)}>{clientName(c)} <span className="muted">{c.email ?? ''} {c.phone ?? ''}</span></button></li>)}
            </ul>
          )}
          <button type="button" className="secondary small" onClick={() => setNewClient(newClientFrom(q))}>New client</button>
        </>
      )}
    </fieldset>
  );
}

/** Starts the new-client form from what was typed in the search box. */
function newClientFrom(q: string): NewClient {
  const text = q.trim();
  if (text.includes('@')) return { first_name: '', last_name: '', email: text, phone: '' };
  if (/^[+\d][\d\s()-]{4,}$/.test(text)) return { first_name: '', last_name: '', email: '', phone: text };
  const [first = '', ...rest] = text.split(/\s+/);
  return { first_name: first, last_name: rest.join(' '), email: '', phone: '' };
}
