import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { ApiError } from '../../http/errors.js';
import { iso } from '../../http/schemas.js';
import { newId } from '../../lib/ids.js';
import { formatHHMM, fromWeeklyHours, isValidTimeZone, toWeeklyHours, type StoredRange } from '../../lib/wall-clock.js';
import { addDays } from '../../lib/zoned-date.js';
import { phoneParam } from '../clients/clients.service.js';
import { createLocation } from '../locations/locations.service.js';
import { findLocationById, findLocationBySlug, findLocationsByIds, insertClosure, type ClosureRow, type LocationRow } from '../locations/locations.repo.js';
import { createService } from '../catalog/catalog.service.js';
import { findService, updateService, type ServiceRow } from '../catalog/catalog.repo.js';
import { addStaffException, createStaff } from '../staff/staff.service.js';
import { findStaff, linksFor, replaceStaffLinks, type StaffExceptionRow, type StaffRow } from '../staff/staff.repo.js';
import * as repo from './setup.repo.js';
import type * as s from './setup.schemas.js';

/** A day before today in every zone: the lower bound for "not yet over". */
const floorDate = (now: number) => addDays(new Date(now).toISOString().slice(0, 10), -1);
/** Rendered location views are cached by (id, updated_at): every edit must move updated_at forward. */
const nextUpdatedAt = (previous: number, now: number) => Math.max(now, previous + 1);
const notFound = (what: string, param?: string) => new ApiError('resource_not_found', `No such ${what}.`, param);

// ---- locations -------------------------------------------------------------------------------------------

export function locationView(row: LocationRow, closures: ClosureRow[]) {
  const address = JSON.parse(row.address) as { line1: string; line2?: string | null; city: string; postcode: string; country?: string };
  return {
    object: 'location' as const, id: row.id, slug: row.slug, name: row.name, time_zone: row.time_zone,
    address: { line1: address.line1, line2: address.line2 ?? null, city: address.city, postcode: address.postcode, country: address.country ?? 'GB' },
    phone: row.phone,
    opening_hours: toWeeklyHours(JSON.parse(row.opening_hours) as StoredRange[]),
    minimum_notice_minutes: row.min_notice_minutes,
    booking_horizon_days: row.horizon_days,
    closures: closures.filter((c) => c.location_id === row.id).map((c) => ({ id: c.id, starts_on: c.starts_on, ends_on: c.ends_on, reason: c.reason })),
    created_at: iso(row.created_at), updated_at: iso(row.updated_at),
  };
}

export async function listLocations(database: Database, orgId: string, now: number) {
  const [rows, closures] = await Promise.all([repo.listAllLocations(database.db, orgId), repo.listClosures(database.db, orgId, floorDate(now))]);
  return { object: 'list' as const, data: rows.map((r) => locationView(r, closures)) };
}

export async function requireLocationById(db: Kysely<DB>, orgId: string, id: string, param?: string): Promise<LocationRow> {
  const row = await findLocationById(db, orgId, id);
  if (!row) throw notFound('location', param);
  return row;
}

export async function getLocation(database: Database, orgId: string, id: string, now: number) {
  const row = await requireLocationById(database.db, orgId, id);
  return locationView(row, await repo.listClosures(database.db, orgId, floorDate(now)));
}

const phoneOrNull = (phone: string | null | undefined) => (phone ? phoneParam(phone, 'phone') : null);

function checkZone(zone: string): void {
  if (!isValidTimeZone(zone)) throw new ApiError('parameter_invalid', `Unknown time zone \`${zone}\`. Pick one from the list, e.g. Europe/London.`, 'time_zone');
}

export async function createLocationFromHub(database: Database, orgId: string, body: z.infer<typeof s.CreateLocationBody>, now: number) {
  checkZone(body.time_zone);
  const row = await createLocation(database, orgId, {
    slug: body.slug, name: body.name, timeZone: body.time_zone,
    address: { ...body.address, line2: body.address.line2 || null },
    phone: phoneOrNull(body.phone),
    openingHours: fromWeeklyHours(body.opening_hours),
    minNoticeMinutes: body.minimum_notice_minutes,
    horizonDays: body.booking_horizon_days,
  }, now);
  return locationView(row, []);
}

