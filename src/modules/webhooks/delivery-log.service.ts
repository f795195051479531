import type { Database } from '../../db/connect.js';
import { ApiError, notFound } from '../../http/errors.js';
import { iso } from '../../http/schemas.js';
import { newId } from '../../lib/ids.js';
import { findEvent } from '../events/events.repo.js';
import { EVENT_RETENTION_MS } from '../events/events.service.js';
import * as repo from './webhooks.repo.js';
import { wantsEvent } from './webhooks.schemas.js';
import { requireEndpoint } from './webhooks.service.js';

/** One attempt as the Hub's delivery log shows it. */
export interface AttemptView {
  id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  attempted_at: string;
  outcome: 'succeeded' | 'failed';
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  response_excerpt: string | null;
}

/**
 * The endpoint's delivery log, newest first, over the last 30 days (API.md §9): every attempt with its time,
 * HTTP status (or why there was none), latency and the start of the answer. Paged by `before` (an attempt id
 * from the previous page). `404` for another org's endpoint.
 */
export async function listAttempts(database: Database, orgId: string, endpointId: string, now: number, q: { limit: number; before?: string }) {
  await requireEndpoint(database, orgId, endpointId);
  let before: [number, string] | undefined;
  if (q.before) {
    const row = await database.db.selectFrom('webhook_attempts').select(['attempted_at', 'id']).where('org_id', '=', orgId).where('id', '=', q.before).executeTakeFirst();
    if (!row) throw new ApiError('parameter_invalid', 'Unknown attempt to page from.', 'before');
    before = [row.attempted_at, row.id];
  }
  const rows = await repo.listAttempts(database.db, orgId, endpointId, now - EVENT_RETENTION_MS, q.limit + 1, before);
  const data: AttemptView[] = rows.slice(0, q.limit).map((r) => ({
    id: r.id, event_id: r.event_id, event_type: r.event_type, attempt: r.attempt, attempted_at: iso(r.attempted_at), outcome: r.outcome,
    status_code: r.status_code, error: r.error, latency_ms: r.latency_ms, response_excerpt: r.response_excerpt,
  }));
  return { object: 'list' as const, data, has_more: rows.length > q.limit, counts: await repo.countDeliveries(database.db, orgId, endpointId) };
}

/** Sends one event to the endpoint again, now (a new 3-day window). `404` for an unknown endpoint or event. */
export async function resendEvent(database: Database, orgId: string, endpointId: string, eventId: string, now: number): Promise<{ scheduled: number }> {
  await requireEndpoint(database, orgId, endpointId);
  const event = await findEvent(database.db, orgId, eventId);
  if (!event) throw notFound('event', 'event_id');
  await repo.scheduleDeliveries(database.db, orgId, endpointId, [{ id: event.id, deliveryId: newId('dlv') }], now);
  return { scheduled: 1 };
}

const REPLAY_BATCH = 500;

/**
 * Schedules every event since `since` (epoch ms, at most 30 days back) that the endpoint listens for, oldest
 * first, whether or not it was delivered before: receivers de-duplicate by `webhook-id`. Returns how many.
 */
export async function replaySince(database: Database, orgId: string, endpointId: string, since: number, now: number): Promise<{ scheduled: number }> {
  const endpoint = await requireEndpoint(database, orgId, endpointId);
  if (since > now) throw new ApiError('parameter_invalid', 'Choose a time in the past.', 'since');
  const enabled = JSON.parse(endpoint.enabled_events) as string[];
  let scheduled = 0;
  let after: [number, string] | undefined;
  for (;;) {
    let q = database.db.selectFrom('events').select(['id', 'type', 'created_at']).where('org_id', '=', orgId)
      .where('created_at', '>=', Math.max(since, now - EVENT_RETENTION_MS)).where('created_at', '<=', now);
    if (after) q = q.where((eb) => eb.or([eb('created_at', '>', after![0]), eb.and([eb('created_at', '=', after![0]), eb('id', '>', after![1])])]));
    const rows = await q.orderBy('created_at').orderBy('id').limit(REPLAY_BATCH).execute();
    const wanted = rows.filter((r) => wantsEvent(enabled, r.type)).map((r) => ({ id: r.id, deliveryId: newId('dlv') }));
    await repo.scheduleDeliveries(database.db, orgId, endpointId, wanted, now);
    scheduled += wanted.length;
    if (rows.length < REPLAY_BATCH) return { scheduled };
    const last = rows[rows.length - 1]!;
    after = [last.created_at, last.id];
  }
}
