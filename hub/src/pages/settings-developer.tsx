import { useState, type FormEvent } from 'react';
import { createKey, listKeys, revokeKey } from '../data/team';
import { useForm } from '../form';
import { useLeaveGuard } from '../leave-guard';
import { formatWhen, relative } from '../time';
import { listLocations } from '../data/setup';
import type { ApiKey } from '../types';
import { WebhooksSettings } from './settings-webhooks';
import { Field, FormError, Loading, PageTitle, RevealOnce, TableWrap, useAction, useAsync } from '../ui';

/** Fine scopes (API.md §3); a `:write` includes its `:read`. */
const FINE_SCOPES: [string, string][] = [
  ['catalog:read', 'locations, services, staff, availability'], ['clients:read', 'read clients'], ['clients:write', 'create clients'],
  ['bookings:read', 'read bookings'], ['bookings:write', 'create, reschedule, cancel bookings'], ['events:read', 'the events feed'],
  ['webhooks:read', 'read webhook endpoints'], ['webhooks:write', 'manage webhook endpoints'],
];
type KeyForm = { label: string; scope: 'read' | 'read_write' | 'custom'; scopes: string[]; locations: string[] };
const BLANK: KeyForm = { label: '', scope: 'read', scopes: [], locations: [] };
const toggle = (list: string[], x: string) => (list.includes(x) ? list.filter((y) => y !== x) : [...list, x]);

/** Settings → Developer: API keys, as the published authentication page describes them. */
export function DeveloperSettings() {
  const keys = useAsync(listKeys, []);
  const locations = useAsync(listLocations, []);
  const form = useForm<KeyForm>(BLANK);
  useLeaveGuard(form.dirty, 'the new key');
  const [created, setCreated] = useState<{ key: ApiKey; plaintext: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const create = useAction();
  const revoke = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { label, scope, scopes, locations: only } = form.values;
    const made = await create.run(() => createKey({ label, ...(scope === 'custom' ? { scopes } : { scope }), ...(only.length ? { locations: only } : {}) }));
    if (made) { setCreated(made); form.saved(BLANK); keys.reload(); }
  };
  const doRevoke = async (id: string) => {
    if (await revoke.run(() => revokeKey(id))) { setConfirming(null); keys.reload(); }
  };
  return (
    <>
      <PageTitle>Developer</PageTitle>
      <p className="muted">API keys let your own software use the Setora API (<a href="/docs">API reference</a>). A key belongs to this shop only. Keep keys on a server, never in an app or web page.</p>

      {created ? (
        <section className="alert alert-success" aria-labelledby="new-key-title">
          <h2 id="new-key-title">Your new key “{created.key.label}”</h2>
          <p><strong>Copy it now. You won't see this again:</strong> Setora keeps only a fingerprint of it. If it is lost, revoke it and create another.</p>
          <RevealOnce value={created.plaintext} label="New API key" />
          <button type="button" className="secondary" onClick={() => setCreated(null)}>I have stored it safely</button>
        </section>
      ) : (
        <section aria-labelledby="create-key-title">
          <h2 id="create-key-title">Create a key</h2>
          <form onSubmit={submit} className="inline-form">
            <FormError error={create.error} fields={['label', 'scope']} />
            <Field label="Label" name="label" error={create.error} hint="What uses it, e.g. “Website booking widget”.">{(p) => <input {...p} required maxLength={100} {...form.text('label')} />}</Field>
            <fieldset>
              <legend>Scope</legend>
              <label className="check"><input type="radio" name="scope" value="read" checked={form.values.scope === 'read'} onChange={() => form.set('scope', 'read')} /> read <span className="muted">(fetch only)</span></label>
              <label className="check"><input type="radio" name="scope" value="read_write" checked={form.values.scope === 'read_write'} onChange={() => form.set('scope', 'read_write')} /> read_write <span className="muted">(also create clients and bookings, reschedule, cancel)</span></label>
              <label className="check"><input type="radio" name="scope" value="custom" checked={form.values.scope === 'custom'} onChange={() => form.set('scope', 'custom')} /> pick scopes</label>
            </fieldset>
            {form.values.scope === 'custom' && (
              <fieldset>
                <legend>Scopes</legend>
                {FINE_SCOPES.map(([s, what]) => (
                  <label key={s} className="check"><input type="checkbox" checked={form.values.scopes.includes(s)} onChange={() => form.set('scopes', toggle(form.values.scopes, s))} /> <span className="mono">{s}</span> <span className="muted">({what})</span></label>
                ))}
                {create.error?.param?.startsWith('scopes') && <div className="field-error">{create.error.message}</div>}
              </fieldset>
            )}
            <fieldset>
              <legend>Locations</legend>
              <p className="hint">Leave all unticked for every location. A limited key sees only these locations' bookings, staff and availability.</p>
              {(locations.data?.data ?? []).map((l) => (
                <label key={l.id} className="check"><input type="checkbox" checked={form.values.locations.includes(l.slug)} onChange={() => form.set('locations', toggle(form.values.locations, l.slug))} /> {l.name}</label>
              ))}
              {create.error?.param?.startsWith('locations') && <div className="field-error">{create.error.message}</div>}
            </fieldset>
            <button type="submit" disabled={create.busy}>Create key</button>
          </form>
        </section>
      )}

      <section aria-labelledby="keys-title">
        <h2 id="keys-title">Keys</h2>
        <FormError error={revoke.error ?? keys.error} />
        {!keys.data ? <Loading /> : keys.data.data.length === 0 ? <p className="muted">No keys yet.</p> : (
          <TableWrap label="API keys">
            <table>
              <thead><tr><th scope="col">Label</th><th scope="col">Scope</th><th scope="col">Key</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span className="sr-only">Status</span></th></tr></thead>
              <tbody>
                {keys.data.data.map((k) => (
                  <tr key={k.id} className={k.revoked_at ? 'inactive' : ''}>
                    <th scope="row">{k.label}</th>
                    <td>{k.scope ?? k.scopes.join(', ')}{k.locations ? <div className="muted">only {k.locations.join(', ')}</div> : null}</td>
                    <td className="mono">{k.display}</td>
                    <td>{formatWhen(k.created_at)}{k.created_by_name ? ` by ${k.created_by_name}` : ''}</td>
                    <td title={k.last_used_at ?? undefined}>{relative(k.last_used_at)}</td>
                    <td>
                      {k.revoked_at ? <span className="badge">revoked {relative(k.revoked_at)}</span> : confirming === k.id ? (
                        <span className="confirm" role="group" aria-label={`Confirm revoking ${k.label}`}>Revoke “{k.label}”? Anything using it stops working at once.{' '}
                          <button type="button" className="danger small" disabled={revoke.busy} onClick={() => doRevoke(k.id)}>Revoke key</button>{' '}
                          <button type="button" className="secondary small" onClick={() => setConfirming(null)}>Keep</button>
                        </span>
                      ) : (
                        <button type="button" className="secondary small" onClick={() => setConfirming(k.id)}>Revoke<span className="sr-only"> {k.label}</span></button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>

      <WebhooksSettings />
    </>
  );
}
