import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import FindMyWay from 'find-my-way';
import type { z } from 'zod';
import { ApiError, type ErrorCode } from './errors.js';
import { textRefusal, queryEncodingRefusal, type RequestPart } from './text.js';
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

/**
 * Answers with the API.md §2 envelope. Also sets the transport headers every answer carries (request id,
 * no-store, nosniff), because some errors are answered before the hooks that normally set them have run.
 */
export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.send(prepareError(reply, error));
}

/** Sets status, headers and serialiser of an error answer on `reply`; returns the envelope to send. */
export function prepareError(reply: FastifyReply, error: ApiError): unknown {
  reply.code(error.status).header('content-type', 'application/json; charset=utf-8');
  // Answered before its body arrived (e.g. 401 before a large POST body): Node goes on reading the body (so a
  // client still writing it gets this answer), and if the rest never comes the request timeout must not write a
  // second answer (a 408) for the same request: the socket is remembered and then simply closed.
  if (reply.request.raw.complete === false) answeredEarly.add(reply.request.raw.socket);
  reply.header('x-request-id', reply.request.id).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
  for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
  // Serialised here, not by a route's response schema: the envelope is the same from every layer.
  reply.serializer((b: unknown) => JSON.stringify(b));
  return error.body(reply.request.id);
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
    case 'FST_UNDER_PRESSURE':
      return new ApiError('service_unavailable', 'The server is busy. Retry after the time in `Retry-After`.', undefined, {}, { 'retry-after': String(SHED_RETRY_AFTER_SECONDS) });
    case 'FST_ERR_BAD_URL':
      return new ApiError('bad_request', 'The path is not valid percent-encoded UTF-8.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // a path id over the router's limit (200 characters) cannot name anything (docs/api-notes.md)
      return new ApiError('resource_not_found', 'No such resource.');
    case 'FST_ERR_CTP_INVALID_CONTENT_TYPE':
    case 'FST_ERR_CTP_MISSING_CONTENT_TYPE':
      return new ApiError('unsupported_media_type', 'Send request bodies as JSON with `Content-Type: application/json`.', 'Content-Type');
  }
  if (err.statusCode === 413) return new ApiError('payload_too_large', 'The request body is larger than 1 MiB.');
  if (err.statusCode === 415) return new ApiError('unsupported_media_type', 'Send request bodies as JSON with `Content-Type: application/json`.', 'Content-Type');
  if (err.statusCode === 400 && err instanceof SyntaxError) return new ApiError('invalid_json', 'The request body is not valid JSON.');
  // Static files (@fastify/static): a path that leaves the folder, a dot file, a file that is not there.
  if (err.statusCode === 403 || err.statusCode === 404) return new ApiError('route_not_found', 'No such file.');
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return new ApiError('bad_request', 'The request could not be served as sent.');
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
  // Node answers an `Expect` other than 100-continue with a bare 417 of its own, outside the envelope; the
  // expectation is ignored instead (RFC 9110 §10.1.1 allows it) and the request answered as any other.
  app.server.on('checkExpectation', (req, res) => app.server.emit('request', req, res));
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

  // While the server closes (SIGTERM), requests still arriving on open connections get the envelope's 503 and
  // the connection is closed (Fastify's own answer for this is not in the envelope: return503OnClosing is off).
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (req, reply, done) => {
    if (closing) {
      reply.header('connection', 'close');
      return sendError(reply, new ApiError('service_unavailable', 'The server is restarting. Retry after the time in `Retry-After`.', undefined, {}, { 'retry-after': String(SHED_RETRY_AFTER_SECONDS) }));
    }
    reply.header('x-request-id', req.id);
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
    done();
  });

  // A path with no route is answered here, before its body is read (whatever the method: QUERY and PROPFIND too).
  app.addHook('onRequest', (req, reply, done) => {
    if (!req.is404) return done();
    noRoute(req, reply);
  });

  app.removeAllContentTypeParsers();
  const parseJson = (_req: unknown, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
    let text: string;
    try {
      // Bodies that are not valid UTF-8 are refused, never stored with U+FFFD in place of the bad bytes (API.md §5).
      text = strictUtf8.decode(body as Buffer);
    } catch {
      return done(new ApiError('invalid_json', 'The request body is not valid UTF-8.'), undefined);
    }
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ApiError('invalid_json', 'The request body is not valid JSON.'), undefined);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, parseJson);
  app.addContentTypeParser(/^application\/[a-z0-9.+-]*\+json$/, { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, parseJson);
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => {
    // A body we cannot read is refused; an empty one (a bare POST) is simply no body.
    if ((body as Buffer).length === 0) return done(null, undefined);
    done(new ApiError('unsupported_media_type', 'Send request bodies as JSON with `Content-Type: application/json`.', 'Content-Type'), undefined);
  });

  // The text rule (API.md §5) for every part of every request, before the route's own validation.
  app.addHook('preValidation', (req, reply, done) => {
    const schema = req.routeOptions.schema as Partial<Record<RequestPart, z.ZodType>> | undefined;
    const refusal = textRefusal('params', req.params) ?? queryEncodingRefusal(req.url) ?? textRefusal('querystring', req.query) ?? textRefusal('body', req.body, schema?.body);
    if (!refusal) return done();
    hooks.onRefusal?.(req, refusal);
    sendError(reply, refusal);
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err.code === 'ECONNRESET' || err.code === 'ERR_STREAM_PREMATURE_CLOSE' || req.raw.socket?.destroyed) {
      // The client went away (or was cut off by a timeout) while its body was arriving: not our error.
      req.log.info({ code: err.code }, 'client went away');
      return sendError(reply, new ApiError('bad_request', 'The request was cut off before its body arrived.'));
    }
    const known = toApiError(err);
    if (known) {
      hooks.onRefusal?.(req, known);
      return sendError(reply, known);
    }
    hooks.onError(req, err);
    return sendError(reply, new ApiError('internal_error', 'Something went wrong on our side. Quote the request id if you contact support.'));
  });

  const noRoute = (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0]!;
    const allowed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => routes.find(m as 'GET', path));
    if (allowed.length) {
      if (allowed.includes('GET')) allowed.splice(1, 0, 'HEAD');
      const code: ErrorCode = 'method_not_allowed';
      const method = /^[A-Z-]{1,20}$/.test(req.method) ? req.method : 'This method';
      return sendError(reply, new ApiError(code, `${method} is not allowed on this path. Allowed: ${allowed.join(', ')}.`, undefined, {}, { allow: allowed.join(', ') }));
    }
    const shown = path.length > 100 ? `${path.slice(0, 100)}…` : path;
    return sendError(reply, new ApiError('route_not_found', `No route ${req.method} ${shown}.`));
  };
  app.setNotFoundHandler((req, reply) => noRoute(req, reply));
}

