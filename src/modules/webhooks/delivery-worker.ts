import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { runTransaction } from '../../db/transaction.js';
import { newId } from '../../lib/ids.js';
import { eventsAfter, findEvent, type FeedPosition } from '../events/events.repo.js';
import { EVENT_RETENTION_MS, pruneEvents, toEventView } from '../events/events.service.js';
import * as repo from './webhooks.repo.js';
import { wantsEvent } from './webhooks.schemas.js';
import { signingSecrets } from './webhooks.service.js';
import { signedHeaders } from './webhook-signing.js';
import { failingTooLong, nextAttemptAt } from './delivery-schedule.js';
import type { AttemptResult, WebhookSender } from './send-webhook.js';

export interface DeliveryWorkerOptions {
  database: Database;
  sender: WebhookSender;
  /** The app's clock (epoch ms): due times, backoff, the 3-day window. Tests move it instead of sleeping. */
  clock: () => number;
  /** The `webhook-timestamp` clock: real time, since receivers check it against their own (±5 minutes). */
  signingClock?: () => number;
  /** Idle wait between polls (ms). */
  pollMs?: number;
  /** Deliveries sent at once per instance. */
  concurrency?: number;
  /** How long a claimed delivery is held before another instance may take it (longer than any attempt). */
  leaseMs?: number;
  /** How often retention runs (events older than 30 days, and the attempts log). */
  pruneEveryMs?: number;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** How long `stop` waits for attempts in flight before aborting them (an aborted attempt is not recorded). */
  stopGraceMs?: number;
  onError?: (err: unknown) => void;
}

const FANOUT_BATCH = 500;

/**
 * The webhook worker each server instance runs (DESIGN.md "Events, workers and messages"). A loop that:
 * 1. fans new events out of the outbox, in feed order from a stored position, into one `webhook_deliveries`
 *    row per matching enabled endpoint (created no later than the event), in one transaction with the
 *    position, so each event is fanned out once (on PostgreSQL one instance at a time: the position row is
 *    taken with `FOR UPDATE SKIP LOCKED`);
 * 2. claims due deliveries (a lease; `SKIP LOCKED` on PostgreSQL so instances share them), signs and sends
 *    them, and records each attempt with the delivery's new state (and the endpoint's failure record) in one
 *    transaction: an attempt is recorded whole or not at all;
 * 3. prunes events and the attempt log past 30 days, now and then.
 * `stop()` stops claiming, lets attempts in flight finish and be recorded (aborting, unrecorded, those still
 * running after the grace), and resolves when nothing is left half done.
 */
