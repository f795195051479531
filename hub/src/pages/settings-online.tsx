import { useId, useState, type FormEvent } from 'react';
import { get, patch } from '../api';
import { CopyButton, Field, FormError, Loading, Notice, PageTitle, useAction, useAsync } from '../ui';

interface Settings {
  enabled: boolean; contact_required: 'email' | 'phone' | 'either'; cancellation_window_hours: number;
  reminder_hours: number; max_live_bookings: number; message: string | null;
}
interface OnlineSetup {
  page_url: string; embed_snippet: string; book_now_link: string;
  locations: { id: string; slug: string; name: string; page_url: string; settings: Settings }[];
  services: { id: string; name: string; online: boolean }[];
  staff: { id: string; display_name: string; online: boolean }[];
}

/** Settings → Online booking: where clients book themselves, and the rules the page follows. */
export function OnlineSettings() {
  const setup = useAsync(() => get<OnlineSetup>('/online-booking'), []);
  const toggle = useAction();
  if (!setup.data) return <>{setup.error ? <FormError error={setup.error} /> : <Loading />}</>;
  const d = setup.data;
  const flip = async (kind: 'services' | 'staff', id: string, online: boolean) => {
    if (await toggle.run(() => patch(`/online-booking/${kind}/${id}`, { online }))) setup.reload();
  };
  return (
    <>
      <PageTitle>Online booking</PageTitle>
      <p className="muted">Clients book themselves on your booking page, get a confirmation and a reminder by email, and can change or cancel with the private link in it.</p>
      <section aria-labelledby="share-title">
        <h2 id="share-title">Share your page</h2>
        <Copyable label="Booking page address" value={d.page_url} />
        <Copyable label="Embed on your website" value={d.embed_snippet} />
        <Copyable label="“Book now” link" value={d.book_now_link} />
      </section>
      {d.locations.map((l) => <LocationOnline key={l.id} location={l} onSaved={setup.reload} />)}
      <section aria-labelledby="offer-title">
        <h2 id="offer-title">What can be booked online</h2>
        <FormError error={toggle.error} />
        <fieldset>
          <legend>Services</legend>
          {d.services.map((s) => <label key={s.id} className="check"><input type="checkbox" checked={s.online} disabled={toggle.busy} onChange={(e) => flip('services', s.id, e.target.checked)} /> {s.name}</label>)}
        </fieldset>
        <fieldset>
          <legend>Staff</legend>
          {d.staff.map((s) => <label key={s.id} className="check"><input type="checkbox" checked={s.online} disabled={toggle.busy} onChange={(e) => flip('staff', s.id, e.target.checked)} /> {s.display_name}</label>)}
        </fieldset>
      </section>
    </>
  );
}

function Copyable({ label, value }: { label: string; value: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="reveal"><input id={id} readOnly value={value} className="mono" onFocus={(e) => e.target.select()} /><CopyButton text={value} /></div>
    </div>
  );
}

function LocationOnline({ location, onSaved }: { location: OnlineSetup['locations'][number]; onSaved: () => void }) {
  const [form, setForm] = useState({ ...location.settings, message: location.settings.message ?? '' });
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const num = (v: string) => (v === '' ? NaN : Number(v));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const ok = await run(() => patch(`/online-booking/locations/${location.id}`, { ...form, message: form.message.trim() || null }));
    if (ok) { setSaved(true); onSaved(); }
  };
  const titleId = `online-${location.id}`;
  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>{location.name}</h2>
      <form onSubmit={submit} aria-label={`Online booking at ${location.name}`}>
        <FormError error={error} fields={['enabled', 'contact_required', 'cancellation_window_hours', 'reminder_hours', 'max_live_bookings', 'message']} />
        <label className="check"><input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} /> Take online bookings at {location.name}</label>
        {form.enabled && <p className="muted">Page: <a href={location.page_url} target="_blank" rel="noopener">{location.page_url}</a></p>}
        <fieldset>
          <legend>Clients must give</legend>
          {(['email', 'phone', 'either'] as const).map((c) => (
            <label key={c} className="check"><input type="radio" name={`contact-${location.id}`} checked={form.contact_required === c} onChange={() => setForm({ ...form, contact_required: c })} /> {c === 'either' ? 'An email or a phone number' : c === 'email' ? 'An email address' : 'A phone number'}</label>
          ))}
        </fieldset>
        <div className="grid-2">
          <Field label="Online changes close (hours before)" name="cancellation_window_hours" error={error}>{(p) => <input {...p} type="number" min={0} max={720} value={form.cancellation_window_hours} onChange={(e) => setForm({ ...form, cancellation_window_hours: num(e.target.value) })} />}</Field>
          <Field label="Reminder (hours before; 0 for none)" name="reminder_hours" error={error}>{(p) => <input {...p} type="number" min={0} max={168} value={form.reminder_hours} onChange={(e) => setForm({ ...form, reminder_hours: num(e.target.value) })} />}</Field>
          <Field label="Upcoming online bookings per client" name="max_live_bookings" error={error}>{(p) => <input {...p} type="number" min={1} max={50} value={form.max_live_bookings} onChange={(e) => setForm({ ...form, max_live_bookings: num(e.target.value) })} />}</Field>
        </div>
        <Field label="Message on the page" name="message" error={error} hint="Shown at the top, e.g. “Card payments only”.">{(p) => <textarea {...p} rows={2} maxLength={500} value={form.message} onChange={(e) => setForm({ ...form, message: e.target.value })} />}</Field>
        <button type="submit" disabled={busy}>Save {location.name}</button>
        {saved && <Notice kind="success">Saved.</Notice>}
      </form>
    </section>
  );
}
