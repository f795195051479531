import { useState, type FormEvent } from 'react';
import { del, get, patch, post, qs } from '../api';
import { formatWhen, relative } from '../time';
import { Field, FormError, Loading, Modal, Notice, RevealOnce, useAction, useAsync } from '../ui';

/** Event types and prefixes an endpoint can listen for (API.md §8). */
const EVENT_CHOICES = ['*', 'booking.*', 'client.*', 'location.*', 'service.*', 'staff.*',
  'booking.created', 'booking.rescheduled', 'booking.cancelled', 'booking.completed', 'booking.no_show',
  'client.created', 'client.updated', 'client.erased'];

export interface WebhookEndpoint {
  id: string; url: string; description: string | null; enabled_events: string[]; status: 'enabled' | 'disabled';
  disabled_reason: 'manual' | 'failing' | null; disabled_at: string | null; previous_secret_expires_at: string | null;
  created_at: string; deliveries?: Record<string, number>;
}
interface Attempt {
  id: string; event_id: string; event_type: string; attempt: number; attempted_at: string; outcome: 'succeeded' | 'failed';
  status_code: number | null; error: string | null; latency_ms: number; response_excerpt: string | null;
}

const ERRORS: Record<string, string> = {
  timeout: 'no answer within 10 s', connection_failed: 'could not connect', dns_failure: 'host name not found', private_address: 'private address refused',
  redirect_not_followed: 'redirect (not followed)', tls_error: 'TLS certificate problem', http_status: 'error status',
};

