import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { runTransaction } from '../../db/transaction.js';
import { ApiError, notFound } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso } from '../../http/schemas.js';
import { newId } from '../../lib/ids.js';
import { formatHHMM, toWeeklyHours, type StoredRange } from '../../lib/wall-clock.js';
import { dayBeforeTodayAnywhere } from '../../lib/zoned-date.js';
import type { Actor } from '../events/actor.js';
import { changedAttributes, recordEvent } from '../events/events.service.js';
import { requireLocation } from '../locations/locations.service.js';
import { requireService, checkLocationIds } from '../catalog/catalog.service.js';
import * as repo from './staff.repo.js';
import type { StaffView } from './staff.schemas.js';
import { withinLimit, type LocationLimit } from '../locations/location-limit.js';

/**
 * Rows → staff objects as GET /v1 returns them: links, weekly hours per location slug, and their dated
 * unavailability and extra hours not yet over, as local ranges without reasons (a reason can be personal).
 * A location-limited caller (`within`) sees only the locations, hours and exceptions within its limit.
 */
async function toViews(db: Kysely<DB>, orgId: string, rows: repo.StaffRow[], now: number, within?: LocationLimit): Promise<Map<string, StaffView>> {
  const ids = rows.map((r) => r.id);
  const [links, exceptions] = await Promise.all([repo.linksFor(db, orgId, ids), repo.exceptionsFrom(db, orgId, ids, dayBeforeTodayAnywhere(now))]);
  const slugOf = new Map(links.locations.map((l) => [l.location_id, l.slug]));
  const out = new Map<string, StaffView>();
  for (const row of rows) {
    const locs = links.locations.filter((l) => l.staff_id === row.id && withinLimit(within, l.location_id));
    const working: StaffView['working_hours'] = {};
    for (const l of locs) {
      const ranges = links.hours.filter((h) => h.staff_id === row.id && h.location_id === l.location_id)
        .map((h) => ({ weekday: h.weekday as StoredRange['weekday'], start: h.start_minute, end: h.end_minute }));
      working[l.slug] = toWeeklyHours(ranges);
    }
    const dated = (kind: 'off' | 'extra') => exceptions.filter((e) => e.staff_id === row.id && e.kind === kind && (!e.location_id || withinLimit(within, e.location_id)))
      .map((e) => ({ date: e.date, starts: formatHHMM(e.start_minute), ends: formatHHMM(e.end_minute), location: e.location_id ? (slugOf.get(e.location_id) ?? null) : null }));
    out.set(row.id, {
      object: 'staff',
      id: row.id,
      display_name: row.display_name,
      title: row.title,
      bookable: row.bookable === 1,
      locations: locs.map((l) => l.slug),
      services: links.services.filter((s) => s.staff_id === row.id).map((s) => s.service_id),
      working_hours: working,
      time_off: dated('off'),
      extra_hours: dated('extra'),
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
  now = Date.now(),
  within?: LocationLimit,
): Promise<ListPage<StaffView>> {
  const list = `staff:${query.location ?? ''}:${query.service ?? ''}`;
  const after = query.cursor ? (cursors.decode(list, orgId, query.cursor) as [number, string]) : undefined;
  const locationId = query.location !== undefined ? (await requireLocation(database, orgId, query.location, 'location', within)).id : undefined;
  const serviceId = query.service !== undefined ? (await requireService(database, orgId, query.service, 'service')).id : undefined;
  const rows = await repo.listStaff(database.db, orgId, { locationId, serviceId, within }, query.limit + 1, after);
  const views = await toViews(database.db, orgId, rows.slice(0, query.limit), now, within);
  return toPage(rows, query.limit, (r) => views.get(r.id)!, (last) => cursors.encode(list, orgId, [last.created_at, last.id]));
}

/**
 * The org's staff member by id, or `404 resource_not_found` naming `param` (also for another org's id, or one
 * who works at no location within `within`).
 */
export async function requireStaff(database: Database | Kysely<DB>, orgId: string, id: string, param?: string, within?: LocationLimit): Promise<repo.StaffRow> {
  const db = 'db' in database ? database.db : database;
  const row = await repo.findStaff(db, orgId, id);
  const visible = row && (!within || (await repo.listStaff(db, orgId, { within }, 1, undefined, id)).length > 0);
  if (!row || !visible) throw notFound('staff', param);
  return row;
}

export async function getStaff(database: Database, orgId: string, id: string, now = Date.now(), within?: LocationLimit): Promise<StaffView> {
  const row = await requireStaff(database, orgId, id, undefined, within);
  return (await toViews(database.db, orgId, [row], now, within)).get(id)!;
}

export interface StaffInput {
  /** A fixed id (the demo shop's documented ids, src/modules/demo/demo-facts.ts); omitted: a new random one. */
  id?: string;
  displayName: string;
  title?: string | null;
  bookable?: boolean;
  locationIds: string[];
  serviceIds: string[];
  /** Weekly hours per location id (only locations in `locationIds`). */
  hours: { locationId: string; ranges: StoredRange[] }[];
}

export type StaffPatch = Partial<StaffInput>;

/** Links named in a request must be the org's own; hours only for locations the staff member works at. */
async function checkLinks(db: Kysely<DB>, orgId: string, locationIds: string[], serviceIds: string[] | undefined, hours: StaffInput['hours'] | undefined): Promise<void> {
  await checkLocationIds(db, orgId, locationIds);
  if (serviceIds?.length) {
    const found = new Set((await db.selectFrom('services').select('id').where('org_id', '=', orgId).where('id', 'in', serviceIds).execute()).map((x) => x.id));
    const i = serviceIds.findIndex((id) => !found.has(id));
    if (i >= 0) throw notFound('service', `service_ids.${i}`);
  }
  for (const h of hours ?? []) {
    if (!locationIds.includes(h.locationId)) throw new ApiError('parameter_invalid', 'Hours can only be set for a location this staff member works at.', `hours.${h.locationId}`);
  }
}

const hoursRows = (hours: StaffInput['hours']) =>
  hours.flatMap((h) => h.ranges.map((r) => ({ location_id: h.locationId, weekday: r.weekday, start_minute: r.start, end_minute: r.end })));

/** Adds a staff member with their locations, services and weekly hours; records `staff.created`. */
export async function createStaff(database: Database, actor: Actor, input: StaffInput): Promise<repo.StaffRow> {
  const locationIds = [...new Set(input.locationIds)];
  const serviceIds = [...new Set(input.serviceIds)];
  return runTransaction(database, async (trx) => {
    await checkLinks(trx, actor.orgId, locationIds, serviceIds, input.hours);
    const row: repo.StaffRow = {
      id: input.id ?? newId('stf'),
      org_id: actor.orgId,
      display_name: input.displayName,
      title: input.title ?? null,
      bookable: input.bookable === false ? 0 : 1,
      created_at: actor.now,
      updated_at: actor.now,
    };
    await repo.insertStaff(trx, actor.orgId, row, { locationIds, serviceIds, hours: hoursRows(input.hours) });
    const view = (await toViews(trx, actor.orgId, [row], actor.now)).get(row.id)!;
    await recordEvent(trx, actor, { type: 'staff.created', object: view, locationIds });
    return row;
  });
}

/** Runs `change` on a staff member in a transaction and records `staff.updated` with what changed. */
async function changeStaff(database: Database, actor: Actor, id: string, change: (trx: Kysely<DB>, row: repo.StaffRow, linked: string[]) => Promise<{ patch?: Partial<repo.StaffRow>; locationIds?: string[] }>): Promise<repo.StaffRow> {
  return runTransaction(database, async (trx) => {
    const row = await requireStaff(trx, actor.orgId, id);
    const before = (await toViews(trx, actor.orgId, [row], actor.now)).get(id)!;
    const linked = (await repo.linksFor(trx, actor.orgId, [id])).locations.map((l) => l.location_id);
    const { patch, locationIds } = await change(trx, row, linked);
    const updated = { ...row, ...patch, updated_at: Math.max(actor.now, row.updated_at + 1) };
    await repo.updateStaffRow(trx, actor.orgId, id, { ...patch, updated_at: updated.updated_at });
    const after = (await toViews(trx, actor.orgId, [updated], actor.now)).get(id)!;
    // Keys limited to a location the staff member left or joined see the change too.
    const concerned = [...new Set([...linked, ...(locationIds ?? [])])];
    await recordEvent(trx, actor, { type: 'staff.updated', object: after, previous_attributes: changedAttributes(before, after), locationIds: concerned });
    return updated;
  });
}

/**
 * Edits a staff member. Hours follow the locations: given hours replace all of them; otherwise hours at a
 * location they no longer work at go. Records `staff.updated`. Errors: `404` (staff, `location_ids.N`,
 * `service_ids.N`), `400` (`hours.<location id>` for a location they don't work at).
 */
export async function updateStaff(database: Database, actor: Actor, id: string, patch: StaffPatch): Promise<repo.StaffRow> {
  return changeStaff(database, actor, id, async (trx, _row, linked) => {
    const locationIds = patch.locationIds ? [...new Set(patch.locationIds)] : linked;
    const serviceIds = patch.serviceIds ? [...new Set(patch.serviceIds)] : undefined;
    await checkLinks(trx, actor.orgId, locationIds, serviceIds, patch.hours);
    const current = (await repo.linksFor(trx, actor.orgId, [id])).hours;
    const hours = patch.hours ? hoursRows(patch.hours) : current.filter((h) => locationIds.includes(h.location_id))
      .map((h) => ({ location_id: h.location_id, weekday: h.weekday, start_minute: h.start_minute, end_minute: h.end_minute }));
    await repo.replaceStaffLinks(trx, actor.orgId, id, { locationIds: patch.locationIds ? locationIds : undefined, serviceIds, hours });
    return {
      patch: {
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.title !== undefined ? { title: patch.title || null } : {}),
        ...(patch.bookable !== undefined ? { bookable: patch.bookable ? 1 : 0 } : {}),
      },
      locationIds,
    };
  });
}

export interface StaffExceptionInput {
  /** Local date in the location's zone. */
  date: string;
  /** Local minutes from midnight, 0 ≤ start < end ≤ 1440. */
  start: number;
  end: number;
  kind: 'off' | 'extra';
  /** null: at every location they work at. */
  locationId?: string | null;
  reason?: string | null;
}

/** Adds dated time off or extra hours; records `staff.updated`. Errors: `404` (staff, `location_id`). */
export async function addStaffException(database: Database, actor: Actor, staffId: string, input: StaffExceptionInput): Promise<repo.StaffExceptionRow> {
  let exception: repo.StaffExceptionRow | undefined;
  await changeStaff(database, actor, staffId, async (trx) => {
    if (input.locationId) await checkLocationIds(trx, actor.orgId, [input.locationId], 'location_id').catch(() => {
      throw notFound('location_id', 'location_id');
    });
    exception = {
      id: newId('exc'), org_id: actor.orgId, staff_id: staffId, location_id: input.locationId ?? null, date: input.date, start_minute: input.start, end_minute: input.end,
      kind: input.kind, reason: input.reason ?? null, created_at: actor.now,
    };
    await repo.insertException(trx, actor.orgId, exception);
    return {};
  });
  return exception!;
}

/** Removes dated time off or extra hours (`404` if it is not theirs); records `staff.updated`. */
export async function removeStaffException(database: Database, actor: Actor, staffId: string, exceptionId: string): Promise<void> {
  await changeStaff(database, actor, staffId, async (trx) => {
    if (!(await repo.deleteException(trx, actor.orgId, staffId, exceptionId))) throw notFound('time_off');
    return {};
  });
}