export async function updateLocation(database: Database, orgId: string, id: string, body: z.infer<typeof s.UpdateLocationBody>, now: number) {
  const row = await requireLocationById(database.db, orgId, id);
  if (body.time_zone !== undefined) checkZone(body.time_zone);
  if (body.slug !== undefined && body.slug !== row.slug && (await findLocationBySlug(database, orgId, body.slug))) {
    throw new ApiError('resource_conflict', `A location with slug \`${body.slug}\` already exists.`, 'slug');
  }
  await repo.updateLocationRow(database.db, orgId, id, {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.slug !== undefined ? { slug: body.slug } : {}),
    ...(body.time_zone !== undefined ? { time_zone: body.time_zone } : {}),
    ...(body.address !== undefined ? { address: JSON.stringify({ ...body.address, line2: body.address.line2 || null }) } : {}),
    ...(body.phone !== undefined ? { phone: phoneOrNull(body.phone) } : {}),
    ...(body.opening_hours !== undefined ? { opening_hours: JSON.stringify(fromWeeklyHours(body.opening_hours)) } : {}),
    ...(body.minimum_notice_minutes !== undefined ? { min_notice_minutes: body.minimum_notice_minutes } : {}),
    ...(body.booking_horizon_days !== undefined ? { horizon_days: body.booking_horizon_days } : {}),
    updated_at: nextUpdatedAt(row.updated_at, now),
  });
  return getLocation(database, orgId, id, now);
}

export async function addClosure(database: Database, orgId: string, locationId: string, body: z.infer<typeof s.ClosureBody>, now: number) {
  await requireLocationById(database.db, orgId, locationId);
  await insertClosure(database.db, orgId, { id: newId('cls'), location_id: locationId, starts_on: body.starts_on, ends_on: body.ends_on, reason: body.reason || null, created_at: now });
  return getLocation(database, orgId, locationId, now);
}

export async function removeClosure(database: Database, orgId: string, locationId: string, closureId: string, now: number) {
  await requireLocationById(database.db, orgId, locationId);
  if (!(await repo.deleteClosure(database.db, orgId, locationId, closureId))) throw notFound('closure');
  return getLocation(database, orgId, locationId, now);
}

/** Ids named in a body must all be the org's own; the first that isn't is a 404 naming its position. */
async function checkLocationIds(db: Kysely<DB>, orgId: string, ids: string[], param = 'location_ids'): Promise<void> {
  const found = new Set((await findLocationsByIds(db, orgId, ids)).map((l) => l.id));
  const i = ids.findIndex((id) => !found.has(id));
  if (i >= 0) throw notFound('location', `${param}.${i}`);
}

// ---- services --------------------------------------------------------------------------------------------

export const serviceView = (row: ServiceRow, locationIds: string[]) => ({
  object: 'service' as const, id: row.id, name: row.name, description: row.description,
  duration_minutes: row.duration_minutes, buffer_minutes: row.buffer_minutes, slot_interval_minutes: row.slot_interval,
  price: { amount: row.price_amount, currency: row.currency }, active: row.active === 1, location_ids: locationIds,
  created_at: iso(row.created_at), updated_at: iso(row.updated_at),
});

export async function listServices(database: Database, orgId: string) {
  const [rows, links] = await Promise.all([repo.listAllServices(database.db, orgId), repo.serviceLocationIds(database.db, orgId)]);
  return { object: 'list' as const, data: rows.map((r) => serviceView(r, links.get(r.id) ?? [])) };
}

async function getService(database: Database, orgId: string, id: string) {
  const row = await findService(database.db, orgId, id);
  if (!row) throw notFound('service');
  return serviceView(row, (await repo.serviceLocationIds(database.db, orgId)).get(id) ?? []);
}

