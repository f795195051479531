import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from './actor.js';
import type { EventType } from './events.types.js';
import * as repo from './events.repo.js';

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
