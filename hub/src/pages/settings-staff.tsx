import { useState, type FormEvent } from 'react';
import { type AffectedChoice, settleAffected, useAffectedCheck } from '../affected';
import { addException, listLocations, listServices, listStaff, removeException, saveStaff } from '../data/setup';
import { useForm } from '../form';
import { HoursEditor, focusFirstProblem, hoursProblems, summariseHours } from '../hours-editor';
import { confirmLeave, useLeaveGuard } from '../leave-guard';
import { formatLongDate, type WeeklyHours } from '../time';
import type { Booking, Location, Service, Staff } from '../types';
import { Field, FormError, Loading, Notice, PageTitle, useAction, useAsync } from '../ui';

const FIELDS = ['display_name', 'title', 'bookable', 'location_ids', 'service_ids', 'hours'];

export function StaffSettings() {
  const data = useAsync(() => Promise.all([listStaff(), listLocations(), listServices()]), []);
  const [editing, setEditing] = useState<Staff | 'new' | null>(null);
  // Kept while a form is open, so that saving a new staff member doesn't remount the form.
  const [formKey, setFormKey] = useState('');
  const open = (s: Staff | 'new') => { setEditing(s); setFormKey(s === 'new' ? `new-${Date.now()}` : s.id); };
  if (!data.data) return data.error ? <FormError error={data.error} /> : <Loading />;
  const [staff, locations, services] = [data.data[0].data, data.data[1].data, data.data[2].data];
  if (editing) {
    return <StaffForm key={formKey} staff={editing === 'new' ? undefined : editing} locations={locations} services={services}
      onSaved={(s) => { setEditing(s); data.reload(); }} onClose={() => { setEditing(null); data.reload(); }} />;
  }
  const locName = (id: string) => locations.find((l) => l.id === id)?.name ?? id;
  return (
    <>
      <PageTitle>Staff</PageTitle>
      {locations.length === 0 && <Notice kind="warning">Add a location first.</Notice>}
      <p><button type="button" onClick={() => open('new')} disabled={locations.length === 0}>Add a staff member</button></p>
      {staff.length === 0 ? <p className="muted">No staff yet.</p> : (
        <ul className="cards">
          {staff.map((s) => (
            <li key={s.id} className="card">
              <h2>{s.display_name}{s.title && <span className="muted"> · {s.title}</span>}{!s.bookable && <span className="badge">not bookable</span>}</h2>
              {s.location_ids.map((l) => <p key={l}><strong>{locName(l)}:</strong> {summariseHours(s.hours[l] ?? {})}</p>)}
              <p className="muted">{s.service_ids.length} service{s.service_ids.length === 1 ? '' : 's'}{s.exceptions.length ? ` · ${s.exceptions.length} time off / extra hours coming up` : ''}</p>
              <button type="button" className="secondary" onClick={() => open(s)}>Edit {s.display_name}</button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function StaffForm({ staff, locations, services, onSaved, onClose }: { staff?: Staff; locations: Location[]; services: Service[]; onSaved: (s: Staff) => void; onClose: () => void }) {
  const form = useForm(() => ({
    display_name: staff?.display_name ?? '', title: staff?.title ?? '', bookable: staff?.bookable ?? true,
    location_ids: staff?.location_ids ?? (locations.length === 1 ? [locations[0]!.id] : []),
    service_ids: staff?.service_ids ?? [],
    hours: staff?.hours ?? (Object.fromEntries(locations.length === 1 ? [[locations[0]!.id, locations[0]!.opening_hours]] : []) as Record<string, WeeklyHours>),
  }));
  const f = form.values;
  const [saved, setSaved] = useState(false);
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const { busy, error, run } = useAction();
  useLeaveGuard(form.dirty, staff ? staff.display_name : 'the new staff member');
  const toggle = (key: 'location_ids' | 'service_ids', id: string) => form.update((v) => {
    const on = v[key].includes(id);
    const next = { ...v, [key]: on ? v[key].filter((x) => x !== id) : [...v[key], id] };
    if (key === 'location_ids' && !on && !next.hours[id]) next.hours = { ...next.hours, [id]: locations.find((l) => l.id === id)?.opening_hours ?? {} };
    return next;
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const hours = Object.fromEntries(Object.entries(f.hours).filter(([loc]) => f.location_ids.includes(loc)));
    const found = new Map(Object.entries(hours).flatMap(([loc, h]) => [...hoursProblems(`hours.${loc}`, h)]));
    setProblems(found);
    if (found.size) { focusFirstProblem(); return; }
    const s = await run(() => saveStaff(staff?.id, { display_name: f.display_name, title: f.title || null, bookable: f.bookable, location_ids: f.location_ids, service_ids: f.service_ids, hours }));
    if (s) { form.saved(); setSaved(true); onSaved(s); }
  };
  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title" tabIndex={-1}>{staff ? `Edit ${staff.display_name}` : 'New staff member'}</h1>
      {saved && <Notice kind="success">Saved.</Notice>}
      <form onSubmit={submit}>
        <FormError error={error} fields={FIELDS} />
        {problems.size > 0 && <p className="alert alert-error" role="alert">{problems.size === 1 ? 'One time needs fixing' : `${problems.size} times need fixing`} in the weekly hours.</p>}
        <div className="grid-2">
          <Field label="Name shown to clients" name="display_name" error={error}>{(p) => <input {...p} required {...form.text('display_name')} />}</Field>
          <Field label="Title" name="title" error={error} hint="e.g. Senior stylist">{(p) => <input {...p} {...form.text('title')} />}</Field>
        </div>
        <label className="check"><input type="checkbox" {...form.check('bookable')} /> Takes bookings</label>
        <fieldset>
          <legend>Works at</legend>
          {locations.map((l) => <label key={l.id} className="check"><input type="checkbox" checked={f.location_ids.includes(l.id)} onChange={() => toggle('location_ids', l.id)} /> {l.name}</label>)}
        </fieldset>
        <fieldset>
          <legend>Performs</legend>
          {services.length === 0 && <p className="muted">No services yet.</p>}
          {services.map((s) => <label key={s.id} className="check"><input type="checkbox" checked={f.service_ids.includes(s.id)} onChange={() => toggle('service_ids', s.id)} /> {s.name}</label>)}
        </fieldset>
        {f.location_ids.map((loc) => (
          <HoursEditor key={loc} legend={`Weekly hours at ${locations.find((l) => l.id === loc)?.name ?? loc}`} name={`hours.${loc}`} error={error} problems={problems}
            value={f.hours[loc] ?? {}} onChange={(h) => { setProblems(new Map()); form.update((v) => ({ ...v, hours: { ...v.hours, [loc]: h } })); }} />
        ))}
        <div className="actions">
          <button type="submit" disabled={busy}>{staff ? 'Save staff member' : 'Create staff member'}</button>
          <button type="button" className="secondary" onClick={() => confirmLeave(onClose)}>{staff ? 'Back to staff' : 'Cancel'}</button>
        </div>
      </form>
      {staff && <TimeOff staff={staff} locations={locations} onChanged={onSaved} />}
    </section>
  );
}

function TimeOff({ staff, locations, onChanged }: { staff: Staff; locations: Location[]; onChanged: (s: Staff) => void }) {
  const empty = { date: '', kind: 'off' as 'off' | 'extra', all_day: true, starts: '09:00', ends: '17:00', location_id: '', reason: '' };
  const form = useForm(empty);
  const f = form.values;
  const { busy, error, run } = useAction();
  const [note, setNote] = useState<string | null>(null);
  const zoneOf = (b: Booking) => locations.find((l) => l.slug === b.location)?.time_zone ?? 'Europe/London';
  const affected = useAffectedCheck(zoneOf);
  useLeaveGuard(form.dirty, 'the time off');
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setNote(null);
    const when = `${f.date ? formatLongDate(f.date) : ''}${f.all_day ? '' : `, ${f.starts}–${f.ends}`}`;
    const save = async (choice: AffectedChoice, bookings: Booking[]) => {
      const s = await run(() => addException(staff.id, { date: f.date, kind: f.kind, all_day: f.all_day, ...(f.all_day ? {} : { starts: f.starts, ends: f.ends }), location_id: f.location_id || null, reason: f.reason || null }));
      if (!s) return true;
      const settled = await settleAffected(choice, bookings, run, { whose: 'Their' });
      form.saved(empty);
      onChanged(s);
      setNote(`${f.kind === 'off' ? `${staff.display_name} is off on ${when}.` : `Extra hours added on ${when}.`} ${settled ?? ''}`.trim());
      return true;
    };
    // Extra hours leave no booking behind; a time off the server will refuse is sent as it is, for its message.
    if (f.kind !== 'off' || !f.date || (!f.all_day && f.ends <= f.starts)) { await save({ cancel: false }, []); return; }
    await affected.check({ staff: staff.id, location: f.location_id || undefined, from: f.date, to: f.date, ...(f.all_day ? {} : { starts: f.starts, ends: f.ends }) },
      { on: `in ${staff.display_name}'s time off, ${when}`, reason: `${staff.display_name} is away${f.reason ? `: ${f.reason}` : ''}`, verb: 'save' }, save);
  };
  const remove = async (id: string) => {
    const s = await run(() => removeException(staff.id, id));
    if (s) onChanged(s);
  };
  return (
    <section aria-labelledby="timeoff-title">
      <h2 id="timeoff-title">Time off and extra hours</h2>
      {note && <Notice key={note} kind="success" focus>{note}</Notice>}
      {staff.exceptions.length > 0 && (
        <ul className="plain">
          {staff.exceptions.map((x) => (
            <li key={x.id}>
              {x.date} · {x.kind === 'off' ? 'Off' : 'Extra hours'} {x.all_day ? 'all day' : `${x.starts}–${x.ends}`}{x.reason ? ` · ${x.reason}` : ''}{' '}
              <button type="button" className="link-button" onClick={() => remove(x.id)}>Remove<span className="sr-only"> {x.date}</span></button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add}>
        <FormError error={error ?? affected.error} fields={['date', 'starts', 'ends', 'location_id', 'reason', 'kind']} />
        <div className="grid-3">
          <Field label="Date" name="date" error={error}>{(p) => <input {...p} type="date" required {...form.text('date')} />}</Field>
          <Field label="Kind" name="kind" error={error}>{(p) => (
            <select {...p} value={f.kind} onChange={(e) => form.set('kind', e.target.value as 'off' | 'extra')}>
              <option value="off">Time off</option><option value="extra">Extra working hours</option>
            </select>
          )}</Field>
          <Field label="Location" name="location_id" error={error}>{(p) => (
            <select {...p} {...form.text('location_id')}>
              <option value="">All locations</option>
              {locations.filter((l) => staff.location_ids.includes(l.id)).map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
            </select>
          )}</Field>
        </div>
        <label className="check"><input type="checkbox" {...form.check('all_day')} /> All day</label>
        {!f.all_day && (
          <div className="grid-3">
            <Field label="From" name="starts" error={error}>{(p) => <input {...p} type="time" {...form.text('starts')} />}</Field>
            <Field label="Until" name="ends" error={error}>{(p) => <input {...p} type="time" {...form.text('ends')} />}</Field>
          </div>
        )}
        <Field label="Reason (optional)" name="reason" error={error}>{(p) => <input {...p} {...form.text('reason')} />}</Field>
        <button type="submit" disabled={busy}>Add</button>
      </form>
      {affected.dialog}
    </section>
  );
}
