import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from './errors.js';
import type { SlotReason } from '../modules/bookings/bookings.refusals.js';

/** Shared pieces of request and response schemas. */
export const Instant = z.string().describe('RFC 3339 instant in UTC, e.g. `2026-11-30T09:30:00Z`.');
export { LocalDateInput as LocalDate } from './time-schemas.js';
export const Money = z.object({ amount: z.number().int(), currency: z.string().length(3) });

/**
 * What each `reason` of `409 slot_unavailable` means, for the OpenAPI document (an enum on the error schema)
 * and docs/api-reference.md. Keyed by the booking rules' own list (bookings.refusals.ts): a reason added
 * there without a line here does not compile.
 */
export const SLOT_UNAVAILABLE_REASONS = {
  overlaps_booking: 'The staff member has another booking (or its clean-up buffer) at that time.',
  outside_working_hours: 'The staff member does not work then (weekly hours, breaks), or the location is not open.',
  staff_time_off: 'The staff member has dated time off then.',
  location_closed: 'The location is closed that day (a closure).',
  too_soon: 'Inside the location\'s minimum notice, or already past.',
  beyond_horizon: 'Further ahead than the location takes bookings.',
  staff_does_not_offer_service: 'The staff member does not perform the service at that location.',
  not_on_slot_grid: 'Not on the service\'s slot grid (e.g. 10:05 on a 15-minute grid, anchored at local midnight).',
} as const satisfies Record<SlotReason, string>;
const REASONS = Object.keys(SLOT_UNAVAILABLE_REASONS) as [SlotReason, ...SlotReason[]];

/** The error codes a `/v1` request can be answered with, and when (API.md §2). The Hub's own codes are left out. */
export const V1_ERROR_CODES = {
  bad_request: 'The request is not valid HTTP (e.g. a bare CR in a header, or a path that is not valid percent-encoded UTF-8).',
  invalid_json: 'The body is not parseable JSON (or not valid UTF-8).',
  parameter_missing: 'A required field or query parameter is absent; `param` names it.',
  parameter_invalid: 'Wrong type, format or range, an unknown enum value, an instant without an offset; `param` names it.',
  parameter_unknown: 'A field or query parameter the endpoint does not take (or a read-only one); `param` names it, and the message suggests the field you probably meant.',
  missing_api_key: 'No `Authorization` header.',
  invalid_api_key: 'The key is malformed, unknown, revoked or deleted.',
  insufficient_scope: 'The key is valid but its scope does not allow the request.',
  https_required: 'The request came over plain HTTP.',
  resource_not_found: 'An unknown id, slug or reference, or one that belongs to another organisation.',
  route_not_found: 'No such endpoint.',
  method_not_allowed: 'A known path with the wrong method; the `Allow` header lists the right ones.',
  slot_unavailable: 'The time cannot be booked; `reason` says why.',
  booking_not_modifiable: 'A reschedule or cancel of a cancelled or past booking, or of one another request changed first.',
  client_already_exists: 'A client with that email is already on file; `existing_id` names it.',
  idempotency_key_in_use: 'Another request with the same `Idempotency-Key` is still running.',
  idempotency_key_reused: 'The `Idempotency-Key` was used for a different request.',
  request_timeout: 'The request (headers and body) did not arrive in time; the connection is closed.',
  payload_too_large: 'The body is over 1 MiB.',
  unsupported_media_type: 'A body that is not `application/json`.',
  rate_limited: 'Too many requests for this key; wait `Retry-After` seconds.',
  header_too_large: 'The request\'s headers are over 16 KiB in all.',
  internal_error: 'Something failed on our side; quote `request_id` to support.',
  service_unavailable: 'The server is overloaded or shutting down; retry after `Retry-After` seconds.',
} as const satisfies Partial<Record<ErrorCode, string>>;
export type V1ErrorCode = keyof typeof V1_ERROR_CODES;

export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.enum(Object.keys(V1_ERROR_CODES) as [V1ErrorCode, ...V1ErrorCode[]]).describe('Stable and machine-readable: branch on this.'),
    message: z.string().describe('For humans: what went wrong and how to fix it. May change; do not parse.'),
    param: z.string().optional().describe('The offending header, query parameter or body field (dotted for nested fields, e.g. `client.phone`).'),
    request_id: z.string().describe('Finds the full story in the server log.'),
    reason: z.enum(REASONS).optional().describe(`With \`slot_unavailable\` only: why the time cannot be booked.\n${REASONS.map((r) => `- \`${r}\`: ${SLOT_UNAVAILABLE_REASONS[r]}`).join('\n')}`),
    existing_id: z.string().optional().describe('With `client_already_exists` only: the client already on file.'),
  }).loose(),
});

const CARRIES: Partial<Record<ErrorCode, string>> = { slot_unavailable: ' (with a typed `reason`)', client_already_exists: ' (with `existing_id`)' };

// Answered for a path or method that has no route, or below the router (malformed HTTP): never by an operation.
const NO_ROUTE: ErrorCode[] = ['route_not_found', 'method_not_allowed', 'bad_request', 'request_timeout', 'header_too_large'];

/**
 * A response description naming the codes: the given ones for this status, or every `/v1` code an operation
 * can answer with that status (`invalid_json` only where there is a body: not for GET).
 */
export function errorDescription(status: number, codes: readonly ErrorCode[] = [], opts: { method?: string } = {}): string {
  const own = codes.filter((c) => ERROR_STATUS[c] === status);
  const all = (Object.keys(V1_ERROR_CODES) as V1ErrorCode[])
    .filter((c) => ERROR_STATUS[c] === status && !NO_ROUTE.includes(c) && !(c === 'invalid_json' && opts.method === 'get'));
  const list = (own.length ? own : all).map((c) => `\`${c}\`${CARRIES[c] ?? ''}`);
  return `${list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}` : list[0] ?? 'Error'}.`;
}

/**
 * Error responses for a route's OpenAPI document: the envelope for each status it can answer beyond the ones
 * every `/v1` route can (400, 401, 403, 429, 500: added here; POST-only ones are added by src/http/openapi.ts).
 * Give a status (every code with it) or error codes (just those, e.g. `['slot_unavailable']` for a 409).
 */
export function errorResponses(statusesOrCodes: readonly (number | ErrorCode)[]): Record<number, z.ZodType> {
  const codes = statusesOrCodes.filter((x): x is ErrorCode => typeof x === 'string');
  const statuses = statusesOrCodes.map((x) => (typeof x === 'string' ? ERROR_STATUS[x] : x));
  const all = [...new Set([400, 401, 403, 429, 500, ...statuses])].sort();
  return Object.fromEntries(all.map((s) => [s, ErrorEnvelope.describe(errorDescription(s, codes))]));
}

/** RFC 3339 in UTC to the second, as in API.md (`2026-11-30T09:30:00Z`). */
export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