/** Settings → Developer → Webhooks: endpoints, their secrets (shown once), delivery log, resend and replay. */
export function WebhooksSettings() {
  const endpoints = useAsync(() => get<{ data: WebhookEndpoint[] }>('/webhooks'), []);
  const [form, setForm] = useState({ url: '', description: '', events: ['*'] as string[] });
  const [secret, setSecret] = useState<{ label: string; secret: string } | null>(null);
  const [logFor, setLogFor] = useState<WebhookEndpoint | null>(null);
  const [editing, setEditing] = useState<WebhookEndpoint | null>(null);
  const create = useAction();
  const act = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const made = await create.run(() => post<WebhookEndpoint & { secret: string }>('/webhooks', { url: form.url, description: form.description || null, enabled_events: form.events }));
    if (made) { setSecret({ label: made.url, secret: made.secret }); setForm({ url: '', description: '', events: ['*'] }); endpoints.reload(); }
  };
  const run = async (fn: () => Promise<unknown>) => { if (await act.run(fn)) endpoints.reload(); };
  const rotate = async (w: WebhookEndpoint) => {
    const r = await act.run(() => post<{ secret: string }>(`/webhooks/${w.id}/rotate_secret`));
    if (r) { setSecret({ label: w.url, secret: r.secret }); endpoints.reload(); }
  };
  const failing = endpoints.data?.data.filter((w) => w.disabled_reason === 'failing') ?? [];
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted">Setora sends each change (bookings, clients, locations, services, staff) to your URL as it happens, signed per <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>. Failed deliveries are retried for 3 days.</p>
      {failing.map((w) => (
        <div key={w.id} role="alert" className="alert alert-warning">
          <strong>Disabled: {w.url}</strong> failed every delivery for 3 days, so Setora stopped sending to it{w.disabled_at ? ` on ${formatWhen(w.disabled_at)}` : ''}. Its events are kept: fix the receiver, enable it and replay what it missed.
        </div>
      ))}
      {secret && (
        <section className="alert alert-success" aria-labelledby="new-secret-title">
          <h3 id="new-secret-title">Signing secret for {secret.label}</h3>
          <p><strong>Copy it now. You won't see this again.</strong> Verify every delivery with it.</p>
          <RevealOnce value={secret.secret} label="Signing secret" />
          <button type="button" className="secondary" onClick={() => setSecret(null)}>I have stored it safely</button>
        </section>
      )}
      <form onSubmit={submit} className="inline-form" aria-label="Add a webhook endpoint">
        <FormError error={create.error} fields={['url', 'description', 'enabled_events']} />
        <Field label="Endpoint URL" name="url" error={create.error} hint="https:// on a public address.">{(p) => <input {...p} type="url" required maxLength={2048} value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} />}</Field>
        <Field label="Description" name="description" error={create.error}>{(p) => <input {...p} maxLength={500} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />}</Field>
        <EventPicker value={form.events} onChange={(events) => setForm({ ...form, events })} error={create.error} />
        <button type="submit" disabled={create.busy}>Add endpoint</button>
      </form>
      <FormError error={act.error ?? endpoints.error} />
      {!endpoints.data ? <Loading /> : endpoints.data.data.length === 0 ? <p className="muted">No endpoints yet.</p> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Deliveries</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {endpoints.data.data.map((w) => (
                <tr key={w.id} className={w.status === 'disabled' ? 'inactive' : ''}>
                  <th scope="row" className="mono">{w.url}{w.description ? <div className="muted">{w.description}</div> : null}</th>
                  <td>{w.enabled_events.join(', ')}</td>
                  <td>{w.status === 'enabled' ? 'enabled' : <span className="badge">disabled{w.disabled_reason === 'failing' ? ' (failing)' : ''}</span>}</td>
                  <td>{Object.entries(w.deliveries ?? {}).map(([k, n]) => `${n} ${k}`).join(', ') || '—'}</td>
                  <td className="actions">
                    <button type="button" className="secondary small" onClick={() => setLogFor(w)}>Delivery log<span className="sr-only"> for {w.url}</span></button>{' '}
                    <button type="button" className="secondary small" onClick={() => setEditing(w)}>Edit<span className="sr-only"> {w.url}</span></button>{' '}
                    <button type="button" className="secondary small" disabled={act.busy} onClick={() => run(() => patch(`/webhooks/${w.id}`, { status: w.status === 'enabled' ? 'disabled' : 'enabled' }))}>{w.status === 'enabled' ? 'Disable' : 'Enable'}<span className="sr-only"> {w.url}</span></button>{' '}
                    <button type="button" className="secondary small" disabled={act.busy} onClick={() => rotate(w)}>Rotate secret<span className="sr-only"> for {w.url}</span></button>{' '}
                    <button type="button" className="danger small" disabled={act.busy} onClick={() => { if (confirm(`Delete ${w.url}? Its delivery log goes too.`)) void run(() => del(`/webhooks/${w.id}`)); }}>Delete<span className="sr-only"> {w.url}</span></button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {logFor && <DeliveryLog endpoint={logFor} onClose={() => setLogFor(null)} />}
      {editing && <EditEndpoint endpoint={editing} onClose={(changed) => { setEditing(null); if (changed) endpoints.reload(); }} />}
    </section>
  );
}

function EventPicker({ value, onChange, error }: { value: string[]; onChange: (v: string[]) => void; error: ReturnType<typeof useAction>['error'] }) {
  const toggle = (e: string) => onChange(value.includes(e) ? value.filter((x) => x !== e) : [...value, e]);
  return (
    <fieldset>
      <legend>Events to send</legend>
      {EVENT_CHOICES.map((e) => (
        <label key={e} className="check"><input type="checkbox" checked={value.includes(e)} onChange={() => toggle(e)} /> {e === '*' ? 'all events' : e}</label>
      ))}
      {error?.param?.startsWith('enabled_events') && <div className="field-error">{error.message}</div>}
    </fieldset>
  );
}

function EditEndpoint({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose: (changed: boolean) => void }) {
  const [form, setForm] = useState({ url: endpoint.url, description: endpoint.description ?? '', events: endpoint.enabled_events });
  const save = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await save.run(() => patch(`/webhooks/${endpoint.id}`, { url: form.url, description: form.description || null, enabled_events: form.events }))) onClose(true);
  };
  return (
    <Modal title={`Edit ${endpoint.url}`} onClose={() => onClose(false)}>
      <form onSubmit={submit}>
        <FormError error={save.error} fields={['url', 'description', 'enabled_events']} />
        <Field label="Endpoint URL" name="url" error={save.error}>{(p) => <input {...p} type="url" required value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} />}</Field>
        <Field label="Description" name="description" error={save.error}>{(p) => <input {...p} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />}</Field>
        <EventPicker value={form.events} onChange={(events) => setForm({ ...form, events })} error={save.error} />
        <button type="submit" disabled={save.busy}>Save</button>
      </form>
    </Modal>
  );
}

