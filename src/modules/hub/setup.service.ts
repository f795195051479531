import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import { iso } from '../../http/schemas.js';
import { formatHHMM, fromWeeklyHours, parseHHMM, toWeeklyHours, type StoredRange } from '../../lib/wall-clock.js';
import { dayBeforeTodayAnywhere } from '../../lib/zoned-date.js';
import type { Actor } from '../events/actor.js';
import { phoneParam } from '../clients/clients.service.js';
import * as locations from '../locations/locations.service.js';
import type { ClosureRow, LocationRow } from '../locations/locations.repo.js';
import * as catalog from '../catalog/catalog.service.js';
import { findService, type ServiceRow } from '../catalog/catalog.repo.js';
import * as staff from '../staff/staff.service.js';
import { linksFor, type StaffExceptionRow, type StaffRow } from '../staff/staff.repo.js';
import * as repo from './setup.repo.js';
import type * as s from './setup.schemas.js';

/**
 * Shop setup for the Hub: its views (ids rather than slugs, closures and time off with their ids and
 * reasons) over the domain modules, which own every write, its rules and its event.
 */


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
  const [rows, closures] = await Promise.all([repo.listAllLocations(database.db, orgId), repo.listClosures(database.db, orgId, dayBeforeTodayAnywhere(now))]);
  return { object: 'list' as const, data: rows.map((r) => locationView(r, closures)) };
}

export async function getLocation(database: Database, orgId: string, id: string, now: number) {
  const row = await locations.requireLocationById(database.db, orgId, id);
  return locationView(row, await repo.listClosures(database.db, orgId, dayBeforeTodayAnywhere(now)));
}

const phoneOrNull = (phone: string | null | undefined) => (phone ? phoneParam(phone, 'phone') : null);
const addressOf = (a: z.infer<typeof s.AddressInput>) => ({ ...a, line2: a.line2 || null });

export async function createLocationFromHub(database: Database, actor: Actor, body: z.infer<typeof s.CreateLocationBody>) {
  const row = await locations.createLocation(database, actor, {
    slug: body.slug, name: body.name, timeZone: body.time_zone, address: addressOf(body.address), phone: phoneOrNull(body.phone),
    openingHours: fromWeeklyHours(body.opening_hours), minNoticeMinutes: body.minimum_notice_minutes, horizonDays: body.booking_horizon_days,
  });
  return locationView(row, []);
}

export async function updateLocationFromHub(database: Database, actor: Actor, id: string, body: z.infer<typeof s.UpdateLocationBody>) {
  await locations.updateLocation(database, actor, id, {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.slug !== undefined ? { slug: body.slug } : {}),
    ...(body.time_zone !== undefined ? { timeZone: body.time_zone } : {}),
    ...(body.address !== undefined ? { address: addressOf(body.address) } : {}),
    ...(body.phone !== undefined ? { phone: phoneOrNull(body.phone) } : {}),
    ...(body.opening_hours !== undefined ? { openingHours: fromWeeklyHours(body.opening_hours) } : {}),
    ...(body.minimum_notice_minutes !== undefined ? { minNoticeMinutes: body.minimum_notice_minutes } : {}),
    ...(body.booking_horizon_days !== undefined ? { horizonDays: body.booking_horizon_days } : {}),
  });
  return getLocation(database, actor.orgId, id, actor.now);
}

export async function addClosureFromHub(database: Database, actor: Actor, locationId: string, body: z.infer<typeof s.ClosureBody>) {
  await locations.addClosure(database, actor, locationId, { startsOn: body.starts_on, endsOn: body.ends_on, reason: body.reason || null });
  return getLocation(database, actor.orgId, locationId, actor.now);
}

