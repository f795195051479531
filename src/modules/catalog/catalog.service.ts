import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { runTransaction } from '../../db/transaction.js';
import { ApiError, notFound } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso } from '../../http/schemas.js';
import { newId } from '../../lib/ids.js';
import { requireLocation } from '../locations/locations.service.js';
import type { Actor } from '../events/actor.js';
import { changedAttributes, recordEvent } from '../events/events.service.js';
import { findLocationsByIds } from '../locations/locations.repo.js';
import * as repo from './catalog.repo.js';
import { SLOT_INTERVALS, type ServiceView } from './catalog.schemas.js';
import type { LocationLimit } from '../locations/location-limit.js';

export function toServiceView(row: repo.ServiceRow, locations: string[]): ServiceView {
  return {
    object: 'service',
    id: row.id,
    name: row.name,
    description: row.description,
    duration_minutes: row.duration_minutes,
    buffer_minutes: row.buffer_minutes,
    slot_interval_minutes: row.slot_interval,
    price: { amount: row.price_amount, currency: row.currency },
    active: row.active === 1,
    locations,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export async function listServices(database: Database, cursors: CursorCodec, orgId: string, query: { limit: number; cursor?: string; location?: string }, within?: LocationLimit): Promise<ListPage<ServiceView>> {
  const list = `services:${query.location ?? ''}`;
  const after = query.cursor ? (cursors.decode(list, orgId, query.cursor) as [number, string]) : undefined;
  const locationId = query.location ? (await requireLocation(database, orgId, query.location, 'location', within)).id : undefined;
  const rows = await repo.listServices(database.db, orgId, { locationId }, query.limit + 1, after);
  const slugs = await repo.locationSlugsByService(database.db, orgId, rows.map((r) => r.id));
  return toPage(rows, query.limit, (r) => toServiceView(r, slugs.get(r.id) ?? []), (last) => cursors.encode(list, orgId, [last.created_at, last.id]));
}

export async function requireService(database: Database, orgId: string, id: string, param?: string): Promise<repo.ServiceRow> {
  const row = await repo.findService(database.db, orgId, id);
  if (!row) throw notFound('service', param);
  return row;
}

export async function getService(database: Database, orgId: string, id: string): Promise<ServiceView> {
  const row = await requireService(database, orgId, id);
  const slugs = await repo.locationSlugsByService(database.db, orgId, [id]);
  return toServiceView(row, slugs.get(id) ?? []);
}

export interface ServiceInput {
  /** A fixed id (the demo shop's documented ids, src/modules/demo/demo-facts.ts); omitted: a new random one. */
  id?: string;
  name: string;
  description?: string | null;
  durationMinutes: number;
  bufferMinutes?: number;
  slotInterval: (typeof SLOT_INTERVALS)[number] | null;
  priceAmount: number;
  currency?: string;
  active?: boolean;
  locationIds: string[];
}

/** Ids named in a request must all be the org's own; the first that isn't is a `404` naming its position. */
export async function checkLocationIds(db: Kysely<DB>, orgId: string, ids: string[], param = 'location_ids'): Promise<void> {
  const found = new Set((await findLocationsByIds(db, orgId, ids)).map((l) => l.id));
  const i = ids.findIndex((id) => !found.has(id));
  if (i >= 0) throw notFound('location_id', `${param}.${i}`);
}

async function viewIn(db: Kysely<DB>, row: repo.ServiceRow): Promise<ServiceView> {
  return toServiceView(row, (await repo.locationSlugsByService(db, row.org_id, [row.id])).get(row.id) ?? []);
}

/** Adds a bookable service offered at `locationIds`; records `service.created`. Errors: `404` naming `location_ids.N`. */
export async function createService(database: Database, actor: Actor, input: ServiceInput): Promise<repo.ServiceRow> {
  const locationIds = [...new Set(input.locationIds)];
  return runTransaction(database, async (trx) => {
    await checkLocationIds(trx, actor.orgId, locationIds);
    const row: repo.ServiceRow = {
      id: input.id ?? newId('svc'),
      org_id: actor.orgId,
      name: input.name,
      description: input.description ?? null,
      duration_minutes: input.durationMinutes,
      buffer_minutes: input.bufferMinutes ?? 0,
      slot_interval: input.slotInterval,
      price_amount: input.priceAmount,
      currency: input.currency ?? 'GBP',
      active: input.active === false ? 0 : 1,
      created_at: actor.now,
      updated_at: actor.now,
    };
    await repo.insertService(trx, actor.orgId, row, locationIds);
    await recordEvent(trx, actor, { type: 'service.created', object: await viewIn(trx, row), locationIds });
    return row;
  });
}

export type ServicePatch = Partial<ServiceInput>;

/**
 * Edits a service; records `service.updated` with the old values of what changed. Bookings already made
 * keep the duration, buffer and price they were booked with. Errors: `404` (service, `location_ids.N`).
 */
export async function updateService(database: Database, actor: Actor, id: string, patch: ServicePatch): Promise<repo.ServiceRow> {
  const locationIds = patch.locationIds ? [...new Set(patch.locationIds)] : undefined;
  return runTransaction(database, async (trx) => {
    const row = await repo.findService(trx, actor.orgId, id);
    if (!row) throw notFound('service');
    if (locationIds) await checkLocationIds(trx, actor.orgId, locationIds);
    const before = await viewIn(trx, row);
    const linkedBefore = (await trx.selectFrom('service_locations').select('location_id').where('org_id', '=', actor.orgId).where('service_id', '=', id).execute()).map((l) => l.location_id);
    const changes: Partial<repo.ServiceRow> = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description || null } : {}),
      ...(patch.durationMinutes !== undefined ? { duration_minutes: patch.durationMinutes } : {}),
      ...(patch.bufferMinutes !== undefined ? { buffer_minutes: patch.bufferMinutes } : {}),
      ...(patch.slotInterval !== undefined ? { slot_interval: patch.slotInterval } : {}),
      ...(patch.priceAmount !== undefined ? { price_amount: patch.priceAmount } : {}),
      ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      updated_at: Math.max(actor.now, row.updated_at + 1),
    };
    await repo.updateService(trx, actor.orgId, id, changes, locationIds);
    const updated = { ...row, ...changes };
    const after = await viewIn(trx, updated);
    // Keys limited to a location it left or joined see the change too.
    const concerned = [...new Set([...linkedBefore, ...(locationIds ?? [])])];
    await recordEvent(trx, actor, { type: 'service.updated', object: after, previous_attributes: changedAttributes(before, after), locationIds: concerned });
    return updated;
  });
}
