import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay from 'find-my-way';
import { ApiError, type ErrorCode } from './errors.js';
import { randomString } from '../lib/ids.js';
import { scrub } from './logging.js';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
export const MAX_BODY_BYTES = 1024 * 1024;

// Fresh request ids: a random prefix per process and a counter, unique across instances without a random
// draw per request.
const REQUEST_ID_PREFIX = `req_${randomString(10).toLowerCase()}`;
let requestCounter = 0;

/**
 * A caller's own X-Request-Id when it is sane, else a fresh one. The id is bound to every log line of the
 * request, echoed in the `X-Request-Id` header and in `error.request_id`, so a caller's id is kept only when it
 * looks machine-made: 8–128 of `A–Z a–z 0–9 . _ : -`, at least one digit, no run of more than 8 letters (a
 * name or a word), and nothing the log scrubber would change (a key, email or phone number).
 */
export function requestIdFor(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && SANE_REQUEST_ID.test(given) && /\d/.test(given) && !/[A-Za-z]{9}/.test(given) && scrub(given) === given) return given;
  requestCounter = (requestCounter + 1) % 2_176_782_336; // 36^6
  return REQUEST_ID_PREFIX + requestCounter.toString(36).padStart(6, '0');
}

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  reply.code(error.status).header('content-type', 'application/json; charset=utf-8');
  for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
  // Serialised here, not by a route's response schema: the envelope is the same from every layer.
  return reply.serializer((b: unknown) => JSON.stringify(b)).send(error.body(reply.request.id));
}

/** Map Fastify's own errors (body parsing, limits, validation) onto the closed code list. */
function toApiError(err: Error & { code?: string; statusCode?: number }): ApiError | undefined {
  if (err instanceof ApiError) return err;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large', 'The request body is larger than 1 MiB.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('unsupported_media_type', 'Send request bodies as JSON with `Content-Type: application/json`.', 'Content-Type');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('invalid_json', 'The request body is not valid JSON.');
  }
  if (err.statusCode === 413) return new ApiError('payload_too_large', 'The request body is larger than 1 MiB.');
  if (err.statusCode === 415) return new ApiError('unsupported_media_type', 'Send request bodies as JSON with `Content-Type: application/json`.', 'Content-Type');
  if (err.statusCode === 400 && err instanceof SyntaxError) return new ApiError('invalid_json', 'The request body is not valid JSON.');
  return undefined;
}

/**
 * Transport conventions shared by every route (API.md §1, §2): request ids, no-store, the JSON body
 * parser, the error envelope from every layer, 404 / 405 with `Allow`.
 */
export interface CoreHooks {
  /** An unexpected error (answered as a masked 500). */
  onError: (req: FastifyRequest, err: unknown) => void;
  /** Every refusal from the closed code list, e.g. to count booking conflicts and auth failures. */
  onRefusal?: (req: FastifyRequest, err: ApiError) => void;
}

export function registerCore(app: FastifyInstance, hooks: CoreHooks): void {
  const routes = FindMyWay();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      if (m === 'HEAD' || route.url.includes('*')) continue;
      try {
        routes.on(m as 'GET', route.url, () => undefined);
      } catch {
        /* duplicate shape (e.g. both /x and /x/ registered): already known */
      }
    }
  });

  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
    done();
  });

  app.removeAllContentTypeParsers();
  const parseJson = (_req: unknown, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ApiError('invalid_json', 'The request body is not valid JSON.'), undefined);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, parseJson);
  app.addContentTypeParser(/^application\/[a-z0-9.+-]*\+json$/, { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, parseJson);
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => {
    // A body we cannot read is refused; an empty one (a bare POST) is simply no body.
    if ((body as Buffer).length === 0) return done(null, undefined);
    done(new ApiError('unsupported_media_type', 'Send request bodies as JSON with `Content-Type: application/json`.', 'Content-Type'), undefined);
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    const known = toApiError(err);
    if (known) {
      hooks.onRefusal?.(req, known);
      return sendError(reply, known);
    }
    hooks.onError(req, err);
    return sendError(reply, new ApiError('internal_error', 'Something went wrong on our side. Quote the request id if you contact support.'));
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const allowed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => routes.find(m as 'GET', path));
    if (allowed.length) {
      if (allowed.includes('GET')) allowed.splice(1, 0, 'HEAD');
      const code: ErrorCode = 'method_not_allowed';
      return sendError(reply, new ApiError(code, `${req.method} is not allowed on this path. Allowed: ${allowed.join(', ')}.`, undefined, {}, { allow: allowed.join(', ') }));
    }
    return sendError(reply, new ApiError('route_not_found', `No route ${req.method} ${path}.`));
  });
}