export async function createServiceFromHub(database: Database, orgId: string, body: z.infer<typeof s.CreateServiceBody>, now: number) {
  await checkLocationIds(database.db, orgId, body.location_ids);
  const row = await createService(database, orgId, {
    name: body.name, description: body.description || null, durationMinutes: body.duration_minutes, bufferMinutes: body.buffer_minutes,
    slotInterval: body.slot_interval_minutes, priceAmount: body.price.amount, currency: body.price.currency, active: body.active, locationIds: [...new Set(body.location_ids)],
  }, now);
  return serviceView(row, [...new Set(body.location_ids)]);
}

/** Edits apply to future bookings only: a booking keeps the duration, buffer and price it was made with. */
export async function updateServiceFromHub(database: Database, orgId: string, id: string, body: z.infer<typeof s.UpdateServiceBody>, now: number) {
  const row = await findService(database.db, orgId, id);
  if (!row) throw notFound('service');
  if (body.location_ids) await checkLocationIds(database.db, orgId, body.location_ids);
  await database.db.transaction().execute((trx) => updateService(trx, orgId, id, {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description || null } : {}),
    ...(body.duration_minutes !== undefined ? { duration_minutes: body.duration_minutes } : {}),
    ...(body.buffer_minutes !== undefined ? { buffer_minutes: body.buffer_minutes } : {}),
    ...(body.slot_interval_minutes !== undefined ? { slot_interval: body.slot_interval_minutes } : {}),
    ...(body.price !== undefined ? { price_amount: body.price.amount, currency: body.price.currency } : {}),
    ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
    updated_at: nextUpdatedAt(row.updated_at, now),
  }, body.location_ids ? [...new Set(body.location_ids)] : undefined));
  return getService(database, orgId, id);
}

// ---- staff -----------------------------------------------------------------------------------------------

const exceptionView = (e: StaffExceptionRow) => ({
  id: e.id, date: e.date, kind: e.kind, all_day: e.start_minute === 0 && e.end_minute === 1440,
  starts: formatHHMM(e.start_minute), ends: formatHHMM(e.end_minute), location_id: e.location_id, reason: e.reason,
});

async function staffViews(db: Kysely<DB>, orgId: string, rows: StaffRow[], now: number) {
  const ids = rows.map((r) => r.id);
  const [links, exceptions] = await Promise.all([linksFor(db, orgId, ids), repo.upcomingExceptions(db, orgId, ids, floorDate(now))]);
  return rows.map((row) => {
    const locationIds = links.locations.filter((l) => l.staff_id === row.id).map((l) => l.location_id);
    const hours: Record<string, ReturnType<typeof toWeeklyHours>> = {};
    for (const loc of locationIds) {
      hours[loc] = toWeeklyHours(links.hours.filter((h) => h.staff_id === row.id && h.location_id === loc)
        .map((h) => ({ weekday: h.weekday as StoredRange['weekday'], start: h.start_minute, end: h.end_minute })));
    }
    return {
      object: 'staff' as const, id: row.id, display_name: row.display_name, title: row.title, bookable: row.bookable === 1,
      location_ids: locationIds, service_ids: links.services.filter((x) => x.staff_id === row.id).map((x) => x.service_id), hours,
      exceptions: exceptions.filter((e) => e.staff_id === row.id).map(exceptionView),
      created_at: iso(row.created_at), updated_at: iso(row.updated_at),
    };
  });
}

export async function listStaff(database: Database, orgId: string, now: number) {
  return { object: 'list' as const, data: await staffViews(database.db, orgId, await repo.listAllStaff(database.db, orgId), now) };
}

async function requireStaffRow(db: Kysely<DB>, orgId: string, id: string): Promise<StaffRow> {
  const row = await findStaff(db, orgId, id);
  if (!row) throw notFound('staff member');
  return row;
}

export async function getStaff(database: Database, orgId: string, id: string, now: number) {
  return (await staffViews(database.db, orgId, [await requireStaffRow(database.db, orgId, id)], now))[0]!;
}

