import { useState, type FormEvent } from 'react';
import { get, patch, post } from '../api';
import { money } from '../time';
import type { List, Location, Service } from '../types';
import { Field, FormError, Loading, Notice, PageTitle, useAction, useAsync } from '../ui';

const FIELDS = ['name', 'description', 'duration_minutes', 'buffer_minutes', 'slot_interval_minutes', 'price', 'active', 'location_ids'];

export function ServicesSettings() {
  const data = useAsync(() => Promise.all([get<List<Service>>('/services'), get<List<Location>>('/locations')]), []);
  const [editing, setEditing] = useState<Service | 'new' | null>(null);
  if (!data.data) return data.error ? <FormError error={data.error} /> : <Loading />;
  const [services, locations] = [data.data[0].data, data.data[1].data];
  const locName = (id: string) => locations.find((l) => l.id === id)?.name ?? id;
  if (editing) {
    return <ServiceForm key={editing === 'new' ? 'new' : editing.id} service={editing === 'new' ? undefined : editing} locations={locations} onDone={() => { setEditing(null); data.reload(); }} />;
  }
  return (
    <>
      <PageTitle>Services</PageTitle>
      {locations.length === 0 && <Notice kind="warning">Add a location first: a service is offered at one or more locations.</Notice>}
      <p><button type="button" onClick={() => setEditing('new')} disabled={locations.length === 0}>Add a service</button></p>
      {services.length === 0 ? <p className="muted">No services yet.</p> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Service</th><th scope="col">Duration</th><th scope="col">Clean-up</th><th scope="col">Start times</th><th scope="col">Price</th><th scope="col">Locations</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {services.map((s) => (
                <tr key={s.id} className={s.active ? '' : 'inactive'}>
                  <th scope="row">{s.name}{!s.active && <span className="badge">archived</span>}</th>
                  <td>{s.duration_minutes} min</td>
                  <td>{s.buffer_minutes ? `${s.buffer_minutes} min` : '—'}</td>
                  <td>{s.slot_interval_minutes ? `every ${s.slot_interval_minutes} min` : 'back-to-back'}</td>
                  <td>{money(s.price)}</td>
                  <td>{s.location_ids.map(locName).join(', ') || '—'}</td>
                  <td><button type="button" className="secondary small" onClick={() => setEditing(s)}>Edit<span className="sr-only"> {s.name}</span></button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function ServiceForm({ service, locations, onDone }: { service?: Service; locations: Location[]; onDone: () => void }) {
  const [form, setForm] = useState({
    name: service?.name ?? '', description: service?.description ?? '',
    duration_minutes: String(service?.duration_minutes ?? 30), buffer_minutes: String(service?.buffer_minutes ?? 0),
    slot_interval_minutes: service ? String(service.slot_interval_minutes ?? '') : '15',
    price: service ? (service.price.amount / 100).toFixed(2) : '', currency: service?.price.currency ?? 'GBP',
    active: service?.active ?? true,
    location_ids: service?.location_ids ?? (locations.length === 1 ? [locations[0]!.id] : []),
  });
  const { busy, error, run } = useAction();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const toggleLocation = (id: string) => setForm({ ...form, location_ids: form.location_ids.includes(id) ? form.location_ids.filter((x) => x !== id) : [...form.location_ids, id] });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name: form.name, description: form.description || null,
      duration_minutes: Number(form.duration_minutes), buffer_minutes: Number(form.buffer_minutes || 0),
      slot_interval_minutes: form.slot_interval_minutes ? Number(form.slot_interval_minutes) : null,
      price: { amount: Math.round(Number(form.price.replace(/[£,\s]/g, '')) * 100), currency: form.currency },
      active: form.active, location_ids: form.location_ids,
    };
    if (await run(() => (service ? patch(`/services/${service.id}`, body) : post('/services', body)))) onDone();
  };
  return (
    <section aria-labelledby="svc-title">
      <h1 id="svc-title">{service ? `Edit ${service.name}` : 'New service'}</h1>
      {service && <p className="muted">Changes apply to new bookings; existing bookings keep the duration and price they were made with.</p>}
      <form onSubmit={submit}>
        <FormError error={error} fields={FIELDS} />
        <div className="grid-2">
          <Field label="Name" name="name" error={error}>{(p) => <input {...p} required value={form.name} onChange={set('name')} />}</Field>
          <Field label="Price" name="price.amount" error={error} hint={`In ${form.currency}, e.g. 25.00`}>{(p) => <input {...p} inputMode="decimal" required value={form.price} onChange={set('price')} />}</Field>
          <Field label="Duration (minutes)" name="duration_minutes" error={error}>{(p) => <input {...p} type="number" min={5} step={5} required value={form.duration_minutes} onChange={set('duration_minutes')} />}</Field>
          <Field label="Clean-up after (minutes)" name="buffer_minutes" error={error} hint="The staff member is busy for this long after each booking.">{(p) => <input {...p} type="number" min={0} step={5} value={form.buffer_minutes} onChange={set('buffer_minutes')} />}</Field>
          <Field label="Start times" name="slot_interval_minutes" error={error}>{(p) => (
            <select {...p} value={form.slot_interval_minutes} onChange={set('slot_interval_minutes')}>
              {[5, 10, 15, 30, 60].map((n) => <option key={n} value={String(n)}>Every {n} minutes</option>)}
              <option value="">Back-to-back</option>
            </select>
          )}</Field>
          <Field label="Currency" name="price.currency" error={error}>{(p) => <input {...p} maxLength={3} value={form.currency} onChange={(e) => setForm({ ...form, currency: e.target.value.toUpperCase() })} />}</Field>
        </div>
        <Field label="Description" name="description" error={error}>{(p) => <textarea {...p} rows={2} value={form.description} onChange={set('description')} />}</Field>
        <fieldset>
          <legend>Offered at</legend>
          {locations.map((l) => (
            <label key={l.id} className="check"><input type="checkbox" checked={form.location_ids.includes(l.id)} onChange={() => toggleLocation(l.id)} /> {l.name}</label>
          ))}
        </fieldset>
        <label className="check"><input type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} /> Bookable (untick to archive)</label>
        <div className="actions">
          <button type="submit" disabled={busy}>{service ? 'Save service' : 'Create service'}</button>
          <button type="button" className="secondary" onClick={onDone}>Cancel</button>
        </div>
      </form>
    </section>
  );
}
