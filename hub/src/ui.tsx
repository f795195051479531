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

export function Notice({ children, kind = 'info' }: { children: ReactNode; kind?: 'info' | 'success' | 'warning' }) {
  return <div className={`alert alert-${kind}`} role="status">{children}</div>;
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return <p className="loading" aria-live="polite">{what}…</p>;
}

/** A modal built on <dialog>: focus is kept inside, Escape closes it. */
export function Modal({ title, onClose, children, wide = false }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} className={wide ? 'modal modal-wide' : 'modal'} aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <div className="modal-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close">×</button>
      </div>
      {children}
    </dialog>
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
  return <h1>{children}</h1>;
}
