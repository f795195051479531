import { useEffect, useState, type FormEvent } from 'react';
import { get, post, qs } from '../api';
import { Link, navigate, useLocation } from '../router';
import { formatWhen } from '../time';
import { clientName, type Client, type List } from '../types';
import { Field, FormError, Modal, PageTitle, useAction, toHubError } from '../ui';
import type { HubError } from '../api';

/** Clients: search by name, email or phone; newest first; "Show more" pages on. */
export function ClientsPage() {
  const { query } = useLocation();
  const [q, setQ] = useState(query.get('q') ?? '');
  const [rows, setRows] = useState<Client[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<HubError | null>(null);
  const [loading, setLoading] = useState(true);
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      setLoading(true);
      get<List<Client>>(`/clients${qs({ q: q.trim(), limit: 25 })}`).then(
        (r) => { if (live) { setRows(r.data); setNext(r.next_cursor ?? null); setError(null); setLoading(false); } },
        (e) => { if (live) { setError(toHubError(e)); setLoading(false); } },
      );
      history.replaceState(null, '', `/clients${qs({ q: q.trim() })}`);
    }, 200);
    return () => { live = false; clearTimeout(t); };
  }, [q]);
  const more = async () => {
    if (!next) return;
    const r = await get<List<Client>>(`/clients${qs({ q: q.trim(), limit: 25, cursor: next })}`).catch((e) => { setError(toHubError(e)); return null; });
    if (r) { setRows([...rows, ...r.data]); setNext(r.next_cursor ?? null); }
  };
  return (
    <main>
      <PageTitle>Clients</PageTitle>
      <div className="toolbar">
        <label className="search">
          <span className="sr-only">Search clients</span>
          <input type="search" placeholder="Search by name, email or phone" value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
        </label>
        <button type="button" onClick={() => setAdding(true)}>New client</button>
      </div>
      <FormError error={error} />
      <p className="muted" aria-live="polite">{loading ? 'Searching…' : rows.length === 0 ? (q ? 'No client matches.' : 'No clients yet.') : ''}</p>
      {rows.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Phone</th><th scope="col">Client since</th></tr></thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <th scope="row"><Link to={`/clients/${c.id}`}>{clientName(c)}</Link></th>
                  <td>{c.email ?? '—'}</td>
                  <td>{c.phone ?? '—'}</td>
                  <td>{formatWhen(c.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && <p><button type="button" className="secondary" onClick={more}>Show more</button></p>}
      {adding && <NewClient onClose={() => setAdding(false)} />}
    </main>
  );
}

function NewClient({ onClose }: { onClose: () => void }) {
  const [form, setForm] = useState({ first_name: '', last_name: '', email: '', phone: '', notes: '', email_marketing: false, sms_marketing: false });
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      first_name: form.first_name, ...(form.last_name ? { last_name: form.last_name } : {}), ...(form.email ? { email: form.email } : {}),
      ...(form.phone ? { phone: form.phone } : {}), ...(form.notes ? { notes: form.notes } : {}),
      marketing_consent: { email: form.email_marketing, sms: form.sms_marketing },
    };
    const c = await run(() => post<Client>('/clients', body));
    if (c) navigate(`/clients/${c.id}`);
  };
  return (
    <Modal title="New client" onClose={onClose}>
      <form onSubmit={submit}>
        <FormError error={error} fields={['first_name', 'last_name', 'email', 'phone', 'notes']} />
        {error?.body.existing_id && <p><Link to={`/clients/${error.body.existing_id}`}>Open the existing client</Link></p>}
        <div className="grid-2">
          <Field label="First name" name="first_name" error={error}>{(p) => <input {...p} required value={form.first_name} onChange={(e) => setForm({ ...form, first_name: e.target.value })} />}</Field>
          <Field label="Last name" name="last_name" error={error}>{(p) => <input {...p} value={form.last_name} onChange={(e) => setForm({ ...form, last_name: e.target.value })} />}</Field>
          <Field label="Email" name="email" error={error}>{(p) => <input {...p} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />}</Field>
          <Field label="Phone" name="phone" error={error}>{(p) => <input {...p} type="tel" value={form.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} />}</Field>
        </div>
        <Field label="Notes" name="notes" error={error}>{(p) => <textarea {...p} rows={2} value={form.notes} onChange={(e) => setForm({ ...form, notes: e.target.value })} />}</Field>
        <fieldset>
          <legend>Marketing consent given now</legend>
          <label className="check"><input type="checkbox" checked={form.email_marketing} onChange={(e) => setForm({ ...form, email_marketing: e.target.checked })} /> Email</label>
          <label className="check"><input type="checkbox" checked={form.sms_marketing} onChange={(e) => setForm({ ...form, sms_marketing: e.target.checked })} /> SMS</label>
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={busy}>Add client</button>
          <button type="button" className="secondary" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
