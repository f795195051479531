import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import underPressure from '@fastify/under-pressure';
import { ApiError } from './errors.js';
import { prepareError, SHED_RETRY_AFTER_SECONDS } from './core.js';

/**
 * Load shedding (DESIGN.md "load shedding", docs/operations.md): `@fastify/under-pressure` samples the event
 * loop's delay every 50 ms; while its mean is over `maxEventLoopDelayMs`, each new request is shed — answered
 * `503 service_unavailable` with `Retry-After` at once, before authentication or any database work — with a
 * probability that grows with the lag: 0 at the threshold, 1 at four times it. Shedding only some requests keeps
 * the process serving at the rate it can sustain (the lag settles between the two marks) instead of flipping
 * between "serve everything" and "serve nothing"; what is served stays fast because what waits is bounded.
 * Routes whose config sets `pressureHandler: () => undefined` (the probes) are never shed.
 * `random` (for tests) draws in [0, 1).
 */
export async function registerLoadShedding(app: FastifyInstance, opts: { maxEventLoopDelayMs: number; random?: () => number }): Promise<void> {
  const threshold = opts.maxEventLoopDelayMs;
  const random = opts.random ?? Math.random;
  const shed = new ApiError('service_unavailable', 'The server is busy. Retry after the time in `Retry-After`.', undefined, {}, { 'retry-after': String(SHED_RETRY_AFTER_SECONDS) });
  await app.register(underPressure, {
    maxEventLoopDelay: threshold,
    sampleInterval: 50,
    retryAfter: SHED_RETRY_AFTER_SECONDS,
    // under-pressure sends whatever non-nullish value the handler returns (its README); its types say void.
    pressureHandler: ((_req: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined): unknown => {
      const lagMs = type === 'eventLoopDelay' && typeof value === 'number' ? value : Number.POSITIVE_INFINITY;
      const probability = (lagMs - threshold) / (3 * threshold);
      if (random() >= probability) return undefined; // served
      return prepareError(reply, shed);
    }) as (req: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => void,
  });
}
