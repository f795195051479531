/**
 * @setora/sdk: a typed client for the Setora REST API v1. Every path, parameter, body and answer is typed from
 * the API's OpenAPI document (src/generated/openapi.ts, written by `npm run build`); requests go through
 * openapi-fetch, a thin layer over `fetch`.
 *
 *   const setora = createSetoraClient({ apiKey: process.env.SETORA_KEY! });
 *   const booking = await unwrap(setora.GET('/v1/bookings/{reference}', { params: { path: { reference: 'K7QX-2M4P' } } }));
 */
import createClient, { type Client as FetchClient, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './generated/openapi.js';

export type { components, paths, operations } from './generated/openapi.js';

type Schemas = components['schemas'];
export type Booking = Schemas['Booking'];
export type Client = Schemas['Client'];
export type Location = Schemas['Location'];
export type Service = Schemas['Service'];
export type Staff = Schemas['Staff'];
export type Availability = Schemas['Availability'];
/** The error envelope every failed request answers with. */
export type ErrorBody = Schemas['Error'];
/** Every error `code` (branch on it; the message is for people). */
export type ErrorCode = ErrorBody['error']['code'];
/** Why a time cannot be booked: the `reason` of `409 slot_unavailable`. */
export type SlotUnavailableReason = NonNullable<ErrorBody['error']['reason']>;

export type SetoraClient = FetchClient<paths>;

export interface SetoraClientOptions {
  /** An `sk_live_…` key. Keep it server-side. */
  apiKey: string;
  /** Default `https://rest.setora.co.uk`; a local server is `http://127.0.0.1:8080`. */
  baseUrl?: string;
  /** A `fetch` to use instead of the global one (tests, proxies). */
  fetch?: ClientOptions['fetch'];
}

/** A client that sends the key on every request. Methods are `GET` / `POST` with the API's paths (`'/v1/bookings'`). */
export function createSetoraClient(options: SetoraClientOptions): SetoraClient {
  if (!/^sk_live_\w+$/.test(options.apiKey)) throw new TypeError('apiKey: expected an `sk_live_…` key');
  const client = createClient<paths>({
    baseUrl: (options.baseUrl ?? 'https://rest.setora.co.uk').replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return client;
}

/** A refused request: the API's error envelope with its HTTP status. */
export class SetoraError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly param?: string;
  readonly reason?: SlotUnavailableReason;
  readonly requestId: string;
  readonly body: ErrorBody;

  constructor(status: number, body: ErrorBody) {
    super(`${status} ${body.error.code}: ${body.error.message}`);
    this.name = 'SetoraError';
    this.status = status;
    this.body = body;
    this.code = body.error.code;
    this.param = body.error.param;
    this.reason = body.error.reason;
    this.requestId = body.error.request_id;
  }
}

/**
 * The answer's data, or a thrown SetoraError (an `Error` for an answer that is not the API's envelope,
 * e.g. from a proxy). Wrap any call: `await unwrap(setora.GET('/v1/locations'))`.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined) return data;
  if (error && typeof error === 'object' && 'error' in error) throw new SetoraError(response.status, error as ErrorBody);
  throw new Error(`${response.status} ${response.statusText}: not an API answer`);
}

/** One page of a list (`{ object: "list", data, has_more, next_cursor }`). */
export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * Every item of a list, page after page: `fetchPage` gets the cursor (undefined for the first page).
 *
 *   for await (const b of paginate((cursor) => unwrap(setora.GET('/v1/bookings', { params: { query: { location: 'shoreditch', cursor } } }))))
 */
export async function* paginate<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.data;
    if (!page.has_more || !page.next_cursor) return;
    cursor = page.next_cursor;
  }
}
