/** The Hub's one way to talk to the server: JSON, the session cookie, the CSRF token, the error envelope. */

export interface ErrorBody {
  code: string;
  message: string;
  param?: string;
  request_id?: string;
  reason?: string;
  existing_id?: string;
}

export class HubError extends Error {
  constructor(readonly status: number, readonly body: ErrorBody) {
    super(body.message);
  }
  get code(): string { return this.body.code; }
  get param(): string | undefined { return this.body.param; }
}

let csrfToken = '';
export const setCsrfToken = (token: string) => { csrfToken = token; };

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();
/** Called when a signed-in request comes back 401 (session ended elsewhere or expired). */
export function onSessionLost(fn: Listener): () => void {
  unauthenticatedListeners.add(fn);
  return () => unauthenticatedListeners.delete(fn);
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/hub/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new HubError(0, { code: 'network_error', message: 'Could not reach the server. Check the connection and try again.' });
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = (data as { error?: ErrorBody } | null)?.error ?? { code: 'internal_error', message: `The server answered ${res.status}.` };
    if (res.status === 401 && err.code === 'not_authenticated' && !path.startsWith('/signin') && path !== '/session') {
      for (const fn of unauthenticatedListeners) fn();
    }
    throw new HubError(res.status, err);
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

export const qs = (params: Record<string, string | number | undefined | null>) => {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') out.set(k, String(v));
  const text = out.toString();
  return text ? `?${text}` : '';
};
