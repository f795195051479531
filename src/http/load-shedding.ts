import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors.js';
import { writeRawError, SHED_RETRY_AFTER_SECONDS } from './core.js';

/**
 * A queue at the door: more than this many requests arrived within one event-loop turn. Up to it nothing is
 * shed by time, however slow (one big export, a page's burst of twenty requests, a machine starved of CPU).
 */
const QUEUED_ARRIVALS = 64;
/** Arrivals within one turn that make a request waiting downstream (the database pool) count as a queue. */
const ARRIVALS_FOR_WAIT_RULE = 8;
/** The wait rule's limit, in turns' budgets: 25 ms of budget ⇒ 100 ms. */
const WAIT_BUDGETS = 4;
/** How many admitted requests must have waited past that limit: one slow request (a big export) is not a queue. */
const WAITING_OVER = 8;

/** Paths that are never shed: a load balancer must still see a busy instance as alive and ready. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

export interface LoadShedder {
  /**
   * The front door, called for every request before Fastify sees it: answers `503 service_unavailable` with
   * `Retry-After` (true) or lets the request through (false).
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * Load shedding (docs/operations.md). With thousands of connections each waiting request stands behind every
 * other one (Little's law), so what the served requests wait is decided by how much work the process takes on
 * per turn of its event loop. Three rules, each checked at the server's front door before routing, hooks,
 * authentication or the body, so a shed request costs next to nothing:
 *
 * 1. **Turn budget.** Once `maxEventLoopDelayMs` has passed since the first request of the current event-loop
 *    turn (its I/O phase: every socket that became readable) and more than 64 requests have arrived in it,
 *    the rest of that turn's arrivals are shed. This bounds the delay the turn adds to everything behind it.
 * 2. **Waiting downstream.** While requests keep arriving (8 in the turn), a new one is shed if 8 admitted
 *    requests without a body have been unanswered for over 4 × `maxEventLoopDelayMs` (100 ms by default): the
 *    work is queueing below the event loop (the database pool), where rule 1 cannot see it.
 *    Requests with a body are left out: a slow upload is bounded by the request timeout, not by this.
 * 3. **In flight.** A request that finds `maxInFlight` requests admitted and unanswered is shed at once.
 *
 * The event loop's sampled lag (`@fastify/under-pressure`) was the first signal and was measured worse: it
 * is a mean over a past window, so under a flood it reacted late and shed in waves, and the requests it served
 * waited longer than with no shedding at all (docs/operations.md has the figures). Probes are never shed.
 * `maxEventLoopDelayMs` 0 turns rules 1 and 2 off, `maxInFlight` 0 rule 3. `now` (ms, monotonic) is for tests.
 */
export function loadShedder(opts: { maxEventLoopDelayMs: number; maxInFlight: number; now?: () => number }): LoadShedder {
  const budget = opts.maxEventLoopDelayMs;
  const maxWait = WAIT_BUDGETS * budget;
  const maxInFlight = opts.maxInFlight;
  const now = opts.now ?? (() => performance.now());
  const error = new ApiError('service_unavailable', 'The server is busy. Retry after the time in `Retry-After`.', undefined, {}, { 'retry-after': String(SHED_RETRY_AFTER_SECONDS) });

  let inFlight = 0;
  const done = () => { inFlight--; };

  // The current turn: opened by its first request, closed by the check phase that follows its I/O phase.
  let turnOpen = false;
  let turnStart = 0;
  let turnArrivals = 0;
  const closeTurn = () => { turnOpen = false; };

  // Admitted requests without a body and still unanswered, oldest first (a Set keeps insertion order): each leaves
  // when its response closes, so the set is never larger than the requests in flight.
  const waiting = new Set<{ since: number }>();
  /** At least WAITING_OVER requests admitted before `t - maxWait` are still unanswered (a queue, not one slow request). */
  const queueBelow = (t: number): boolean => {
    let over = 0;
    for (const entry of waiting) {
      if (t - entry.since <= maxWait) return false;
      if (++over >= WAITING_OVER) return true;
    }
    return false;
  };

  return {
    admit(req, res) {
      if (budget <= 0 && maxInFlight <= 0) return false;
      const t = now();
      if (!turnOpen) {
        turnOpen = true;
        turnStart = t;
        turnArrivals = 0;
        setImmediate(closeTurn);
      }
      turnArrivals++;
      const overBudget = budget > 0 && turnArrivals > QUEUED_ARRIVALS && t - turnStart > budget;
      const waitedTooLong = budget > 0 && turnArrivals >= ARRIVALS_FOR_WAIT_RULE && queueBelow(t);
      const overCap = maxInFlight > 0 && inFlight >= maxInFlight;
      if (!overBudget && !waitedTooLong && !overCap) {
        inFlight++;
        res.once('close', done);
        if (budget > 0 && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
          const entry = { since: t };
          waiting.add(entry);
          res.once('close', () => waiting.delete(entry));
        }
        return false;
      }
      const path = req.url?.split('?')[0] ?? '';
      if (PROBES.has(path)) return false;
      writeRawError(req, res, error);
      return true;
    },
  };
}
