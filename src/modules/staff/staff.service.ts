import type { Database } from '../../db/connect.js';
import { ApiError } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso } from '../../http/schemas.js';
import { newId } from '../../lib/ids.js';
import { toWeeklyHours, type StoredRange } from '../../lib/wall-clock.js';
import { requireLocation } from '../locations/locations.service.js';
import { requireService } from '../catalog/catalog.service.js';
import * as repo from './staff.repo.js';
import type { StaffView } from './staff.schemas.js';
import { withinLimit, type LocationLimit } from '../locations/location-limit.js';

/** Staff objects; a location-limited caller sees only the locations (and their hours) within its limit. */
async function toViews(database: Database, orgId: string, rows: repo.StaffRow[], within?: LocationLimit): Promise<Map<string, StaffView>> {
  const links = await repo.linksFor(database.db, orgId, rows.map((r) => r.id));
  const out = new Map<string, StaffView>();
  for (const row of rows) {
    const locs = links.locations.filter((l) => l.staff_id === row.id && withinLimit(within, l.location_id));
    const working: StaffView['working_hours'] = {};
    for (const l of locs) {
      const ranges = links.hours.filter((h) => h.staff_id === row.id && h.location_id === l.location_id)
        .map((h) => ({ weekday: h.weekday as StoredRange['weekday'], start: h.start_minute, end: h.end_minute }));
      working[l.slug] = toWeeklyHours(ranges);
    }
    out.set(row.id, {
      object: 'staff',
      id: row.id,
      display_name: row.display_name,
      title: row.title,
      bookable: row.bookable === 1,
      locations: locs.map((l) => l.slug),
      services: links.services.filter((s) => s.staff_id === row.id).map((s) => s.service_id),
      working_hours: working,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    });
  }
  return out;
}

export async function listStaff(
  database: Database,
  cursors: CursorCodec,
  orgId: string,
  query: { limit: number; cursor?: string; location?: string; service?: string },
  within?: LocationLimit,
): Promise<ListPage<StaffView>> {
  const list = `staff:${query.location ?? ''}:${query.service ?? ''}`;
  const after = query.cursor ? (cursors.decode(list, orgId, query.cursor) as [number, string]) : undefined;
  const locationId = query.location ? (await requireLocation(database, orgId, query.location, 'location', within)).id : undefined;
  const serviceId = query.service ? (await requireService(database, orgId, query.service, 'service')).id : undefined;
  const rows = await repo.listStaff(database.db, orgId, { locationId, serviceId, within }, query.limit + 1, after);
  const views = await toViews(database, orgId, rows.slice(0, query.limit), within);
  return toPage(rows, query.limit, (r) => views.get(r.id)!, (last) => cursors.encode(list, orgId, [last.created_at, last.id]));
}

/** The org's staff member, or `404` (naming `param`): also another org's, or one working at no location within `within`. */
export async function requireStaff(database: Database, orgId: string, id: string, param?: string, within?: LocationLimit): Promise<repo.StaffRow> {
  const row = await repo.findStaff(database.db, orgId, id);
  const visible = row && (!within || (await repo.listStaff(database.db, orgId, { within }, 1, undefined, id)).length > 0);
  if (!row || !visible) throw new ApiError('resource_not_found', `No staff member with id \`${id}\`.`, param);
  return row;
}

export async function getStaff(database: Database, orgId: string, id: string, within?: LocationLimit): Promise<StaffView> {
  const row = await requireStaff(database, orgId, id, undefined, within);
  return (await toViews(database, orgId, [row], within)).get(id)!;
}

export interface StaffInput {
  displayName: string;
  title?: string | null;
  bookable?: boolean;
  locationIds: string[];
  serviceIds: string[];
  /** Weekly hours per location id. */
  hours: { locationId: string; ranges: StoredRange[] }[];
}

export async function createStaff(database: Database, orgId: string, input: StaffInput, now = Date.now()): Promise<repo.StaffRow> {
  const row: Omit<repo.StaffRow, 'org_id'> = {
    id: newId('stf'),
    display_name: input.displayName,
    title: input.title ?? null,
    bookable: input.bookable === false ? 0 : 1,
    created_at: now,
    updated_at: now,
  };
  const hours = input.hours.flatMap((h) => h.ranges.map((r) => ({ location_id: h.locationId, weekday: r.weekday, start_minute: r.start, end_minute: r.end })));
  await database.db.transaction().execute((trx) => repo.insertStaff(trx, orgId, row, { locationIds: input.locationIds, serviceIds: input.serviceIds, hours }));
  return { ...row, org_id: orgId };
}

export async function addStaffException(
  database: Database,
  orgId: string,
  staffId: string,
  input: { date: string; start: number; end: number; kind: 'off' | 'extra'; locationId?: string | null; reason?: string | null },
  now = Date.now(),
): Promise<void> {
  await repo.insertException(database.db, orgId, {
    id: newId('exc'), staff_id: staffId, location_id: input.locationId ?? null, date: input.date, start_minute: input.start, end_minute: input.end,
    kind: input.kind, reason: input.reason ?? null, created_at: now,
  });
}
