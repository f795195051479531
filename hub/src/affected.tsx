import { useId, useState } from 'react';
import { listAffected, cancelMany, type AffectedQuery } from './data/diary';
import { formatShortDate, formatTime, localDate, ms } from './time';
import type { Booking, Cancellation } from './types';
import { FormError, Modal, toHubError } from './ui';
import { HubError } from './api';

export type AffectedChoice = { cancel: true; reason: string } | { cancel: false };
/** Does the saving: told whether to cancel the bookings listed, and which; true when done (or failed in the form). */
type Proceed = (choice: AffectedChoice, bookings: Booking[]) => Promise<boolean>;
/** The question's words: `on` ("on Tuesday 8 December", "ahead for Priya Shah"), the reason offered, the verb of going ahead. */
export interface Ask { on: string; reason: string; verb: 'save' | 'erase' }

/**
 * Saving something that leaves bookings behind (a closure, a day off, an erasure; issue 12.2) is never
 * silent: `check` lists the bookings it would affect and, when there are some, asks whether to cancel them
 * (with a reason for their clients) or keep them knowingly. `proceed` does the work in the order the
 * caller needs (an erasure cancels first, so the reason is not kept on an erased client's bookings).
 */
export function useAffectedCheck(zone: (b: Booking) => string) {
  const [asking, setAsking] = useState<{ bookings: Booking[]; ask: Ask; proceed: Proceed } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HubError | null>(null);

  /** Lists what `query` affects; with nothing, proceeds at once (`{ cancel: false }`). Returns false if it could not look. */
  const check = async (query: AffectedQuery, ask: Ask, proceed: Proceed): Promise<boolean> => {
    setError(null);
    let found: Booking[];
    try {
      found = (await listAffected(query)).data;
    } catch (e) {
      setError(toHubError(e));
      return false;
    }
    if (!found.length) return proceed({ cancel: false }, []);
    setAsking({ bookings: found, ask, proceed });
    return true;
  };
  const answer = async (choice: AffectedChoice) => {
    if (!asking) return;
    setBusy(true);
    try {
      if (await asking.proceed(choice, asking.bookings)) setAsking(null);
    } finally {
      setBusy(false);
    }
  };
  const dialog = asking && (
    <AffectedDialog bookings={asking.bookings} ask={asking.ask} zone={zone} busy={busy}
      onAnswer={answer} onBack={() => setAsking(null)} />
  );
  return { check, dialog, error };
}

/** Cancels the affected bookings with the one reason. */
export const cancelAffected = (bookings: Booking[], reason: string): Promise<Cancellation> => cancelMany(bookings.map((b) => b.reference), reason);

function AffectedDialog({ bookings, ask, zone, busy, onAnswer, onBack }: {
  bookings: Booking[]; ask: Ask; zone: (b: Booking) => string; busy: boolean;
  onAnswer: (c: AffectedChoice) => void; onBack: () => void;
}) {
  const [reason, setReason] = useState(ask.reason);
  const [error, setError] = useState<HubError | null>(null);
  const id = useId();
  const n = bookings.length;
  const plural = n === 1 ? '1 booking' : `${n} bookings`;
  return (
    <Modal title={`${plural} ${ask.on}`} onClose={onBack} role="alertdialog" describedBy={`${id}-what`}>
      <p id={`${id}-what`}>Cancel {n === 1 ? 'it' : 'them'} (the client{n === 1 ? ' is' : 's are'} told the reason), or keep {n === 1 ? 'it' : 'them'} knowingly and {ask.verb} anyway.</p>
      <ul className="plain affected-list">
        {bookings.map((b) => (
          <li key={b.reference}>
            <strong>{formatShortDate(localDate(ms(b.starts_at), zone(b)))} {formatTime(b.starts_at, zone(b))}</strong> {b.client.name ?? 'Erased client'} · {b.service.name} with {b.staff.display_name} <span className="mono muted">{b.reference}</span>
          </li>
        ))}
      </ul>
      <FormError error={error} fields={['reason']} />
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason, told to the clients</label>
        <textarea id={`${id}-reason`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-autofocus maxLength={500} />
      </div>
      <div className="actions">
        <button type="button" className="danger" disabled={busy} onClick={() => {
          if (!reason.trim()) { setError(new HubError(400, { code: 'parameter_missing', message: 'Give the clients a reason for the cancellation.' })); return; }
          onAnswer({ cancel: true, reason: reason.trim() });
        }}>Cancel {plural} and {ask.verb}</button>
        <button type="button" className="secondary" disabled={busy} onClick={() => onAnswer({ cancel: false })}>Keep {n === 1 ? 'it' : 'them'} and {ask.verb}</button>
        <button type="button" className="secondary" onClick={onBack}>Back</button>
      </div>
    </Modal>
  );
}

/**
 * Carries out the answer for the bookings listed: cancels them with the reason (through `run`, so a refusal
 * shows in the form) or keeps them. Returns the words for the notice ('' when there were none), or null when
 * the cancelling failed. `whose`: "Its" (a location's) or "Their" (a person's); `ahead`: " ahead" for a client.
 */
export async function settleAffected(choice: AffectedChoice, bookings: Booking[], run: <T>(fn: () => Promise<T>) => Promise<T | undefined>,
  words: { whose: 'Its' | 'Their'; ahead?: string; tail?: string }): Promise<string | null> {
  if (choice.cancel) {
    const c = await run(() => cancelAffected(bookings, choice.reason));
    return c ? cancellationNote(c) : null;
  }
  const n = bookings.length;
  if (!n) return '';
  return `${words.whose} ${n === 1 ? 'booking' : `${n} bookings`}${words.ahead ?? ''} ${n === 1 ? 'was' : 'were'} kept${words.tail ?? ''}.`;
}

/** One line on what happened to the bookings, for the notice after saving. */
export function cancellationNote(c: Cancellation): string {
  const done = c.cancelled.length === 1 ? '1 booking cancelled' : `${c.cancelled.length} bookings cancelled`;
  const refused = c.refused.length ? ` ${c.refused.length} could not be: ${c.refused.map((r) => `${r.reference} (${r.error.message})`).join('; ')}` : '';
  return `${done} with the reason “${c.reason}”.${refused}`;
}