export async function removeClosureFromHub(database: Database, actor: Actor, locationId: string, closureId: string) {
  await locations.removeClosure(database, actor, locationId, closureId);
  return getLocation(database, actor.orgId, locationId, actor.now);
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

export async function createServiceFromHub(database: Database, actor: Actor, body: z.infer<typeof s.CreateServiceBody>) {
  const row = await catalog.createService(database, actor, {
    name: body.name, description: body.description || null, durationMinutes: body.duration_minutes, bufferMinutes: body.buffer_minutes,
    slotInterval: body.slot_interval_minutes, priceAmount: body.price.amount, currency: body.price.currency, active: body.active, locationIds: body.location_ids,
  });
  return getService(database, actor.orgId, row.id);
}

export async function updateServiceFromHub(database: Database, actor: Actor, id: string, body: z.infer<typeof s.UpdateServiceBody>) {
  await catalog.updateService(database, actor, id, {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description || null } : {}),
    ...(body.duration_minutes !== undefined ? { durationMinutes: body.duration_minutes } : {}),
    ...(body.buffer_minutes !== undefined ? { bufferMinutes: body.buffer_minutes } : {}),
    ...(body.slot_interval_minutes !== undefined ? { slotInterval: body.slot_interval_minutes } : {}),
    ...(body.price !== undefined ? { priceAmount: body.price.amount, currency: body.price.currency } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
    ...(body.location_ids !== undefined ? { locationIds: body.location_ids } : {}),
  });
  return getService(database, actor.orgId, id);
}

// ---- staff -----------------------------------------------------------------------------------------------

const exceptionView = (e: StaffExceptionRow) => ({
  id: e.id, date: e.date, kind: e.kind, all_day: e.start_minute === 0 && e.end_minute === 1440,
  starts: formatHHMM(e.start_minute), ends: formatHHMM(e.end_minute), location_id: e.location_id, reason: e.reason,
});

async function staffViews(db: Kysely<DB>, orgId: string, rows: StaffRow[], now: number) {
  const ids = rows.map((r) => r.id);
  const [links, exceptions] = await Promise.all([linksFor(db, orgId, ids), repo.upcomingExceptions(db, orgId, ids, dayBeforeTodayAnywhere(now))]);
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

export async function getStaff(database: Database, orgId: string, id: string, now: number) {
  return (await staffViews(database.db, orgId, [await staff.requireStaff(database, orgId, id)], now))[0]!;
}

const hoursOf = (hours: Record<string, s.WeeklyHoursInput>) =>
  Object.entries(hours).map(([locationId, week]) => ({ locationId, ranges: fromWeeklyHours(week) }));

export async function createStaffFromHub(database: Database, actor: Actor, body: z.infer<typeof s.CreateStaffBody>) {
  const row = await staff.createStaff(database, actor, {
    displayName: body.display_name, title: body.title || null, bookable: body.bookable, locationIds: body.location_ids, serviceIds: body.service_ids,
    hours: hoursOf(body.hours),
  });
  return getStaff(database, actor.orgId, row.id, actor.now);
}

export async function updateStaffFromHub(database: Database, actor: Actor, id: string, body: z.infer<typeof s.UpdateStaffBody>) {
  await staff.updateStaff(database, actor, id, {
    ...(body.display_name !== undefined ? { displayName: body.display_name } : {}),
    ...(body.title !== undefined ? { title: body.title || null } : {}),
    ...(body.bookable !== undefined ? { bookable: body.bookable } : {}),
    ...(body.location_ids !== undefined ? { locationIds: body.location_ids } : {}),
    ...(body.service_ids !== undefined ? { serviceIds: body.service_ids } : {}),
    ...(body.hours !== undefined ? { hours: hoursOf(body.hours) } : {}),
  });
  return getStaff(database, actor.orgId, id, actor.now);
}

export async function addExceptionFromHub(database: Database, actor: Actor, staffId: string, body: z.infer<typeof s.ExceptionBody>) {
  const [start, end] = body.all_day ? [0, 1440] : [parseHHMM(body.starts!), parseHHMM(body.ends!)];
  await staff.addStaffException(database, actor, staffId, { date: body.date, start, end, kind: body.kind, locationId: body.location_id ?? null, reason: body.reason || null });
  return getStaff(database, actor.orgId, staffId, actor.now);
}

export async function removeExceptionFromHub(database: Database, actor: Actor, staffId: string, id: string) {
  await staff.removeStaffException(database, actor, staffId, id);
  return getStaff(database, actor.orgId, staffId, actor.now);
}
