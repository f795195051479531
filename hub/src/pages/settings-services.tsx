import { useState, type FormEvent } from 'react';
import { listLocations, listServices, saveService, type ServiceInput } from '../data/setup';
import { useForm } from '../form';
import { confirmLeave, useLeaveGuard } from '../leave-guard';
import { money } from '../time';
import type { Location, Service } from '../types';
import { Field, FormError, Loading, Notice, PageTitle, TableWrap, useAction, useAsync } from '../ui';

/** The start-time grids the server takes (checked against its schema at compile time). */
const SLOT_INTERVALS = [5, 10, 15, 30, 60] as const satisfies readonly NonNullable<ServiceInput['slot_interval_minutes']>[];

const FIELDS = ['name', 'description', 'duration_minutes', 'buffer_minutes', 'slot_interval_minutes', 'price', 'active', 'location_ids'];

export function ServicesSettings() {
  const data = useAsync(() => Promise.all([listServices(), listLocations()]), []);
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
        <TableWrap label="Services">
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
        </TableWrap>
      )}
    </>
  );
}

function ServiceForm({ service, locations, onDone }: { service?: Service; locations: Location[]; onDone: () => void }) {
  const form = useForm({
    name: service?.name ?? '', description: service?.description ?? '',
    duration_minutes: String(service?.duration_minutes ?? 30), buffer_minutes: String(service?.buffer_minutes ?? 0),
    slot_interval_minutes: service ? String(service.slot_interval_minutes ?? '') : '15',
    price: service ? (service.price.amount / 100).toFixed(2) : '', currency: service?.price.currency ?? 'GBP',
    active: service?.active ?? true,
    location_ids: service?.location_ids ?? (locations.length === 1 ? [locations[0]!.id] : []),
  });
  const f = form.values;
  const { busy, error, run } = useAction();
  useLeaveGuard(form.dirty, service ? service.name : 'the new service');
  const toggleLocation = (id: string) => form.set('location_ids', f.location_ids.includes(id) ? f.location_ids.filter((x) => x !== id) : [...f.location_ids, id]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const saved = await run(() => saveService(service?.id, {
      name: f.name, description: f.description || null,
      duration_minutes: Number(f.duration_minutes), buffer_minutes: Number(f.buffer_minutes || 0),
      slot_interval_minutes: SLOT_INTERVALS.find((n) => String(n) === f.slot_interval_minutes) ?? null,
      price: { amount: Math.round(Number(f.price.replace(/[£,\s]/g, '')) * 100), currency: f.currency },
      active: f.active, location_ids: f.location_ids,
    }));
    if (saved) { form.saved(); onDone(); }
  };
  return (
    <section aria-labelledby="svc-title">
      <h1 id="svc-title" tabIndex={-1}>{service ? `Edit ${service.name}` : 'New service'}</h1>
      {service && <p className="muted">Changes apply to new bookings; existing bookings keep the duration and price they were made with.</p>}
      <form onSubmit={submit}>
        <FormError error={error} fields={FIELDS} />
        <div className="grid-2">
          <Field label="Name" name="name" error={error}>{(p) => <input {...p} required {...form.text('name')} />}</Field>
          <Field label="Price" name="price.amount" error={error} hint={`In ${f.currency}, e.g. 25.00`}>{(p) => <input {...p} inputMode="decimal" required {...form.text('price')} />}</Field>
          <Field label="Duration (minutes)" name="duration_minutes" error={error}>{(p) => <input {...p} type="number" min={5} step={5} required {...form.text('duration_minutes')} />}</Field>
          <Field label="Clean-up after (minutes)" name="buffer_minutes" error={error} hint="The staff member is busy for this long after each booking.">{(p) => <input {...p} type="number" min={0} step={5} {...form.text('buffer_minutes')} />}</Field>
          <Field label="Start times" name="slot_interval_minutes" error={error}>{(p) => (
            <select {...p} {...form.text('slot_interval_minutes')}>
              {SLOT_INTERVALS.map((n) => <option key={n} value={String(n)}>Every {n} minutes</option>)}
              <option value="">Back-to-back</option>
            </select>
          )}</Field>
          <Field label="Currency" name="price.currency" error={error}>{(p) => <input {...p} maxLength={3} {...form.text('currency', (v) => v.toUpperCase())} />}</Field>
        </div>
        <Field label="Description" name="description" error={error}>{(p) => <textarea {...p} rows={2} {...form.text('description')} />}</Field>
        <fieldset>
          <legend>Offered at</legend>
          {locations.map((l) => (
            <label key={l.id} className="check"><input type="checkbox" checked={f.location_ids.includes(l.id)} onChange={() => toggleLocation(l.id)} /> {l.name}</label>
          ))}
        </fieldset>
        <label className="check"><input type="checkbox" {...form.check('active')} /> Bookable (untick to archive)</label>
        <div className="actions">
          <button type="submit" disabled={busy}>{service ? 'Save service' : 'Create service'}</button>
          <button type="button" className="secondary" onClick={() => confirmLeave(onDone)}>Cancel</button>
        </div>
      </form>
    </section>
  );
}
