import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { PageError } from './api';

/** A step's heading: takes focus when the step appears, so keyboard and screen-reader users start there. */
export function StepHeading({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => { ref.current?.focus(); }, []);
  return <h2 ref={ref} tabIndex={-1} class="step-title">{children}</h2>;
}

/** The error of a request that no field shows (a conflict, a limit, the network), with what to do next. */
export function Alert({ error, children }: { error?: PageError | null; children?: ComponentChildren }) {
  if (!error && !children) return null;
  return <div class="alert" role="alert">{error ? error.message : children}</div>;
}

/** Server messages often name the field for developers (`email` is not…); next to the field, say it plainly. */
function plain(error: PageError): string {
  const m = error.body.message.replace(/^Invalid field `[^`]+`: /, '').replace(/^`[^`]+` is /, 'This is ');
  if (error.body.code === 'parameter_missing' && /^Missing required/.test(m)) return 'Please fill this in.';
  return m.charAt(0).toUpperCase() + m.slice(1);
}

export function errorFor(error: PageError | null | undefined, name: string): string | undefined {
  return error?.body.param === name ? plain(error) : undefined;
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: PageError | null;
  type?: 'text' | 'email' | 'tel';
  value: string;
  onInput: (v: string) => void;
  autocomplete?: string;
  required?: boolean;
  multiline?: boolean;
}

/** A labelled input whose server-side error (the envelope's `param`) appears right under it. */
export function Field({ id, label, hint, error, type = 'text', value, onInput, autocomplete, required, multiline }: FieldProps) {
  const message = errorFor(error, id);
  const described = [hint ? `${id}-hint` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id, name: id, value, 'aria-describedby': described, 'aria-invalid': message ? true : undefined, 'aria-required': required || undefined,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={message ? 'field invalid' : 'field'}>
      <label for={id}>{label}{required ? '' : <span class="optional"> (optional)</span>}</label>
      {hint && <div class="hint" id={`${id}-hint`}>{hint}</div>}
      {multiline ? <textarea {...common} rows={3} maxLength={500} /> : <input {...({ ...common, type, autoComplete: autocomplete, maxLength: 254 } as object)} />}
      {message && <div class="field-error" id={`${id}-error`} data-param={id}>{message}</div>}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return <p class="loading" role="status">{what}…</p>;
}
