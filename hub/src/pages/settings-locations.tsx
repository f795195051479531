import { useMemo, useState, type FormEvent } from 'react';
import { del, get, patch, post } from '../api';
import { HoursEditor, summariseHours } from '../hours-editor';
import { useLocation } from '../router';
import type { WeeklyHours } from '../time';
import type { List, Location } from '../types';
import { Field, FormError, Loading, Notice, PageTitle, useAction, useAsync } from '../ui';

const slugify = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/London';
const DEFAULT_HOURS: WeeklyHours = {
  monday: [{ opens: '09:00', closes: '17:30' }], tuesday: [{ opens: '09:00', closes: '17:30' }], wednesday: [{ opens: '09:00', closes: '17:30' }],
  thursday: [{ opens: '09:00', closes: '17:30' }], friday: [{ opens: '09:00', closes: '17:30' }], saturday: [{ opens: '09:00', closes: '16:00' }], sunday: [],
};

export function LocationsSettings() {
  const list = useAsync(() => get<List<Location>>('/locations'), []);
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

const FIELDS = ['name', 'slug', 'time_zone', 'address', 'phone', 'opening_hours', 'minimum_notice_minutes', 'booking_horizon_days'];

function LocationForm({ location, onSaved, onClose }: { location?: Location; onSaved: (l: Location) => void; onClose: () => void }) {
  const zones = useMemo(() => (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone'), []);
  const [form, setForm] = useState(() => ({
    name: location?.name ?? '',
    slug: location?.slug ?? '',
    time_zone: location?.time_zone ?? browserZone(),
    line1: location?.address.line1 ?? '', line2: location?.address.line2 ?? '', city: location?.address.city ?? '', postcode: location?.address.postcode ?? '', country: location?.address.country ?? 'GB',
    phone: location?.phone ?? '',
    opening_hours: location?.opening_hours ?? DEFAULT_HOURS,
    minimum_notice_minutes: String(location?.minimum_notice_minutes ?? 60),
    booking_horizon_days: String(location?.booking_horizon_days ?? 90),
  }));
  const [slugTouched, setSlugTouched] = useState(!!location);
  const [savedNote, setSavedNote] = useState(false);
  const { busy, error, run } = useAction();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => {
    const v = e.target.value;
    setForm((f) => ({ ...f, [k]: v, ...(k === 'name' && !slugTouched ? { slug: slugify(v) } : {}) }));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSavedNote(false);
    const body = {
      name: form.name, slug: form.slug, time_zone: form.time_zone,
      address: { line1: form.line1, line2: form.line2 || null, city: form.city, postcode: form.postcode, country: form.country },
      phone: form.phone || null, opening_hours: form.opening_hours,
      minimum_notice_minutes: Number(form.minimum_notice_minutes), booking_horizon_days: Number(form.booking_horizon_days),
    };
    const saved = await run(() => (location ? patch<Location>(`/locations/${location.id}`, body) : post<Location>('/locations', body)));
    if (saved) { setSavedNote(true); onSaved(saved); }
  };
  return (
    <section aria-labelledby="loc-form-title">
      <h2 id="loc-form-title">{location ? `Edit ${location.name}` : 'New location'}</h2>
      {savedNote && <Notice kind="success">Saved.</Notice>}
      <form onSubmit={submit}>
        <FormError error={error} fields={FIELDS} />
        <div className="grid-2">
          <Field label="Name" name="name" error={error}>{(p) => <input {...p} required value={form.name} onChange={set('name')} />}</Field>
          <Field label="Slug" name="slug" error={error} hint="Used in the API: /v1/locations/slug">{(p) => <input {...p} required value={form.slug} onChange={(e) => { setSlugTouched(true); set('slug')(e); }} />}</Field>
          <Field label="Time zone" name="time_zone" error={error}>{(p) => (
            <select {...p} value={form.time_zone} onChange={set('time_zone')}>
              {!zones.includes(form.time_zone) && <option value={form.time_zone}>{form.time_zone}</option>}
              {zones.map((z) => <option key={z} value={z}>{z.replace(/_/g, ' ')}</option>)}
            </select>
          )}</Field>
          <Field label="Phone" name="phone" error={error}>{(p) => <input {...p} type="tel" autoComplete="tel" value={form.phone} onChange={set('phone')} />}</Field>
          <Field label="Address line 1" name="address.line1" error={error}>{(p) => <input {...p} required value={form.line1} onChange={set('line1')} />}</Field>
          <Field label="Address line 2" name="address.line2" error={error}>{(p) => <input {...p} value={form.line2} onChange={set('line2')} />}</Field>
          <Field label="Town or city" name="address.city" error={error}>{(p) => <input {...p} required value={form.city} onChange={set('city')} />}</Field>
          <Field label="Postcode" name="address.postcode" error={error}>{(p) => <input {...p} required value={form.postcode} onChange={set('postcode')} />}</Field>
          <Field label="Country code" name="address.country" error={error}>{(p) => <input {...p} required maxLength={2} value={form.country} onChange={(e) => set('country')({ target: { value: e.target.value.toUpperCase() } })} />}</Field>
          <Field label="Minimum notice (minutes)" name="minimum_notice_minutes" error={error} hint="How soon before the start a booking can still be made.">{(p) => <input {...p} type="number" min={0} value={form.minimum_notice_minutes} onChange={set('minimum_notice_minutes')} />}</Field>
          <Field label="Booking horizon (days)" name="booking_horizon_days" error={error} hint="How far ahead bookings are taken.">{(p) => <input {...p} type="number" min={1} value={form.booking_horizon_days} onChange={set('booking_horizon_days')} />}</Field>
        </div>
        <HoursEditor legend="Opening hours" name="opening_hours" value={form.opening_hours} error={error} onChange={(opening_hours) => setForm((f) => ({ ...f, opening_hours }))} />
        <div className="actions">
          <button type="submit" disabled={busy}>{location ? 'Save location' : 'Create location'}</button>
          <button type="button" className="secondary" onClick={onClose}>{location ? 'Back to locations' : 'Cancel'}</button>
        </div>
      </form>
      {location && <Closures location={location} onChanged={onSaved} />}
    </section>
  );
}

function Closures({ location, onChanged }: { location: Location; onChanged: (l: Location) => void }) {
  const [form, setForm] = useState({ starts_on: '', ends_on: '', reason: '' });
  const { busy, error, run } = useAction();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const l = await run(() => post<Location>(`/locations/${location.id}/closures`, { starts_on: form.starts_on, ends_on: form.ends_on || form.starts_on, reason: form.reason || null }));
    if (l) { setForm({ starts_on: '', ends_on: '', reason: '' }); onChanged(l); }
  };
  const remove = async (id: string) => {
    const l = await run(() => del<Location>(`/locations/${location.id}/closures/${id}`));
    if (l) onChanged(l);
  };
  return (
    <section aria-labelledby="closures-title">
      <h3 id="closures-title">Closures</h3>
      <p className="muted">Whole days the location is closed (bank holidays, refits). No bookings are offered on them.</p>
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
        <FormError error={error} fields={['starts_on', 'ends_on', 'reason']} />
        <Field label="From" name="starts_on" error={error}>{(p) => <input {...p} type="date" required value={form.starts_on} onChange={(e) => setForm({ ...form, starts_on: e.target.value })} />}</Field>
        <Field label="Until (inclusive)" name="ends_on" error={error}>{(p) => <input {...p} type="date" value={form.ends_on} onChange={(e) => setForm({ ...form, ends_on: e.target.value })} />}</Field>
        <Field label="Reason" name="reason" error={error}>{(p) => <input {...p} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />}</Field>
        <button type="submit" disabled={busy}>Add closure</button>
      </form>
    </section>
  );
}