/**
 * Answers on Node's own response object, before Fastify sees the request (the front door: load shedding, a
 * request without `Host`), in the same envelope and with the same transport headers as every other answer.
 */
export function writeRawError(req: { headers: Record<string, string | string[] | undefined> }, res: import('node:http').ServerResponse, error: ApiError): void {
  const id = requestIdFor(req);
  const body = JSON.stringify(error.body(id));
  res.writeHead(error.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': id,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...error.headers,
  });
  res.end(body);
}

/** Sockets whose current request was answered before its body had arrived (see prepareError). */
const answeredEarly = new WeakSet<object>();

/** Seconds a shed request is told to wait (`Retry-After` on `503 service_unavailable`). */
export const SHED_RETRY_AFTER_SECONDS = 1;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Fastify's `frameworkErrors`: errors raised before routing (a path that is not valid percent-encoding, a path
 * id over the router's length limit) answered in the envelope like every other error.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (err, _req, reply) => {
  sendError(reply, toApiError(err as Error & { code?: string }) ?? new ApiError('bad_request', 'The request could not be read.'));
};

/**
 * Node's `clientError` (through Fastify's `clientErrorHandler`): malformed HTTP, headers over the size limit
 * and requests that did not arrive within the timeouts are answered in the envelope on the raw socket
 * (`400 bad_request`, `431 header_too_large`, `408 request_timeout`) and the connection is closed. A client
 * that went away (reset, abort) is logged at `info`: it is not our error. Nothing of the request is logged.
 */
export function clientErrorHandler(this: { log: FastifyBaseLogger }, err: Error & { code?: string }, socket: Socket): void {
  const log = this.log;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' && answeredEarly.has(socket)) {
    log.info({ code: err.code }, 'client never sent the rest of a refused request');
    socket.destroy();
    return;
  }
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || socket.destroyed) {
    log.info({ code: err.code }, 'client went away');
    return;
  }
  const error = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? new ApiError('request_timeout', 'The request did not arrive in time: send the headers and body promptly.')
    : err.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError('header_too_large', 'The request headers are too large (16 KiB in all).')
      : new ApiError('bad_request', 'The request is not valid HTTP.');
  log.info({ code: err.code, status: error.status }, 'client error');
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !response?.headersSent) {
    const id = requestIdFor({ headers: {} });
    const body = JSON.stringify(error.body(id));
    socket.write(`HTTP/1.1 ${error.status} ${STATUS_TEXT[error.status] ?? 'Error'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${id}\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };
