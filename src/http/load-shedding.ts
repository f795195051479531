import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import underPressure from '@fastify/under-pressure';
import { ApiError } from './errors.js';
import { writeRawError, SHED_RETRY_AFTER_SECONDS } from './core.js';

/**
 * Lag alone is not overload: one slow request (the OpenAPI document, a big export) lags the loop too, and on a
 * small shared machine so does CPU starvation (a page load's burst of requests then looks like a queue). Lag
 * sheds only while requests are piling up: at least this many in flight, or arriving within one 100 ms window.
 */
const MIN_IN_FLIGHT_TO_SHED = 16;
const MIN_ARRIVALS_TO_SHED = 64;
const ARRIVAL_WINDOW_MS = 100;

/** Paths that are never shed: a load balancer must still see a busy instance as alive and ready. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

export interface LoadShedder {
  /** Registers `@fastify/under-pressure` on the app: it samples the event loop's delay every 50 ms. */
  register(app: FastifyInstance): Promise<void>;
  /**
   * The front door, called for every request before Fastify sees it: answers `503 service_unavailable` with
   * `Retry-After` (true) or lets the request through (false).
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * Load shedding (docs/operations.md). While the event loop's mean delay is over `maxEventLoopDelayMs`, each new
 * request is shed with a probability that grows with the lag: 0 at the threshold, 1 at four times it. Shedding
 * a share rather than everything keeps the process serving at the rate it can sustain (the lag settles between
 * the two marks) instead of flipping between "serve all" and "serve none". Independently, a request that finds
 * `maxInFlight` requests already admitted and unanswered is shed at once: the lag is a sampled signal and a
 * burst of thousands of connections arrives faster than any sample (0 turns either rule off).
 *
 * The decision is taken at the server's front door, before routing, hooks, authentication or the body: with
 * thousands of connections each waiting request stands behind every other one (Little's law), so what a shed
 * request costs is what the served ones wait. The measurement is `@fastify/under-pressure`'s. Probes are never
 * shed. `random` (for tests) draws in [0, 1); `maxEventLoopDelayMs` 0 turns shedding off.
 */
export function loadShedder(opts: { maxEventLoopDelayMs: number; maxInFlight: number; random?: () => number }): LoadShedder {
  const threshold = opts.maxEventLoopDelayMs;
  const maxInFlight = opts.maxInFlight;
  let inFlight = 0;
  let windowStart = 0;
  let windowArrivals = 0;
  let lastWindowArrivals = 0;
  const done = () => { inFlight--; };
  const random = opts.random ?? Math.random;
  const error = new ApiError('service_unavailable', 'The server is busy. Retry after the time in `Retry-After`.', undefined, {}, { 'retry-after': String(SHED_RETRY_AFTER_SECONDS) });
  let lagMs = (): number => 0;
  return {
    async register(app) {
      if (threshold <= 0) return;
      // Measurement only (no thresholds given): the decision is ours, at the front door.
      await app.register(underPressure, { sampleInterval: 50 });
      lagMs = () => app.memoryUsage().eventLoopDelay;
    },
    admit(req, res) {
      if (threshold <= 0 && maxInFlight <= 0) return false;
      const lag = lagMs();
      const now = Date.now();
      if (now - windowStart >= ARRIVAL_WINDOW_MS) {
        lastWindowArrivals = now - windowStart < 2 * ARRIVAL_WINDOW_MS ? windowArrivals : 0;
        windowStart = now;
        windowArrivals = 0;
      }
      windowArrivals++;
      const busy = inFlight >= MIN_IN_FLIGHT_TO_SHED || Math.max(windowArrivals, lastWindowArrivals) >= MIN_ARRIVALS_TO_SHED;
      const overLag = threshold > 0 && busy && lag > threshold && random() < (lag - threshold) / (3 * threshold);
      const overCap = maxInFlight > 0 && inFlight >= maxInFlight;
      if (!overLag && !overCap) {
        inFlight++;
        res.once('close', done);
        return false;
      }
      const path = req.url?.split('?')[0] ?? '';
      if (PROBES.has(path)) return false;
      writeRawError(req, res, error);
      return true;
    },
  };
}
