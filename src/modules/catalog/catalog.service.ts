import type { Database } from '../../db/connect.js';
import { ApiError } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso } from '../../http/schemas.js';
import { newId } from '../../lib/ids.js';
import { requireLocation } from '../locations/locations.service.js';
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
  if (!row) throw new ApiError('resource_not_found', `No service with id \`${id}\`.`, param);
  return row;
}

export async function getService(database: Database, orgId: string, id: string): Promise<ServiceView> {
  const row = await requireService(database, orgId, id);
  const slugs = await repo.locationSlugsByService(database.db, orgId, [id]);
  return toServiceView(row, slugs.get(id) ?? []);
}

export interface ServiceInput {
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

export async function createService(database: Database, orgId: string, input: ServiceInput, now = Date.now()): Promise<repo.ServiceRow> {
  const row: Omit<repo.ServiceRow, 'org_id'> = {
    id: newId('svc'),
    name: input.name,
    description: input.description ?? null,
    duration_minutes: input.durationMinutes,
    buffer_minutes: input.bufferMinutes ?? 0,
    slot_interval: input.slotInterval,
    price_amount: input.priceAmount,
    currency: input.currency ?? 'GBP',
    active: input.active === false ? 0 : 1,
    created_at: now,
    updated_at: now,
  };
  await database.db.transaction().execute((trx) => repo.insertService(trx, orgId, row, input.locationIds));
  return { ...row, org_id: orgId };
}
