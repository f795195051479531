import { useEffect, useRef, useState } from 'react';
import type { HubError } from '../api';
import { compact, searchClients } from '../data/clients';
import type { ClientChoice } from '../data/diary';
import { useForm } from '../form';
import { clientName, type Client } from '../types';
import { Field } from '../ui';

type NewClient = { first_name: string; last_name: string; email: string; phone: string };

/**
 * The client of a new booking: found by name, email or phone, or new (details typed here, created with the
 * booking). Focus follows the choice: to the chosen client, to the first field of a new one, back to the
 * search after "Change".
 */
export function ClientPicker({ onChange, error }: { onChange: (c: ClientChoice | null) => void; error: HubError | null }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Client[]>([]);
  const [chosen, setChosen] = useState<Client | null>(null);
  const [adding, setAdding] = useState(false);
  const form = useForm<NewClient>({ first_name: '', last_name: '', email: '', phone: '' });
  const chosenRef = useRef<HTMLParagraphElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  const focusNext = useRef<'chosen' | 'search' | 'first' | null>(null);

  useEffect(() => {
    if (q.trim().length < 2) { setFound([]); return; }
    const t = setTimeout(() => { searchClients(q, 8).then((r) => setFound(r.data), () => setFound([])); }, 200);
    return () => clearTimeout(t);
  }, [q]);
  const report = useRef(onChange);
  report.current = onChange;
  useEffect(() => {
    report.current(chosen ? chosen.id : adding ? (compact(form.values) as ClientChoice) : null);
  }, [chosen, adding, form.values]);
  useEffect(() => {
    const target = { chosen: chosenRef, search: searchRef, first: firstRef }[focusNext.current ?? 'chosen'];
    if (focusNext.current) target.current?.focus();
    focusNext.current = null;
  });

  const choose = (c: Client) => { focusNext.current = 'chosen'; setChosen(c); };
  const change = () => { focusNext.current = 'search'; setChosen(null); setAdding(false); };
  const startNew = () => { focusNext.current = 'first'; form.saved(newClientFrom(q)); setAdding(true); };

  return (
    <fieldset>
      <legend>Client</legend>
      {chosen ? (
        <p ref={chosenRef} tabIndex={-1} className="chosen-client">
          <strong>{clientName(chosen)}</strong> <span className="muted">{chosen.email ?? ''} {chosen.phone ?? ''}</span>{' '}
          <button type="button" className="link-button" onClick={change}>Change<span className="sr-only"> client</span></button>
        </p>
      ) : adding ? (
        <>
          <div className="grid-2">
            <Field label="First name" name="client.first_name" error={error}>{(p) => <input {...p} ref={firstRef} required {...form.text('first_name')} />}</Field>
            <Field label="Last name" name="client.last_name" error={error}>{(p) => <input {...p} {...form.text('last_name')} />}</Field>
            <Field label="Email" name="client.email" error={error}>{(p) => <input {...p} type="email" {...form.text('email')} />}</Field>
            <Field label="Phone" name="client.phone" error={error}>{(p) => <input {...p} type="tel" {...form.text('phone')} />}</Field>
          </div>
          <p className="muted">A first name is enough for a walk-in; an email or phone lets the shop send them messages. <button type="button" className="link-button" onClick={change}>Find an existing client instead</button></p>
        </>
      ) : (
        <>
          <Field label="Find a client" name="client" error={error} hint="Name, email or phone">{(p) => <input {...p} ref={searchRef} type="search" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />}</Field>
          {found.length > 0 && (
            <ul className="plain picker" aria-label="Matching clients">
              {found.map((c) => <li key={c.id}><button type="button" className="link-button" onClick={() => choose(c)}>{clientName(c)} <span className="muted">{c.email ?? ''} {c.phone ?? ''}</span></button></li>)}
            </ul>
          )}
          <button type="button" className="secondary small" onClick={startNew}>New client</button>
        </>
      )}
    </fieldset>
  );
}

/** Starts the new-client form from what was typed in the search box. */
function newClientFrom(q: string): NewClient {
  const text = q.trim();
  if (text.includes('@')) return { first_name: '', last_name: '', email: text, phone: '' };
  if (/^[+\d][\d\s()-]{4,}$/.test(text)) return { first_name: '', last_name: '', email: '', phone: text };
  const [first = '', ...rest] = text.split(/\s+/);
  return { first_name: first, last_name: rest.join(' '), email: '', phone: '' };
}