export function deliveryWorker(opts: DeliveryWorkerOptions) {
  const { database, sender, clock } = opts;
  const postgres = database.dialect === 'postgres';
  const signingClock = opts.signingClock ?? Date.now;
  const pollMs = opts.pollMs ?? 250;
  const concurrency = opts.concurrency ?? 16;
  const leaseMs = opts.leaseMs ?? 120_000;
  const pruneEveryMs = opts.pruneEveryMs ?? 3_600_000;
  const random = opts.random ?? Math.random;
  const onError = opts.onError ?? (() => undefined);
  const shutdown = new AbortController();
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let lastPrune = -Infinity;

  /** Step 1: one batch of new events into deliveries. Returns how many events it read. */
  async function fanOut(): Promise<number> {
    // A read first: an idle instance takes no write lock (SQLite has one writer for everything).
    const seen = await repo.fanoutPosition(database.db, false);
    if (!seen || !(await eventsAfter(database.db, seen, 1)).length) return 0;
    return runTransaction(database, async (trx) => {
      const position = await repo.fanoutPosition(trx, postgres);
      if (!position) return 0; // another instance is fanning out right now
      const events = await eventsAfter(trx, position, FANOUT_BATCH);
      if (!events.length) return 0;
      const endpoints = await repo.enabledEndpointsOf(trx, [...new Set(events.map((e) => e.org_id))]);
      const now = clock();
      const rows = [];
      for (const event of events) {
        for (const endpoint of endpoints) {
          if (endpoint.org_id !== event.org_id || endpoint.created_at > event.created_at) continue;
          if (!wantsEvent(JSON.parse(endpoint.enabled_events) as string[], event.type)) continue;
          rows.push({
            id: newId('dlv'), org_id: event.org_id, endpoint_id: endpoint.id, event_id: event.id, status: 'pending' as const, attempts: 0,
            next_attempt_at: now, scheduled_at: now, last_attempt_at: null, last_status_code: null, created_at: now, updated_at: now,
          });
        }
      }
      for (let i = 0; i < rows.length; i += 200) await repo.insertDeliveries(trx, rows.slice(i, i + 200));
      const last = events[events.length - 1]!;
      await repo.setFanoutPosition(trx, [Number(last.tx), Number(last.seq)] as FeedPosition);
      return events.length;
    });
  }

  // Attempts in flight, and finished attempts waiting to be recorded. Recording takes them in batches, one
  // transaction each (one commit, so one disk flush on SQLite, for many attempts), while other sends go on.
  const inFlight = new Set<Promise<void>>();
  let toRecord: { delivery: repo.DeliveryRow; result: AttemptResult; at: number; finished: number }[] = [];
  let recording: Promise<void> | undefined;

  function flushRecords(): Promise<void> {
    recording ??= (async () => {
      while (toRecord.length) {
        const batch = toRecord;
        toRecord = [];
        try {
          await runTransaction(database, async (trx) => {
            for (const r of batch) await record(trx, r);
          });
        } catch {
          // One of them could not be recorded (e.g. its endpoint was deleted meanwhile): record the rest one by one.
          for (const r of batch) await runTransaction(database, (trx) => record(trx, r)).catch(onError);
        }
      }
    })().finally(() => { recording = undefined; });
    return recording;
  }

  /** Step 2: claims as many due deliveries as there are free sending slots and starts them. Returns how many. */
  async function deliverDue(): Promise<number> {
    const free = concurrency - inFlight.size;
    if (free <= 0) return 0;
    const now = clock();
    if (!(await repo.anyDueDelivery(database.db, now))) return 0;
    const claimed = await runTransaction(database, (trx) => repo.claimDueDeliveries(trx, postgres, now, now + leaseMs, free));
    for (const d of claimed) {
      const p: Promise<void> = attempt(d).catch(onError).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    return claimed.length;
  }

  /** Resolves once every attempt started so far has finished and been recorded. */
  async function settle(): Promise<void> {
    while (inFlight.size || toRecord.length || recording) {
      await Promise.all([...inFlight]);
      await flushRecords();
    }
  }

  async function attempt(delivery: repo.DeliveryRow): Promise<void> {
    const [event, endpoint] = await Promise.all([
      findEvent(database.db, delivery.org_id, delivery.event_id),
      repo.findEndpoint(database.db, delivery.org_id, delivery.endpoint_id),
    ]);
    if (!event || !endpoint) return; // pruned or deleted meanwhile: its row went with it
    const body = JSON.stringify(toEventView(event));
    const headers = signedHeaders(signingSecrets(endpoint, clock()), event.id, new Date(signingClock()), body);
    const at = clock();
    const result = await sender.send(endpoint.url, headers, body, shutdown.signal);
    if (result.error === 'aborted') {
      // Stopped mid-attempt: nothing is recorded, and the delivery falls due again at once for the next instance.
      await repo.updateDelivery(database.db, delivery.org_id, delivery.id, { next_attempt_at: clock() }).catch(onError);
      return;
    }
    toRecord.push({ delivery, result, at, finished: clock() });
    void flushRecords();
  }

  /**
   * The attempt (made at `at`), the delivery's new state (the next try counted from when the attempt `finished`)
   * and the endpoint's failure record, inside the recording transaction.
   */
  async function record(trx: Kysely<DB>, { delivery, result, at, finished }: { delivery: repo.DeliveryRow; result: AttemptResult; at: number; finished: number }): Promise<void> {
    const current = await repo.findDelivery(trx, delivery.org_id, delivery.id);
    if (!current) return; // endpoint deleted while sending
    const attempts = current.attempts + 1;
    await repo.insertAttempt(trx, delivery.org_id, {
      id: newId('att'), endpoint_id: delivery.endpoint_id, delivery_id: delivery.id, event_id: delivery.event_id, attempt: attempts,
      attempted_at: at, outcome: result.ok ? 'succeeded' : 'failed', status_code: result.statusCode, error: result.error,
      latency_ms: result.latencyMs, response_excerpt: result.excerpt,
    });
    const next = result.ok ? null : nextAttemptAt(attempts, finished, current.scheduled_at, random());
    await repo.updateDelivery(trx, delivery.org_id, delivery.id, {
      attempts, last_attempt_at: at, last_status_code: result.statusCode, updated_at: at,
      status: result.ok ? 'succeeded' : next === null ? 'failed' : 'pending', next_attempt_at: next,
    });
    const endpoint = await repo.findEndpoint(trx, delivery.org_id, delivery.endpoint_id);
    if (!endpoint) return;
    if (result.ok) {
      if (endpoint.failing_since !== null) await repo.updateEndpoint(trx, delivery.org_id, endpoint.id, { failing_since: null });
    } else {
      const since = endpoint.failing_since ?? at;
      // Failed every attempt for 3 days: either the run of failures is that long, or a delivery just used up
      // its whole 3-day window without the endpoint succeeding once since it was scheduled.
      const wholeWindowFailed = next === null && since <= current.scheduled_at;
      if (endpoint.status === 'enabled' && (failingTooLong(since, at) || wholeWindowFailed)) {
        await repo.updateEndpoint(trx, delivery.org_id, endpoint.id, { status: 'disabled', disabled_reason: 'failing', disabled_at: at, failing_since: since, updated_at: Math.max(at, endpoint.updated_at + 1) });
      } else if (endpoint.failing_since === null) {
        await repo.updateEndpoint(trx, delivery.org_id, endpoint.id, { failing_since: at });
      }
    }
  }

  /** Step 3: retention, at most once per `pruneEveryMs`. */
  async function pruneIfDue(): Promise<void> {
    const now = clock();
    if (now - lastPrune < pruneEveryMs) return;
    lastPrune = now;
    await pruneEvents(database, now);
    while ((await repo.pruneAttemptsBefore(database.db, now - EVENT_RETENTION_MS, 1000)) === 1000) { /* next batch */ }
  }

  /**
   * One pass: fan out, start what is due, prune when due. Driven by hand (tests), it also waits until the
   * attempts it started are recorded; the loop instead goes on while they are in flight.
   */
  async function runOnce(): Promise<{ fannedOut: number; attempted: number }> {
    const fannedOut = await fanOut();
    const attempted = running || !loop ? await deliverDue() : 0;
    await pruneIfDue();
    if (!running) await settle();
    return { fannedOut, attempted };
  }

  async function run(): Promise<void> {
    while (running) {
      let busy = false;
      try {
        const done = await runOnce();
        // A full fan-out batch means more is waiting: go on at once. A partial one waits for the next poll, so a
        // steady stream of changes is fanned out a few times a second, not once per change (each is a commit).
        busy = done.fannedOut >= FANOUT_BATCH || done.attempted > 0;
      } catch (err) {
        onError(err);
      }
      if (running && !busy) await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wake = () => { clearTimeout(t); resolve(); };
      });
    }
  }

  return {
    runOnce,
    /** Starts the loop (idempotent). */
    start(): void {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Runs the next pass now instead of after the idle wait. */
    poke(): void {
      wake?.();
    },
    /** Stops the loop; resolves once attempts in flight are recorded (or, after the grace, aborted unrecorded). */
    async stop(): Promise<void> {
      running = false;
      wake?.();
      const grace = setTimeout(() => shutdown.abort(), opts.stopGraceMs ?? 5_000);
      try {
        await loop;
        await settle();
      } finally {
        clearTimeout(grace);
        loop = undefined;
      }
    },
  };
}

export type DeliveryWorker = ReturnType<typeof deliveryWorker>;
