import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { DestinationStream } from 'pino';
import { serializerCompiler } from './http/serializer.js';
import type { Config } from './config.js';
import type { Database } from './db/connect.js';
import { loadServerSecret, migrationsCurrent } from './db/migrate.js';
import { registerCore, requestIdFor, MAX_BODY_BYTES, clientErrorHandler, frameworkErrors, writeRawError } from './http/core.js';
import { ApiError } from './http/errors.js';
import { loadShedder } from './http/load-shedding.js';
import { sendStaleBatches } from './db/change-signal.js';
import http from 'node:http';
import https from 'node:https';
import { registerHttpsPolicy } from './http/https-policy.js';
import { validatorCompiler } from './http/validation.js';
import { swaggerOptions, swaggerUiOptions } from './http/openapi.js';
import { fillLiveExamples } from './http/examples.js';
import { loggerOptions, scrub } from './http/logging.js';
import { createMetrics, registerMetricsRoute } from './http/metrics.js';
import { cursorCodec } from './http/pagination.js';
import { memoryRateLimiter, redisRateLimiter, type RateLimiter } from './http/rate-limit.js';
import { v1Routes } from './http/v1.js';
import { activeKeyLookup } from './modules/api-keys/api-keys.repo.js';
import { lastUsedTracker } from './modules/api-keys/last-used.js';
import { hubRoutes } from './modules/hub/index.js';
import { onlineBookingRoutes } from './modules/online/index.js';
import { messageWorker } from './modules/messages/message-worker.js';
import { deliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from './modules/webhooks/delivery-worker.js';
import { webhookSender } from './modules/webhooks/send-webhook.js';
import { createCaches, dropCaches } from './caches.js';

export interface AppDeps {
  config: Config;
  database: Database;
  clock?: () => number;
  logStream?: DestinationStream;
  limiter?: RateLimiter;
  /** Certificate and key contents: the process then speaks HTTPS itself (TLS_CERT_FILE / TLS_KEY_FILE). */
  https?: { cert: Buffer; key: Buffer };
  /**
   * Run this instance's background workers (client messages, webhook deliveries) in loops. The server process
   * does; an app embedded elsewhere (tests, the operator's command) drives them with `app.messages.tick()` and
   * `app.webhookWorker.runOnce()`, or not at all.
   */
  workers?: boolean;
  /** Webhook delivery knobs for tests: `timeoutMs` shortens the 10 s attempt timeout; backoff randomness, clocks. */
  webhooks?: { timeoutMs?: number } & Partial<Pick<DeliveryWorkerOptions, 'pollMs' | 'random' | 'signingClock' | 'leaseMs' | 'stopGraceMs'>>;
}

/** The accept queue the server process listens with (see src/main.ts). */
export const LISTEN_BACKLOG = 4096;

/** The app as a plugin tree: no listening, no process concerns (those live in main.ts). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const clock = deps.clock ?? Date.now;
  // Every phase of a request is bounded (docs/operations.md): headers, the whole request, an idle socket.
  const { requestTimeoutMs, headersTimeoutMs, shedMaxEventLoopDelayMs, shedMaxInFlight } = config.limits;
  const serverOptions = { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs), maxHeaderSize: 16 * 1024, keepAliveTimeout: 72_000, requireHostHeader: false };
  const shedder = loadShedder({ maxEventLoopDelayMs: shedMaxEventLoopDelayMs, maxInFlight: shedMaxInFlight });
  const app = Fastify({
    // Our own server, so that load shedding answers at the front door (src/http/load-shedding.ts).
    serverFactory: (handler) => {
      const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
        // HTTP/1.1 requires Host (RFC 9112 §3.2); Node's own refusal of a request without one is a bare 400.
        if (req.headers.host === undefined && req.httpVersion === '1.1') return writeRawError(req, res, new ApiError('bad_request', 'An HTTP/1.1 request needs a `Host` header.', 'Host'));
        // Each arrival also sends any key-lookup batch left waiting (src/db/change-signal.ts: a flood's turn runs
        // no timers).
        sendStaleBatches();
        if (!shedder.admit(req, res)) handler(req, res);
      };
      const server = deps.https ? https.createServer({ ...deps.https, ...serverOptions }, listener) : http.createServer(serverOptions, listener);
      server.setTimeout(2 * requestTimeoutMs);
      return server;
    },
    clientErrorHandler,
    frameworkErrors,
    logger: loggerOptions(config.logLevel, deps.logStream),
    // One line per request is written by our onResponse hook (route template, not URL).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    bodyLimit: MAX_BODY_BYTES,
    genReqId: (req) => requestIdFor(req),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 16 * 1024 },
    return503OnClosing: false, // answered in the envelope by src/http/core.ts
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = createMetrics();
  const limiter = deps.limiter ?? (config.redisUrl ? redisRateLimiter(config.redisUrl) : memoryRateLimiter());
  const lastUsed = lastUsedTracker(database, clock);
  const caches = createCaches(database);
  app.decorate('lastUsed', lastUsed);

  registerHttpsPolicy(app, { tls: !!config.tls, trustProxy: config.trustProxy, allowLoopbackHttp: config.allowLoopbackHttp });
  registerCore(app, {
    onError: (req, err) => req.log.error({ err: { type: (err as Error)?.name, message: scrub(String((err as Error)?.message)), stack: (err as Error)?.stack } }, 'unhandled error'),
    onRefusal: (_req, err) => {
      if (err.code === 'slot_unavailable') metrics.bookingConflicts.inc({ reason: String(err.extra.reason) });
      if (err.code === 'missing_api_key' || err.code === 'invalid_api_key' || err.code === 'insufficient_scope') metrics.authFailures.inc({ code: err.code });
    },
  });

  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.observeRequest(route, req.method, reply.statusCode, seconds);
    req.log.info({ route, method: req.method, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, org: req.principal?.orgId, key: req.principal?.keyId }, 'request');
    done();
  });

  await app.register(fastifySwagger, swaggerOptions(config.publicUrl));
  await app.register(fastifySwaggerUi, swaggerUiOptions(clock));

  const cursors = cursorCodec(await loadServerSecret(database, 'cursor'));
  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => fillLiveExamples(structuredClone(app.swagger()), clock()));
  await app.register(v1Routes({ database, cursors, clock, caches, allowPrivateWebhookUrls: config.webhookAllowPrivateUrls }, {
    lookup: activeKeyLookup(database),
    lastUsed,
    limiter,
    rateLimitPerMinute: config.rateLimitPerMinute,
    authFailuresPerMinute: config.authFailuresPerMinute,
    clock,
  }), { prefix: '/v1' });

  // (never shed: src/http/load-shedding.ts)
  const probe = { schema: { hide: true } };
  app.get('/healthz', probe, async () => ({ status: 'ok' }));
  app.get('/readyz', probe, async (_req, reply) => {
    const ok = await migrationsCurrent(database).catch(() => false);
    reply.code(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'not_ready' };
  });
  registerMetricsRoute(app, metrics);
  await app.register(onlineBookingRoutes({ config, database, clock, limiter, caches }));
  await app.register(hubRoutes({ config, database, clock, limiter, cursors, caches }));

  const messages = messageWorker({ database, clock, log: app.log, publicUrl: config.publicUrl, smtpUrl: config.smtpUrl, mailFrom: config.mailFrom });
  app.decorate('messages', messages);
  const sender = webhookSender({ allowPrivate: config.webhookAllowPrivateUrls, timeoutMs: deps.webhooks?.timeoutMs });
  const { timeoutMs: _timeout, ...workerOptions } = deps.webhooks ?? {};
  const worker = deliveryWorker({
    database, sender, clock, ...workerOptions,
    onError: (err) => app.log.error({ err: { type: (err as Error)?.name, message: scrub(String((err as Error)?.message)) } }, 'webhook worker error'),
  });
  app.decorate('webhookWorker', worker);
  if (deps.workers) {
    app.addHook('onReady', async () => {
      messages.start();
      worker.start();
    });
  }

  app.addHook('onClose', async () => {
    // Workers first: what they have in flight is recorded while the database is still open.
    await messages.stop();
    await worker.stop();
    await sender.close();
    dropCaches(caches);
    await lastUsed.close();
    await limiter.close();
  });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    lastUsed: import('./modules/api-keys/last-used.js').LastUsedTracker;
    messages: import('./modules/messages/message-worker.js').MessageWorker;
    webhookWorker: DeliveryWorker;
  }
}