function DeliveryLog({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose: () => void }) {
  const [before, setBefore] = useState<string | undefined>();
  const log = useAsync(() => get<{ data: Attempt[]; has_more: boolean }>(`/webhooks/${endpoint.id}/attempts${qs({ before })}`), [endpoint.id, before]);
  const [since, setSince] = useState(() => new Date(Date.now() - 86_400_000).toISOString().slice(0, 16));
  const [done, setDone] = useState<string | null>(null);
  const act = useAction();
  const resend = async (eventId: string) => {
    if (await act.run(() => post(`/webhooks/${endpoint.id}/resend`, { event_id: eventId }))) setDone(`Event ${eventId} will be sent again in a moment.`);
  };
  const replay = async (e: FormEvent) => {
    e.preventDefault();
    const r = await act.run(() => post<{ scheduled: number }>(`/webhooks/${endpoint.id}/replay`, { since: new Date(since).toISOString() }));
    if (r) setDone(`${r.scheduled} event(s) since ${since.replace('T', ' ')} will be sent again.`);
  };
  return (
    <Modal title={`Delivery log: ${endpoint.url}`} onClose={onClose} wide>
      <p className="muted">Every attempt of the last 30 days, newest first.</p>
      {done && <Notice kind="success">{done}</Notice>}
      <FormError error={act.error ?? log.error} fields={['since']} />
      <form onSubmit={replay} className="inline-form" aria-label="Replay events">
        <Field label="Replay every event since" name="since" error={act.error}>{(p) => <input {...p} type="datetime-local" required value={since} onChange={(e) => setSince(e.target.value)} />}</Field>
        <button type="submit" disabled={act.busy}>Replay</button>
      </form>
      {!log.data ? <Loading /> : log.data.data.length === 0 ? <p className="muted">No attempts yet.</p> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Attempt</th><th scope="col">Result</th><th scope="col">Latency</th><th scope="col">Answer</th><th scope="col"><span className="sr-only">Resend</span></th></tr></thead>
            <tbody>
              {log.data.data.map((a) => (
                <tr key={a.id}>
                  <td title={a.attempted_at}>{formatWhen(a.attempted_at)} <span className="muted">({relative(a.attempted_at)})</span></td>
                  <td><span className="mono">{a.event_type}</span><div className="muted mono">{a.event_id}</div></td>
                  <td>{a.attempt}</td>
                  <td>{a.outcome === 'succeeded' ? `✓ ${a.status_code}` : `✗ ${a.status_code ?? ''} ${ERRORS[a.error ?? ''] ?? a.error ?? ''}`}</td>
                  <td>{a.latency_ms} ms</td>
                  <td className="mono">{a.response_excerpt ?? ''}</td>
                  <td><button type="button" className="secondary small" disabled={act.busy} onClick={() => resend(a.event_id)}>Resend<span className="sr-only"> {a.event_id}</span></button></td>
                </tr>
              ))}
            </tbody>
          </table>
          {log.data.has_more && <button type="button" className="secondary" onClick={() => setBefore(log.data!.data.at(-1)!.id)}>Older attempts</button>}
        </div>
      )}
    </Modal>
  );
}
