import { useState, type FormEvent } from 'react';
import { get, patch, post } from '../api';
import { Link } from '../router';
import { canManage, useSession } from '../session';
import { formatWhen, money } from '../time';
import { clientName, type Booking, type Client } from '../types';
import { Field, FormError, Loading, Notice, PageTitle, useAction, useAsync } from '../ui';
import { ClientMessages } from './client-messages';

interface ClientPageData { client: Client; bookings: Booking[] }

export function ClientPage({ id }: { id: string }) {
  const { session } = useSession();
  const page = useAsync(() => get<ClientPageData>(`/clients/${encodeURIComponent(id)}`), [id]);
  const [editing, setEditing] = useState(false);
  const [confirmErase, setConfirmErase] = useState(false);
  const erase = useAction();
  if (!page.data) return <main>{page.error ? <FormError error={page.error} /> : <Loading />}</main>;
  const { client: c, bookings } = page.data;
  const doErase = async () => {
    const next = await erase.run(() => post<ClientPageData>(`/clients/${c.id}/erase`));
    if (next) { page.setData(next); setConfirmErase(false); }
  };
  return (
    <main>
      <p><Link to="/clients">‹ Clients</Link></p>
      <PageTitle>{clientName(c)}</PageTitle>
      {c.erased_at && <Notice kind="warning">This client's personal data was erased on {formatWhen(c.erased_at)}. Their bookings are kept without it.</Notice>}
      {editing ? <EditClient client={c} onDone={(next) => { if (next) page.setData({ ...page.data!, client: next }); setEditing(false); }} /> : (
        <section aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <dl className="details">
            <dt>Email</dt><dd>{c.email ?? '—'}</dd>
            <dt>Phone</dt><dd>{c.phone ?? '—'}</dd>
            <dt>Notes</dt><dd>{c.notes ?? '—'}</dd>
            <dt>Email marketing</dt><dd>{c.consent.email_marketing ? `Yes, given ${formatWhen(c.consent.email_marketing_given_at!)}` : 'No'}</dd>
            <dt>SMS marketing</dt><dd>{c.consent.sms_marketing ? `Yes, given ${formatWhen(c.consent.sms_marketing_given_at!)}` : 'No'}</dd>
            <dt>Client since</dt><dd>{formatWhen(c.created_at)}</dd>
          </dl>
          {!c.erased_at && <button type="button" className="secondary" onClick={() => setEditing(true)}>Edit details</button>}
        </section>
      )}

      <section aria-labelledby="history-title">
        <h2 id="history-title">Bookings</h2>
        {bookings.length === 0 ? <p className="muted">No bookings yet.</p> : (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">When</th><th scope="col">Service</th><th scope="col">With</th><th scope="col">Where</th><th scope="col">Status</th><th scope="col">Price</th></tr></thead>
              <tbody>
                {bookings.map((b) => (
                  <tr key={b.reference}>
                    <th scope="row"><Link to={`/diary?location=${encodeURIComponent(b.location)}&date=${b.starts_at.slice(0, 10)}`}>{formatWhen(b.starts_at)}</Link></th>
                    <td>{b.service.name}</td><td>{b.staff.display_name}</td><td>{b.location}</td>
                    <td><span className={`badge status-${b.status}`}>{b.status.replace('_', '-')}</span></td><td>{money(b.price)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <ClientMessages clientId={c.id} />

      {canManage(session) && (
        <section aria-labelledby="data-title">
          <h2 id="data-title">Personal data (UK GDPR)</h2>
          <p className="muted">Your shop is the data controller. Use these to answer a client's request for their data or to be forgotten.</p>
          <FormError error={erase.error} />
          <div className="actions">
            <a className="button secondary" href={`/hub/api/clients/${c.id}/export`} download>Export data (JSON)</a>
            {!c.erased_at && !confirmErase && <button type="button" className="danger" onClick={() => setConfirmErase(true)}>Erase personal data…</button>}
          </div>
          {confirmErase && (
            <div className="alert alert-warning" role="group" aria-label="Confirm erasure">
              <p>Erase {clientName(c)}'s name, contact details, notes and consent? Bookings stay for your records without them. This cannot be undone.</p>
              <button type="button" className="danger" onClick={doErase} disabled={erase.busy}>Erase now</button>{' '}
              <button type="button" className="secondary" onClick={() => setConfirmErase(false)}>Keep</button>
            </div>
          )}
        </section>
      )}
    </main>
  );
}

function EditClient({ client, onDone }: { client: Client; onDone: (c?: Client) => void }) {
  const [form, setForm] = useState({
    first_name: client.first_name ?? '', last_name: client.last_name ?? '', email: client.email ?? '', phone: client.phone ?? '', notes: client.notes ?? '',
    email_marketing: client.consent.email_marketing, sms_marketing: client.consent.sms_marketing,
  });
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next = await run(() => patch<Client>(`/clients/${client.id}`, {
      first_name: form.first_name, last_name: form.last_name || null, email: form.email || null, phone: form.phone || null, notes: form.notes || null,
      marketing_consent: { email: form.email_marketing, sms: form.sms_marketing },
    }));
    if (next) onDone(next);
  };
  return (
    <form onSubmit={submit} aria-label="Edit client">
      <FormError error={error} fields={['first_name', 'last_name', 'email', 'phone', 'notes']} />
      <div className="grid-2">
        <Field label="First name" name="first_name" error={error}>{(p) => <input {...p} required value={form.first_name} onChange={(e) => setForm({ ...form, first_name: e.target.value })} />}</Field>
        <Field label="Last name" name="last_name" error={error}>{(p) => <input {...p} value={form.last_name} onChange={(e) => setForm({ ...form, last_name: e.target.value })} />}</Field>
        <Field label="Email" name="email" error={error}>{(p) => <input {...p} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />}</Field>
        <Field label="Phone" name="phone" error={error}>{(p) => <input {...p} type="tel" value={form.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} />}</Field>
      </div>
      <Field label="Notes" name="notes" error={error}>{(p) => <textarea {...p} rows={2} value={form.notes} onChange={(e) => setForm({ ...form, notes: e.target.value })} />}</Field>
      <fieldset>
        <legend>Marketing consent</legend>
        <label className="check"><input type="checkbox" checked={form.email_marketing} onChange={(e) => setForm({ ...form, email_marketing: e.target.checked })} /> Email</label>
        <label className="check"><input type="checkbox" checked={form.sms_marketing} onChange={(e) => setForm({ ...form, sms_marketing: e.target.checked })} /> SMS</label>
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={busy}>Save</button>
        <button type="button" className="secondary" onClick={() => onDone()}>Cancel</button>
      </div>
    </form>
  );
}
