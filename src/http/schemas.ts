import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from './errors.js';

/** Shared pieces of request and response schemas. */
export const Instant = z.string().describe('RFC 3339 instant in UTC, e.g. `2026-11-30T09:30:00Z`.');
export { LocalDateInput as LocalDate } from './time-schemas.js';
export const Money = z.object({ amount: z.number().int(), currency: z.string().length(3) });

export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    param: z.string().optional(),
    request_id: z.string(),
    reason: z.string().optional(),
    existing_id: z.string().optional(),
  }).loose(),
});

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: `invalid_json`, `parameter_missing`, `parameter_invalid` or `parameter_unknown`, with `param`.',
  401: '`missing_api_key` or `invalid_api_key`.',
  403: '`insufficient_scope` or `https_required`.',
  404: '`resource_not_found`.',
  409: 'Conflict: see `code` and `reason`.',
  413: '`payload_too_large`.',
  415: '`unsupported_media_type`.',
  422: '`idempotency_key_reused`.',
  429: '`rate_limited`, with `Retry-After`.',
  500: '`internal_error`.',
};

/** Error responses for the OpenAPI document: every route lists the envelope for each status it can answer. */
export function errorResponses(statuses: number[]): Record<number, z.ZodType> {
  const all = [400, 401, 403, 429, 500, ...statuses];
  return Object.fromEntries([...new Set(all)].sort().map((s) => [s, ErrorEnvelope.describe(ERROR_DESCRIPTIONS[s] ?? 'Error')]));
}

/** RFC 3339 in UTC to the second, as in API.md (`2026-11-30T09:30:00Z`). */
export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
