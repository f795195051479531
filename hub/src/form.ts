import { useCallback, useMemo, useState, type ChangeEvent } from 'react';

type StringKeys<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T];
type BooleanKeys<T> = { [K in keyof T]: T[K] extends boolean ? K : never }[keyof T];
type Input = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/**
 * The Hub's one form state helper: the values, a setter per field, props to bind an input or a checkbox,
 * and whether anything changed since the form was loaded or last saved (`dirty`, for the leave guard).
 *
 *   const form = useForm({ name: '', bookable: true });
 *   <input {...form.text('name')} />  <input type="checkbox" {...form.check('bookable')} />
 *   form.set('name', 'Alex');  form.saved();  // after a successful save: no longer dirty
 */
export function useForm<T extends Record<string, unknown>>(initial: T | (() => T)) {
  const [state, setState] = useState(() => {
    const values = typeof initial === 'function' ? (initial as () => T)() : initial;
    return { values, baseline: JSON.stringify(values) };
  });
  const { values, baseline } = state;

  const update = useCallback((fn: (v: T) => T) => setState((s) => ({ ...s, values: fn(s.values) })), []);
  const set = useCallback(<K extends keyof T>(key: K, value: T[K]) => update((v) => ({ ...v, [key]: value })), [update]);
  const text = <K extends StringKeys<T>>(key: K, transform: (s: string) => string = (s) => s) => ({
    value: values[key] as string,
    onChange: (e: ChangeEvent<Input>) => set(key, transform(e.target.value) as T[K]),
  });
  const check = <K extends BooleanKeys<T>>(key: K) => ({
    checked: values[key] as boolean,
    onChange: (e: ChangeEvent<HTMLInputElement>) => set(key, e.target.checked as T[K]),
  });
  const dirty = useMemo(() => JSON.stringify(values) !== baseline, [values, baseline]);
  /** Marks the current values (or `next`) as saved: the form is clean again. */
  const saved = useCallback((next?: T) => setState((s) => {
    const v = next ?? s.values;
    return { values: v, baseline: JSON.stringify(v) };
  }), []);
  return { values, set, update, text, check, dirty, saved };
}
