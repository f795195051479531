import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { HubError } from './api';

/** Loads data for a page; `reload` fetches again, `setData` updates in place after a change. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: HubError; loading: boolean }>({ loading: true });
  const seq = useRef(0);
  const run = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => { if (seq.current === mine) setState({ data, loading: false }); },
      (error: unknown) => { if (seq.current === mine) setState((s) => ({ ...s, error: toHubError(error), loading: false })); },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(run, [run]);
  return { ...state, reload: run, setData: (data: T) => setState({ data, loading: false }) };
}

export const toHubError = (e: unknown): HubError =>
  e instanceof HubError ? e : new HubError(0, { code: 'internal_error', message: e instanceof Error ? e.message : String(e) });

/** Server messages name the field for API callers; next to the field that is redundant. */
export function friendly(err: HubError): string {
  const m = err.message;
  if (err.code === 'parameter_missing' && /^Missing required/.test(m)) return 'Required.';
  const stripped = m.replace(/^Invalid (field|query parameter|header) `[^`]+`: /, '');
  return stripped.charAt(0).toUpperCase() + stripped.slice(1);
}

export function errorFor(err: HubError | null | undefined, name: string): string | undefined {
  const p = err?.param;
  if (!err || !p) return undefined;
  return p === name || p.startsWith(`${name}.`) ? friendly(err) : undefined;
}

interface FieldProps {
  label: ReactNode;
  name: string;
  error?: HubError | null;
  hint?: ReactNode;
  children: (props: { id: string; name: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled input whose server-side error (matched on the envelope's `param`) appears right under it. */
export function Field({ label, name, error, hint, children }: FieldProps) {
  const id = useId();
  const message = errorFor(error, name);
  const described = [hint ? `${id}-hint` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={message ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && <div className="hint" id={`${id}-hint`}>{hint}</div>}
      {children({ id, name, ...(message ? { 'aria-invalid': true as const } : {}), ...(described ? { 'aria-describedby': described } : {}) })}
      {message && <div className="field-error" id={`${id}-error`} data-param={error?.param}>{message}</div>}
    </div>
  );
}

/** The error of a form when no field on it shows it (a conflict, a network failure…). */
export function FormError({ error, fields = [] }: { error?: HubError | null; fields?: string[] }) {
  if (!error) return null;
  if (error.param && fields.some((f) => errorFor(error, f))) return <p className="sr-only" role="alert">{friendly(error)}</p>;
  return (
    <div className="alert alert-error" role="alert">
      {error.message}
      {error.body.reason && <span className="reason"> ({error.body.reason.replace(/_/g, ' ')})</span>}
    </div>
  );
}

/** A message in a live region; with `focus`, it takes focus when it appears (after an action that closed a dialog). */
export function Notice({ children, kind = 'info', focus = false }: { children: ReactNode; kind?: 'info' | 'success' | 'warning'; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { if (focus) ref.current?.focus(); }, [focus]);
  return <div ref={ref} className={`alert alert-${kind}`} role="status" tabIndex={focus ? -1 : undefined}>{children}</div>;
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return <p className="loading" aria-live="polite">{what}…</p>;
}

/**
 * A modal built on <dialog>: focus is kept inside, Escape closes it. On open, focus goes to the element
 * marked `data-autofocus` (else the first control); on close, back to `returnFocus()` or to what had it
 * before, so a keyboard user carries on where they were (WCAG 2.4.3).
 */
export function Modal({ title, onClose, children, wide = false, role, describedBy, returnFocus }: {
  title: string; onClose: () => void; children: ReactNode; wide?: boolean; role?: 'alertdialog'; describedBy?: string;
  returnFocus?: () => HTMLElement | null | undefined;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const back = useRef(returnFocus);
  back.current = returnFocus;
  useEffect(() => {
    const d = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (d && !d.open) d.showModal();
    d?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      d?.close();
      // After React has removed the dialog and redrawn what changed behind it.
      requestAnimationFrame(() => {
        const open = [...document.querySelectorAll<HTMLDialogElement>('dialog[open]')].pop();
        const active = document.activeElement;
        // Only when focus was lost with the dialog: the page may already have put it somewhere on purpose.
        if (open?.contains(active) || (active && active !== document.body && active.isConnected && !open)) return;
        const target = back.current?.() ?? (opener?.isConnected ? opener : null);
        // Still inside another dialog (a question asked over a panel): stay in it, on its news if it has some.
        if (open && !(target && open.contains(target))) (open.querySelector<HTMLElement>('[data-refocus]') ?? open.querySelector<HTMLElement>('h2'))?.focus();
        else (target ?? document.querySelector<HTMLElement>('#main h1'))?.focus();
      });
    };
  }, []);
  return (
    <dialog ref={ref} className={wide ? 'modal modal-wide' : 'modal'} role={role} aria-labelledby={titleId} aria-describedby={describedBy}
      onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <div className="modal-head">
        <h2 id={titleId} tabIndex={-1}>{title}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close">×</button>
      </div>
      {children}
    </dialog>
  );
}

/** A yes/no question in a dialog (alertdialog): what will happen, in words, and the two answers. */
export function ConfirmDialog({ title, children, confirmLabel, cancelLabel = 'Cancel', danger = false, busy = false, error, extra, onConfirm, onCancel, focus = danger ? 'cancel' : 'confirm' }: {
  title: string; children: ReactNode; confirmLabel: string; cancelLabel?: string; danger?: boolean; busy?: boolean; error?: HubError | null;
  /** Shown under the error: another way forward it offers (e.g. "Move anyway"). */
  extra?: ReactNode; onConfirm: () => void; onCancel: () => void; focus?: 'confirm' | 'cancel';
}) {
  const bodyId = useId();
  return (
    <Modal title={title} onClose={onCancel} role="alertdialog" describedBy={bodyId}>
      <div id={bodyId}>{children}</div>
      <FormError error={error} />
      {extra}
      <div className="actions">
        <button type="button" className={danger ? 'danger' : undefined} onClick={onConfirm} disabled={busy} data-autofocus={focus === 'confirm' ? true : undefined}>{confirmLabel}</button>
        <button type="button" className="secondary" onClick={onCancel} data-autofocus={focus === 'cancel' ? true : undefined}>{cancelLabel}</button>
      </div>
    </Modal>
  );
}

/**
 * A table that scrolls sideways inside its own box on a narrow screen (never the page). The box is a
 * focusable, named region so a keyboard user can scroll it too (axe `scrollable-region-focusable`).
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>{children}</div>;
}

/**
 * A single choice among short options (free times, services) as native radio buttons drawn as chips: one
 * Tab stop for the group, arrow keys move the choice (WCAG 2.1.1), each chip at least 44 px tall
 * (WCAG 2.5.8 asks for 24 × 24 px).
 */
export function RadioChips<T extends string>({ label, options, value, onChange, disabled, className }: {
  label: string; options: { value: T; label: ReactNode; title?: string }[]; value: T | null; onChange: (v: T) => void; disabled?: boolean; className?: string;
}) {
  const name = useId();
  return (
    <div role="radiogroup" aria-label={label} className={`chips ${className ?? ''}`}>
      {options.map((o) => (
        <label key={o.value} className="chip" title={o.title}>
          <input type="radio" name={name} value={o.value} checked={value === o.value} disabled={disabled} onChange={() => onChange(o.value)} />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard blocked (plain HTTP on another host): select the text for Ctrl+C instead.
      const input = document.querySelector<HTMLInputElement>(`input[value="${CSS.escape(text)}"]`);
      input?.select();
    }
    setDone(true);
    setTimeout(() => setDone(false), 2000);
  };
  return <button type="button" className="secondary" onClick={copy}>{done ? 'Copied' : label}</button>;
}

/** A secret shown once (an API key, a webhook signing secret): read-only, selected on focus, with a copy button. */
export function RevealOnce({ value, label }: { value: string; label: string }) {
  return (
    <div className="reveal">
      <input readOnly value={value} aria-label={label} className="mono" onFocus={(e) => e.target.select()} />
      <CopyButton text={value} />
    </div>
  );
}

/** Runs an async action for a form, keeping its error and busy state. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HubError | null>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(toHubError(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

export function PageTitle({ children }: { children: string }) {
  useEffect(() => { document.title = `${children} · Setora Hub`; }, [children]);
  return <h1 tabIndex={-1}>{children}</h1>;
}
