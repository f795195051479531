/** The booking page's one way to talk to the server: JSON under /book/api and the API's error envelope. */

export interface ErrorBody { code: string; message: string; param?: string; reason?: string }

export class PageError extends Error {
  constructor(readonly status: number, readonly body: ErrorBody) {
    super(body.message);
  }
}

export interface Address { line1: string; line2: string | null; city: string; postcode: string; country: string }
export interface Money { amount: number; currency: string }
export interface Location {
  slug: string; name: string; time_zone: string; address: Address; phone: string | null; message: string | null;
  contact_required: 'email' | 'phone' | 'either'; cancellation_window_hours: number;
}
export interface Service { id: string; name: string; description: string | null; duration_minutes: number; price: Money }
export interface Staff { id: string; display_name: string; title: string | null; service_ids: string[] }
export interface Shop { name: string; slug: string }
export interface Slot { starts_at: string; ends_at: string; staff_id: string }
export interface Availability { time_zone: string; from: string; to: string; slots: Slot[] }
export interface Booking {
  reference: string; status: 'confirmed' | 'cancelled' | 'completed' | 'no_show'; starts_at: string; ends_at: string;
  service: { name: string; duration_minutes: number }; staff: { id: string; display_name: string }; price: Money;
  client: { first_name: string | null }; shop: Shop; location: Location; cancelled_at: string | null; changes_until: string; can_change: boolean;
}
export interface Booked { booking: Booking; manage_token: string; manage_url: string }

const early = new Map<string, Promise<unknown>>();

/** Starts a GET before the page needs it (while the rest loads); the first `call` for that path takes it. */
export function prefetch(path: string): void {
  const p = request(path, {});
  p.catch(() => undefined);
  early.set(path, p);
}

export function call<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown; token?: string; key?: string } = {}): Promise<T> {
  const started = !init.method && !init.token ? early.get(path) : undefined;
  if (started) {
    early.delete(path);
    return started as Promise<T>;
  }
  return request<T>(path, init);
}

async function request<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown; token?: string; key?: string }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers['x-manage-token'] = init.token;
  if (init.key) headers['idempotency-key'] = init.key;
  let res: Response;
  try {
    res = await fetch(`/book/api${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  } catch {
    throw new PageError(0, { code: 'network_error', message: 'We could not reach the shop\'s booking system. Check your connection and try again.' });
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new PageError(res.status, (data as { error?: ErrorBody } | null)?.error ?? { code: 'internal_error', message: 'Something went wrong. Please try again.' });
  return data as T;
}

/** The .ics of a booking, fetched with its token and offered as a download (the token never goes in a URL). */
export async function downloadCalendar(token: string, reference: string): Promise<void> {
  const res = await fetch('/book/api/manage/calendar.ics', { headers: { 'x-manage-token': token } });
  if (!res.ok) throw new PageError(res.status, { code: 'internal_error', message: 'The calendar file could not be made. Please try again.' });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `booking-${reference}.ics`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const toError = (e: unknown): PageError => e instanceof PageError ? e : new PageError(0, { code: 'internal_error', message: String(e) });
