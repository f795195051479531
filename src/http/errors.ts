/** The closed list of error codes (API.md §2): one code → one status, one envelope. */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  parameter_missing: 400,
  parameter_invalid: 400,
  parameter_unknown: 400,
  missing_api_key: 401,
  invalid_api_key: 401,
  insufficient_scope: 403,
  https_required: 403,
  forbidden: 403,
  not_authenticated: 401,
  csrf_failed: 403,
  resource_not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  slot_unavailable: 409,
  booking_not_modifiable: 409,
  client_already_exists: 409,
  resource_conflict: 409,
  idempotency_key_in_use: 409,
  idempotency_key_reused: 422,
  request_timeout: 408,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  header_too_large: 431,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  param?: string;
  request_id?: string;
  [extra: string]: unknown;
}

/** The one error type. Anything else thrown becomes a masked 500. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly param?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }

  body(requestId: string): { error: ErrorBody } {
    const error: ErrorBody = { code: this.code, message: this.message };
    if (this.param !== undefined) error.param = this.param;
    Object.assign(error, this.extra);
    error.request_id = requestId;
    return { error };
  }
}

export const INVALID_API_KEY_MESSAGE = 'The provided API key is invalid or has been revoked.';

const NOT_FOUND = {
  location: 'No location with this slug.',
  location_id: 'No location with this id.',
  service: 'No service with this id.',
  staff: 'No staff member with this id.',
  client: 'No client with this id.',
  booking: 'No booking with this reference.',
  closure: 'No such closure.',
  time_off: 'No such time off entry.',
  event: 'No event with this id (events are kept 30 days).',
  webhook_endpoint: 'No webhook endpoint with this id.',
} as const;

/**
 * `404 resource_not_found` for an id, slug or reference the caller's organisation does not have. The message
 * never echoes the value, so another organisation's id and an id that exists nowhere get the same bytes
 * (API.md §2: never reveal that it exists).
 */
export const notFound = (kind: keyof typeof NOT_FOUND, param?: string) => new ApiError('resource_not_found', NOT_FOUND[kind], param);
