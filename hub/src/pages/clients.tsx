import { useEffect, useState, type FormEvent } from 'react';
import { qs, type HubError } from '../api';
import { compact, createClient, searchClients } from '../data/clients';
import { useForm } from '../form';
import { confirmLeave, useLeaveGuard } from '../leave-guard';
import { Link, navigate, useLocation } from '../router';
import { formatWhen } from '../time';
import { clientName, type Client } from '../types';
import { Field, FormError, Modal, PageTitle, TableWrap, useAction, toHubError } from '../ui';

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
      searchClients(q, 25).then(
        (r) => { if (live) { setRows(r.data); setNext(r.next_cursor ?? null); setError(null); setLoading(false); } },
        (e) => { if (live) { setError(toHubError(e)); setLoading(false); } },
      );
      history.replaceState(null, '', `/clients${qs({ q: q.trim() })}`);
    }, 200);
    return () => { live = false; clearTimeout(t); };
  }, [q]);
  const more = async () => {
    if (!next) return;
    const r = await searchClients(q, 25, next).catch((e) => { setError(toHubError(e)); return null; });
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
        <TableWrap label="Clients">
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
        </TableWrap>
      )}
      {next && <p><button type="button" className="secondary" onClick={more}>Show more</button></p>}
      {adding && <NewClient onClose={() => setAdding(false)} />}
    </main>
  );
}

function NewClient({ onClose }: { onClose: () => void }) {
  const form = useForm({ first_name: '', last_name: '', email: '', phone: '', notes: '', email_marketing: false, sms_marketing: false });
  const { busy, error, run } = useAction();
  useLeaveGuard(form.dirty, 'the new client');
  const close = () => confirmLeave(onClose);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { email_marketing, sms_marketing, ...details } = form.values;
    const c = await run(() => createClient({ ...compact(details), first_name: details.first_name, marketing_consent: { email: email_marketing, sms: sms_marketing } }));
    if (c) { form.saved(); navigate(`/clients/${c.id}`, { replace: false }); }
  };
  return (
    <Modal title="New client" onClose={close}>
      <form onSubmit={submit}>
        <FormError error={error} fields={['first_name', 'last_name', 'email', 'phone', 'notes']} />
        {error?.body.existing_id && <p><Link to={`/clients/${error.body.existing_id}`}>Open the existing client</Link></p>}
        <div className="grid-2">
          <Field label="First name" name="first_name" error={error}>{(p) => <input {...p} required {...form.text('first_name')} />}</Field>
          <Field label="Last name" name="last_name" error={error}>{(p) => <input {...p} {...form.text('last_name')} />}</Field>
          <Field label="Email" name="email" error={error}>{(p) => <input {...p} type="email" {...form.text('email')} />}</Field>
          <Field label="Phone" name="phone" error={error}>{(p) => <input {...p} type="tel" {...form.text('phone')} />}</Field>
        </div>
        <Field label="Notes" name="notes" error={error}>{(p) => <textarea {...p} rows={2} {...form.text('notes')} />}</Field>
        <fieldset>
          <legend>Marketing consent given now</legend>
          <label className="check"><input type="checkbox" {...form.check('email_marketing')} /> Email</label>
          <label className="check"><input type="checkbox" {...form.check('sms_marketing')} /> SMS</label>
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={busy}>Add client</button>
          <button type="button" className="secondary" onClick={close}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