async function checkStaffLinks(db: Kysely<DB>, orgId: string, locationIds: string[], serviceIds: string[] | undefined, hours: Record<string, unknown> | undefined) {
  await checkLocationIds(db, orgId, locationIds);
  if (serviceIds) {
    const found = new Set((await repo.findServicesByIds(db, orgId, serviceIds)).map((x) => x.id));
    const i = serviceIds.findIndex((id) => !found.has(id));
    if (i >= 0) throw notFound('service', `service_ids.${i}`);
  }
  for (const loc of Object.keys(hours ?? {})) {
    if (!locationIds.includes(loc)) throw new ApiError('parameter_invalid', 'Hours can only be set for a location this staff member works at.', `hours.${loc}`);
  }
}

const hoursRows = (hours: Record<string, s.WeeklyHoursInput>) =>
  Object.entries(hours).flatMap(([location_id, week]) => fromWeeklyHours(week).map((r) => ({ location_id, weekday: r.weekday, start_minute: r.start, end_minute: r.end })));

export async function createStaffFromHub(database: Database, orgId: string, body: z.infer<typeof s.CreateStaffBody>, now: number) {
  const locationIds = [...new Set(body.location_ids)];
  const serviceIds = [...new Set(body.service_ids)];
  await checkStaffLinks(database.db, orgId, locationIds, serviceIds, body.hours);
  const row = await createStaff(database, orgId, {
    displayName: body.display_name, title: body.title || null, bookable: body.bookable, locationIds, serviceIds,
    hours: Object.entries(body.hours).map(([locationId, week]) => ({ locationId, ranges: fromWeeklyHours(week) })),
  }, now);
  return getStaff(database, orgId, row.id, now);
}

export async function updateStaffFromHub(database: Database, orgId: string, id: string, body: z.infer<typeof s.UpdateStaffBody>, now: number) {
  const row = await requireStaffRow(database.db, orgId, id);
  const current = (await staffViews(database.db, orgId, [row], now))[0]!;
  const locationIds = body.location_ids ? [...new Set(body.location_ids)] : current.location_ids;
  const serviceIds = body.service_ids ? [...new Set(body.service_ids)] : undefined;
  await checkStaffLinks(database.db, orgId, locationIds, serviceIds, body.hours);
  // Hours follow the locations: given hours replace them; otherwise hours at a dropped location go.
  const hours = body.hours ?? Object.fromEntries(Object.entries(current.hours).filter(([loc]) => locationIds.includes(loc)));
  await database.db.transaction().execute(async (trx) => {
    await repo.updateStaffRow(trx, orgId, id, {
      ...(body.display_name !== undefined ? { display_name: body.display_name } : {}),
      ...(body.title !== undefined ? { title: body.title || null } : {}),
      ...(body.bookable !== undefined ? { bookable: body.bookable ? 1 : 0 } : {}),
      updated_at: nextUpdatedAt(row.updated_at, now),
    });
    await replaceStaffLinks(trx, orgId, id, { locationIds: body.location_ids ? locationIds : undefined, serviceIds, hours: hoursRows(hours as Record<string, s.WeeklyHoursInput>) });
  });
  return getStaff(database, orgId, id, now);
}

export async function addException(database: Database, orgId: string, staffId: string, body: z.infer<typeof s.ExceptionBody>, now: number) {
  await requireStaffRow(database.db, orgId, staffId);
  if (body.location_id) await requireLocationById(database.db, orgId, body.location_id, 'location_id');
  const [start, end] = body.all_day ? [0, 1440] : [toMinute(body.starts!), toMinute(body.ends!)];
  await addStaffException(database, orgId, staffId, { date: body.date, start, end, kind: body.kind, locationId: body.location_id ?? null, reason: body.reason || null }, now);
  return getStaff(database, orgId, staffId, now);
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

export async function removeException(database: Database, orgId: string, staffId: string, id: string, now: number) {
  await requireStaffRow(database.db, orgId, staffId);
  if (!(await repo.deleteException(database.db, orgId, staffId, id))) throw notFound('time off entry');
  return getStaff(database, orgId, staffId, now);
}
