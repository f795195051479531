import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from './actor.js';
import type { EventType } from './events.types.js';
import * as repo from './events.repo.js';
import type { Database } from '../../db/connect.js';
import { ApiError, notFound } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso } from '../../http/schemas.js';
import { instantMs } from '../../lib/instant.js';
import type { LocationLimit } from '../locations/location-limit.js';
import type { EventView } from './events.schemas.js';

export interface ChangeRecord {
  type: EventType;
  /** The object as `GET` returns it after the change (API.md §8). */
  object: { object: string; id: string } & Record<string, unknown>;
  /** The old values of the fields that changed (see `changedAttributes`). */
  previous_attributes?: Record<string, unknown>;
  /** The locations the change concerns (location-limited keys see only these), or null when org-wide. */
  locationIds: string[] | null;
}

/**
 * The transactional outbox: records a change as an event in the SAME transaction as the change itself, so
 * there is no change without its event and no event without its change (API.md §8, DESIGN.md "Events,
 * workers and messages"). Every write use case calls this once per changed object; consumers (the events
 * feed, webhook deliveries, client messages) read the outbox, never the request.
 */
export async function recordEvent(trx: Kysely<DB>, actor: Actor, change: ChangeRecord): Promise<string> {
  const id = newId('evt');
  const data: Record<string, unknown> = { object: change.object };
  if (change.previous_attributes && Object.keys(change.previous_attributes).length) data.previous_attributes = change.previous_attributes;
  await repo.insertEvent(trx, actor.orgId, {
    id,
    type: change.type,
    source: actor.source,
    request_id: actor.requestId ?? null,
    object_id: change.object.id,
    location_ids: change.locationIds ? JSON.stringify(change.locationIds) : null,
    data: JSON.stringify(data),
    created_at: actor.now,
  });
  return id;
}

/**
 * The old values of the top-level fields that differ between two views of one object (compared as JSON),
 * leaving out bookkeeping (`updated_at`): what an event's `previous_attributes` holds.
 */
export function changedAttributes<T extends Record<string, unknown>>(before: T, after: T, ignore: readonly string[] = ['updated_at']): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(before) as (keyof T & string)[]) {
    if (ignore.includes(key)) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = before[key];
  }
  return out;
}

/**
 * Rewrites the stored data of the events about these objects (e.g. after a UK GDPR erasure, so the change
 * feed no longer holds the erased client's name, contact details or booking notes). The events themselves
 * stay: their ids, types and times are not personal data.
 */
export async function redactEvents(trx: Kysely<DB>, orgId: string, objectIds: string[], redact: (data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> }) => unknown): Promise<void> {
  for (const row of await repo.eventsAbout(trx, orgId, objectIds)) {
    await repo.replaceEventData(trx, orgId, row.id, JSON.stringify(redact(JSON.parse(row.data))));
  }
}

/** How long the outbox keeps events (API.md §8): the feed, replays and the delivery log reach back this far. */
export const EVENT_RETENTION_MS = 30 * 86_400_000;

/** A stored event → the event object (API.md §8). */
export function toEventView(row: repo.EventRow): EventView {
  return {
    object: 'event',
    id: row.id,
    type: row.type as EventType,
    created_at: iso(row.created_at),
    source: row.source,
    request_id: row.request_id,
    data: JSON.parse(row.data) as EventView['data'],
  };
}

export interface ListEventsQuery { limit: number; cursor?: string; type?: string; created_after?: string; created_before?: string }

/**
 * The change feed: the org's events oldest first, in feed order (tx, seq), so that a cursor resumes exactly
 * after the last event seen even while events are being written (only settled rows are read; see
 * `listEvents` in the repo). `next_cursor` always points after the last event returned (or, on an empty page,
 * is the cursor given), so a consumer can keep polling with it. `within` limits to events about those
 * locations and org-wide ones. `400 parameter_invalid` for a cursor of another list, filter or org.
 */
export async function listEvents(database: Database, cursors: CursorCodec, orgId: string, q: ListEventsQuery, within?: LocationLimit): Promise<ListPage<EventView>> {
  const filter: repo.EventFilter = {
    type: q.type === undefined ? undefined : q.type.endsWith('.*') ? { prefix: q.type.slice(0, -1) } : { exact: q.type },
    createdAfter: q.created_after !== undefined ? instantMs(q.created_after) : undefined,
    createdBefore: q.created_before !== undefined ? instantMs(q.created_before) : undefined,
  };
  const list = `events:${JSON.stringify(filter)}`;
  const after = q.cursor ? (cursors.decode(list, orgId, q.cursor) as repo.FeedPosition) : undefined;
  const rows = await repo.listEvents(database.db, orgId, { ...filter, within }, q.limit + 1, after);
  const page = toPage(rows, q.limit, toEventView, (last) => cursors.encode(list, orgId, [last.tx, last.seq]));
  const last = rows.slice(0, q.limit).at(-1);
  page.next_cursor = last ? cursors.encode(list, orgId, [last.tx, last.seq]) : (q.cursor ?? null);
  return page;
}

/** One event by id, or `404` (another org's, or about locations outside `within`). */
export async function getEvent(database: Database, orgId: string, id: string, within?: LocationLimit): Promise<EventView> {
  const row = await repo.findEvent(database.db, orgId, id);
  const locations = row?.location_ids ? (JSON.parse(row.location_ids) as string[]) : null;
  if (!row || (within && locations && !locations.some((l) => within.includes(l)))) throw notFound('event');
  return toEventView(row);
}

/** Retention: deletes events older than 30 days (their webhook deliveries and attempts go with them), in batches. */
export async function pruneEvents(database: Database, now: number, batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await repo.pruneEventsBefore(database.db, now - EVENT_RETENTION_MS, batch);
    total += n;
    if (n < batch) return total;
  }
}
