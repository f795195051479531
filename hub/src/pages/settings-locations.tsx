import { useMemo, useState, type FormEvent } from 'react';
import { type AffectedChoice, settleAffected, useAffectedCheck } from '../affected';
import { addClosure, listLocations, removeClosure, saveLocation } from '../data/setup';
import { useForm } from '../form';
import { HoursEditor, focusFirstProblem, hoursProblems, summariseHours } from '../hours-editor';
import { confirmLeave, useLeaveGuard } from '../leave-guard';
import { useLocation } from '../router';
import { formatLongDate, type WeeklyHours } from '../time';
import type { Booking, Location } from '../types';
import { Field, FormError, Loading, Notice, PageTitle, useAction, useAsync } from '../ui';

const slugify = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/London';
const DEFAULT_HOURS: WeeklyHours = {
  monday: [{ opens: '09:00', closes: '17:30' }], tuesday: [{ opens: '09:00', closes: '17:30' }], wednesday: [{ opens: '09:00', closes: '17:30' }],
  thursday: [{ opens: '09:00', closes: '17:30' }], friday: [{ opens: '09:00', closes: '17:30' }], saturday: [{ opens: '09:00', closes: '16:00' }], sunday: [],
};

export function LocationsSettings() {
  const list = useAsync(listLocations, []);
  const [editing, setEditing] = useState<Location | 'new' | null>(null);
  // Kept while a form is open, so that saving a new location doesn't remount the form.
  const [formKey, setFormKey] = useState('');
  const open = (l: Location | 'new') => { setEditing(l); setFormKey(l === 'new' ? `new-${Date.now()}` : l.id); };
  const welcome = useLocation().query.get('welcome');
  if (list.loading && !list.data) return <Loading />;
  const locations = list.data?.data ?? [];
  const saved = (l: Location) => { list.reload(); setEditing(l); };
  return (
    <>
      <PageTitle>Locations</PageTitle>
      {welcome && locations.length === 0 && <Notice kind="success">Welcome to Setora. Set up your shop in three steps: add a location, then your services, then your staff and their hours.</Notice>}
      {editing ? (
        <LocationForm key={formKey} location={editing === 'new' ? undefined : editing} onSaved={saved} onClose={() => { setEditing(null); list.reload(); }} />
      ) : (
        <>
          <p><button type="button" onClick={() => open('new')}>Add a location</button></p>
          {locations.length === 0 ? <p className="muted">No locations yet.</p> : (
            <ul className="cards">
              {locations.map((l) => (
                <li key={l.id} className="card">
                  <h2>{l.name}</h2>
                  <p className="muted">{l.slug} · {l.time_zone} · notice {l.minimum_notice_minutes} min · {l.booking_horizon_days} days ahead</p>
                  <p>{summariseHours(l.opening_hours)}</p>
                  {l.closures.length > 0 && <p className="muted">{l.closures.length} closure{l.closures.length > 1 ? 's' : ''} coming up</p>}
                  <button type="button" className="secondary" onClick={() => open(l)}>Edit {l.name}</button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

/** Moves focus (and the view) to a part of the page by its heading's id. */
function jumpTo(id: string) {
  const el = document.getElementById(id);
  el?.scrollIntoView({ block: 'start' });
  el?.focus();
}

const FIELDS = ['name', 'slug', 'time_zone', 'address', 'phone', 'opening_hours', 'minimum_notice_minutes', 'booking_horizon_days'];

function LocationForm({ location, onSaved, onClose }: { location?: Location; onSaved: (l: Location) => void; onClose: () => void }) {
  const zones = useMemo(() => (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone'), []);
  const form = useForm(() => ({
    name: location?.name ?? '',
    slug: location?.slug ?? '',
    time_zone: location?.time_zone ?? browserZone(),
    line1: location?.address.line1 ?? '', line2: location?.address.line2 ?? '', city: location?.address.city ?? '', postcode: location?.address.postcode ?? '', country: location?.address.country ?? 'GB',
    phone: location?.phone ?? '',
    opening_hours: location?.opening_hours ?? DEFAULT_HOURS,
    minimum_notice_minutes: String(location?.minimum_notice_minutes ?? 60),
    booking_horizon_days: String(location?.booking_horizon_days ?? 90),
  }));
  const f = form.values;
  const [slugTouched, setSlugTouched] = useState(!!location);
  const [savedNote, setSavedNote] = useState(false);
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const { busy, error, run } = useAction();
  useLeaveGuard(form.dirty, location ? location.name : 'the new location');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSavedNote(false);
    const found = hoursProblems('opening_hours', f.opening_hours);
    setProblems(found);
    if (found.size) { focusFirstProblem(); return; }
    const saved = await run(() => saveLocation(location?.id, {
      name: f.name, slug: f.slug, time_zone: f.time_zone,
      address: { line1: f.line1, line2: f.line2 || null, city: f.city, postcode: f.postcode, country: f.country },
      phone: f.phone || null, opening_hours: f.opening_hours,
      minimum_notice_minutes: Number(f.minimum_notice_minutes), booking_horizon_days: Number(f.booking_horizon_days),
    }));
    if (saved) { form.saved(); setSavedNote(true); onSaved(saved); }
  };
  return (
    <section aria-labelledby="loc-form-title">
      <h2 id="loc-form-title">{location ? `Edit ${location.name}` : 'New location'}</h2>
      {location && (
        // The hours are a long way to Tab through: a keyboard user can go straight to what they came for.
        <p className="jump">Go to: <button type="button" className="link-button" onClick={() => jumpTo('hours-title')}>Opening hours</button>{' · '}
          <button type="button" className="link-button" onClick={() => jumpTo('closures-title')}>Closures</button></p>
      )}
      {savedNote && <Notice kind="success">Saved.</Notice>}
      <form onSubmit={submit}>
        <FormError error={error} fields={FIELDS} />
        {problems.size > 0 && <p className="alert alert-error" role="alert">{problems.size === 1 ? 'One time needs fixing' : `${problems.size} times need fixing`} in the opening hours.</p>}
        <div className="grid-2">
          <Field label="Name" name="name" error={error}>{(p) => <input {...p} required value={f.name}
            onChange={(e) => form.update((v) => ({ ...v, name: e.target.value, ...(slugTouched ? {} : { slug: slugify(e.target.value) }) }))} />}</Field>
          <Field label="Slug" name="slug" error={error} hint="Used in the API: /v1/locations/slug">{(p) => <input {...p} required value={f.slug} onChange={(e) => { setSlugTouched(true); form.set('slug', e.target.value); }} />}</Field>
          <Field label="Time zone" name="time_zone" error={error}>{(p) => (
            <select {...p} {...form.text('time_zone')}>
              {!zones.includes(f.time_zone) && <option value={f.time_zone}>{f.time_zone}</option>}
              {zones.map((z) => <option key={z} value={z}>{z.replace(/_/g, ' ')}</option>)}
            </select>
          )}</Field>
          <Field label="Phone" name="phone" error={error}>{(p) => <input {...p} type="tel" autoComplete="tel" {...form.text('phone')} />}</Field>
          <Field label="Address line 1" name="address.line1" error={error}>{(p) => <input {...p} required {...form.text('line1')} />}</Field>
          <Field label="Address line 2" name="address.line2" error={error}>{(p) => <input {...p} {...form.text('line2')} />}</Field>
          <Field label="Town or city" name="address.city" error={error}>{(p) => <input {...p} required {...form.text('city')} />}</Field>
          <Field label="Postcode" name="address.postcode" error={error}>{(p) => <input {...p} required {...form.text('postcode')} />}</Field>
          <Field label="Country code" name="address.country" error={error}>{(p) => <input {...p} required maxLength={2} {...form.text('country', (v) => v.toUpperCase())} />}</Field>
          <Field label="Minimum notice (minutes)" name="minimum_notice_minutes" error={error} hint="How soon before the start a booking can still be made.">{(p) => <input {...p} type="number" min={0} {...form.text('minimum_notice_minutes')} />}</Field>
          <Field label="Booking horizon (days)" name="booking_horizon_days" error={error} hint="How far ahead bookings are taken.">{(p) => <input {...p} type="number" min={1} {...form.text('booking_horizon_days')} />}</Field>
        </div>
        <HoursEditor id="hours-title" legend="Opening hours" name="opening_hours" value={f.opening_hours} error={error} problems={problems}
          onChange={(opening_hours) => { setProblems(new Map()); form.set('opening_hours', opening_hours); }} />
        <div className="actions">
          <button type="submit" disabled={busy}>{location ? 'Save location' : 'Create location'}</button>
          <button type="button" className="secondary" onClick={() => confirmLeave(onClose)}>{location ? 'Back to locations' : 'Cancel'}</button>
        </div>
      </form>
      {location && <Closures location={location} onChanged={onSaved} />}
    </section>
  );
}

function Closures({ location, onChanged }: { location: Location; onChanged: (l: Location) => void }) {
  const empty = { starts_on: '', ends_on: '', reason: '' };
  const form = useForm(empty);
  const { busy, error, run } = useAction();
  const [note, setNote] = useState<string | null>(null);
  const affected = useAffectedCheck(() => location.time_zone);
  useLeaveGuard(form.dirty, 'the new closure');
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setNote(null);
    const f = form.values;
    const ends = f.ends_on || f.starts_on;
    const days = f.starts_on === ends ? formatLongDate(f.starts_on || '2000-01-01') : `${formatLongDate(f.starts_on || '2000-01-01')} to ${formatLongDate(ends)}`;
    const save = async (choice: AffectedChoice, bookings: Booking[]) => {
      const l = await run(() => addClosure(location.id, { starts_on: f.starts_on, ends_on: ends, reason: f.reason || null }));
      if (!l) return true;
      const settled = await settleAffected(choice, bookings, run, { whose: 'Its' });
      form.saved(empty);
      onChanged(l);
      setNote(`Closed on ${days}. ${settled ?? ''}`.trim());
      return true;
    };
    // Dates the server will refuse are sent as they are, so that its message lands on the right field.
    if (!f.starts_on || ends < f.starts_on) { await save({ cancel: false }, []); return; }
    await affected.check({ location: location.id, from: f.starts_on, to: ends }, { on: `on ${days}`, reason: f.reason ? `${location.name} is closed: ${f.reason}` : `${location.name} is closed that day`, verb: 'save' }, save);
  };
  const remove = async (id: string) => {
    const l = await run(() => removeClosure(location.id, id));
    if (l) onChanged(l);
  };
  return (
    <section aria-labelledby="closures-title">
      <h3 id="closures-title" tabIndex={-1}>Closures</h3>
      <p className="muted">Whole days the location is closed (bank holidays, refits). No bookings are offered on them; bookings already made on them are listed before saving.</p>
      {note && <Notice key={note} kind="success" focus>{note}</Notice>}
      {location.closures.length > 0 && (
        <ul className="plain">
          {location.closures.map((c) => (
            <li key={c.id}>{c.starts_on === c.ends_on ? c.starts_on : `${c.starts_on} to ${c.ends_on}`}{c.reason ? ` · ${c.reason}` : ''}{' '}
              <button type="button" className="link-button" onClick={() => remove(c.id)}>Remove<span className="sr-only"> closure {c.starts_on}</span></button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} className="inline-form">
        <FormError error={error ?? affected.error} fields={['starts_on', 'ends_on', 'reason']} />
        <Field label="From" name="starts_on" error={error}>{(p) => <input {...p} type="date" required {...form.text('starts_on')} />}</Field>
        <Field label="Until (inclusive)" name="ends_on" error={error}>{(p) => <input {...p} type="date" {...form.text('ends_on')} />}</Field>
        <Field label="Reason" name="reason" error={error}>{(p) => <input {...p} {...form.text('reason')} />}</Field>
        <button type="submit" disabled={busy}>Add closure</button>
      </form>
      {affected.dialog}
    </section>
  );
}
