import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { confirmLeave } from './leave-guard';

/** A small history-API router: the server answers index.html for every page path. */
const listeners = new Set<() => void>();
const notify = () => { for (const fn of listeners) fn(); };
const here = () => location.pathname + location.search;
let shown = here();

window.addEventListener('popstate', () => {
  // Back/forward with unsaved edits: put the page back, ask, then go where the browser was going.
  const target = here();
  confirmLeave(() => { shown = target; history.replaceState(null, '', target); notify(); }, () => history.pushState(null, '', shown));
});

/** Goes to a page of the Hub, first asking when a form on this page has unsaved edits (leave-guard.tsx). */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === here()) return;
  confirmLeave(() => go(to, opts));
}

function go(to: string, opts: { replace?: boolean }) {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  shown = to;
  notify();
  if (!opts.replace) window.scrollTo(0, 0);
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const fn = () => setTick((t) => t + 1);
    listeners.add(fn);
    return () => { listeners.delete(fn); };
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

/** `/clients/:id` against a path → params, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const a = path.replace(/\/+$/, '').split('/');
  if (p.length !== a.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(':')) out[p[i]!.slice(1)] = decodeURIComponent(a[i]!);
    else if (p[i] !== a[i]) return null;
  }
  return out;
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
