import { useState, type FormEvent } from 'react';
import { settleAffected, useAffectedCheck } from '../affected';
import { eraseClient, exportUrl, getClientPage, updateClient } from '../data/clients';
import { listLocations } from '../data/setup';
import { useForm } from '../form';
import { confirmLeave, useLeaveGuard } from '../leave-guard';
import { Link } from '../router';
import { canManage, useSession } from '../session';
import { formatWhen, money } from '../time';
import { clientName, type Client } from '../types';
import { statusWord } from '../diary/booking-block';
import { Field, FormError, Loading, Notice, PageTitle, TableWrap, useAction, useAsync } from '../ui';

export function ClientPage({ id }: { id: string }) {
  const { session } = useSession();
  const page = useAsync(() => getClientPage(id), [id]);
  const [editing, setEditing] = useState(false);
  const [confirmErase, setConfirmErase] = useState(false);
  const erase = useAction();
  const [note, setNote] = useState<string | null>(null);
  const locations = useAsync(() => (canManage(session) ? listLocations() : Promise.resolve(null)), []);
  const affected = useAffectedCheck((b) => locations.data?.data.find((l) => l.slug === b.location)?.time_zone ?? 'Europe/London');
  if (!page.data) return <main>{page.error ? <FormError error={page.error} /> : <Loading />}</main>;
  const { client: c, bookings } = page.data;
  // Future bookings are asked about first; cancelled ones are cancelled before the erasure, so their reason
  // is cleared with the rest of the client's free text (UK GDPR: nothing personal left on the bookings).
  const doErase = () => affected.check({ client: c.id }, { on: `ahead for ${clientName(c)}`, reason: 'Cancelled at your request', verb: 'erase' }, async (choice, future) => {
    const settled = await settleAffected(choice, future, erase.run, { whose: 'Their', ahead: ' ahead', tail: ', without their name' });
    if (settled === null) return true;
    const next = await erase.run(() => eraseClient(c.id));
    if (next) { page.setData(next); setConfirmErase(false); setNote(`Personal data erased. ${settled}`.trim()); }
    return true;
  });
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
          <TableWrap label="Bookings">
            <table>
              <thead><tr><th scope="col">When</th><th scope="col">Service</th><th scope="col">With</th><th scope="col">Where</th><th scope="col">Status</th><th scope="col">Price</th></tr></thead>
              <tbody>
                {bookings.map((b) => (
                  <tr key={b.reference}>
                    <th scope="row"><Link to={`/diary?location=${encodeURIComponent(b.location)}&date=${b.starts_at.slice(0, 10)}`}>{formatWhen(b.starts_at)}</Link></th>
                    <td>{b.service.name}</td><td>{b.staff.display_name}</td><td>{b.location}</td>
                    <td><span className={`badge status-${b.status}`}>{statusWord(b.status)}</span></td><td>{money(b.price)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>

      {canManage(session) && (
        <section aria-labelledby="data-title">
          <h2 id="data-title">Personal data (UK GDPR)</h2>
          <p className="muted">Your shop is the data controller. Use these to answer a client's request for their data or to be forgotten.</p>
          {note && <Notice key={note} kind="success" focus>{note}</Notice>}
          <FormError error={erase.error ?? affected.error} />
          <div className="actions">
            <a className="button secondary" href={exportUrl(c.id)} download>Export data (JSON)</a>
            {!c.erased_at && !confirmErase && <button type="button" className="danger" onClick={() => setConfirmErase(true)}>Erase personal data…</button>}
          </div>
          {confirmErase && (
            <div className="alert alert-warning" role="group" aria-label="Confirm erasure">
              <p>Erase {clientName(c)}'s name, contact details, notes and consent? Bookings stay for your records without them. This cannot be undone.</p>
              <button type="button" className="danger" onClick={doErase} disabled={erase.busy}>Erase now</button>{' '}
              <button type="button" className="secondary" onClick={() => setConfirmErase(false)}>Keep</button>
            </div>
          )}
          {affected.dialog}
        </section>
      )}
    </main>
  );
}

function EditClient({ client, onDone }: { client: Client; onDone: (c?: Client) => void }) {
  const form = useForm({
    first_name: client.first_name ?? '', last_name: client.last_name ?? '', email: client.email ?? '', phone: client.phone ?? '', notes: client.notes ?? '',
    email_marketing: client.consent.email_marketing, sms_marketing: client.consent.sms_marketing,
  });
  const f = form.values;
  const { busy, error, run } = useAction();
  useLeaveGuard(form.dirty, clientName(client));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next = await run(() => updateClient(client.id, {
      first_name: f.first_name, last_name: f.last_name || null, email: f.email || null, phone: f.phone || null, notes: f.notes || null,
      marketing_consent: { email: f.email_marketing, sms: f.sms_marketing },
    }));
    if (next) { form.saved(); onDone(next); }
  };
  return (
    <form onSubmit={submit} aria-label="Edit client">
      <FormError error={error} fields={['first_name', 'last_name', 'email', 'phone', 'notes']} />
      <div className="grid-2">
        <Field label="First name" name="first_name" error={error}>{(p) => <input {...p} required {...form.text('first_name')} />}</Field>
        <Field label="Last name" name="last_name" error={error}>{(p) => <input {...p} {...form.text('last_name')} />}</Field>
        <Field label="Email" name="email" error={error}>{(p) => <input {...p} type="email" {...form.text('email')} />}</Field>
        <Field label="Phone" name="phone" error={error}>{(p) => <input {...p} type="tel" {...form.text('phone')} />}</Field>
      </div>
      <Field label="Notes" name="notes" error={error}>{(p) => <textarea {...p} rows={2} {...form.text('notes')} />}</Field>
      <fieldset>
        <legend>Marketing consent</legend>
        <label className="check"><input type="checkbox" {...form.check('email_marketing')} /> Email</label>
        <label className="check"><input type="checkbox" {...form.check('sms_marketing')} /> SMS</label>
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={busy}>Save</button>
        <button type="button" className="secondary" onClick={() => confirmLeave(() => onDone())}>Cancel</button>
      </div>
    </form>
  );
}
