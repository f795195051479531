import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { runTransaction } from '../../db/transaction.js';
import { ApiError, notFound } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso } from '../../http/schemas.js';
import { newId } from '../../lib/ids.js';
import { toWeeklyHours, isValidTimeZone, type StoredRange } from '../../lib/wall-clock.js';
import { localDate, dayBeforeTodayAnywhere } from '../../lib/zoned-date.js';
import { remember, versionedMemo, type OrgVersionReader, type VersionedMemo } from '../../db/change-signal.js';
import type { Actor } from '../events/actor.js';
import { changedAttributes, recordEvent } from '../events/events.service.js';
import * as repo from './locations.repo.js';
import type { LocationView } from './locations.schemas.js';
import { withinLimit, type LocationLimit } from './location-limit.js';

export interface AddressInput { line1: string; line2?: string | null; city: string; postcode: string; country?: string }

export function toLocationView(row: repo.LocationRow, closures: repo.ClosureRow[], now: number): LocationView {
  const address = JSON.parse(row.address) as AddressInput;
  const mine = closures.filter((c) => c.location_id === row.id);
  const today = mine.length ? localDate(now, row.time_zone) : '';
  return {
    object: 'location',
    id: row.id,
    slug: row.slug,
    name: row.name,
    time_zone: row.time_zone,
    address: { line1: address.line1, line2: address.line2 ?? null, city: address.city, postcode: address.postcode, country: address.country ?? 'GB' },
    phone: row.phone,
    opening_hours: toWeeklyHours(JSON.parse(row.opening_hours) as StoredRange[]),
    minimum_notice_minutes: row.min_notice_minutes,
    booking_horizon_days: row.horizon_days,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    closures: mine.filter((c) => c.ends_on >= today).map((c) => ({ starts_on: c.starts_on, ends_on: c.ends_on, reason: c.reason })),
  };
}


/** Location pages and single locations as served, remembered per app under the change signal (docs/caches.md). */
export type LocationMemo = VersionedMemo<ListPage<LocationView> | LocationView>;
export const locationMemo = (): LocationMemo => versionedMemo(2000);

export interface LocationReadDeps {
  database: Database;
  cursors: CursorCodec;
  /** Without caches every answer is built afresh. */
  caches?: { locations: LocationMemo; versions: OrgVersionReader };
}

/**
 * Builds a view through the memo: the same answer object while the org's data version and the minute are
 * unchanged ("today" in a location's zone, which hides past closures, can only change on a minute).
 */
async function viaMemo<T extends ListPage<LocationView> | LocationView>(deps: LocationReadDeps, orgId: string, key: string, now: number, version: number | undefined, build: () => Promise<T>): Promise<T> {
  if (!deps.caches) return build();
  const seen = version ?? (await deps.caches.versions(orgId));
  return remember(deps.caches.locations, `${orgId}\u0001${key}`, seen, Math.floor(now / 60_000), build).value as Promise<T>;
}

/**
 * A page of the org's locations (ordered by created_at, then id) with their upcoming closures, as seen at
 * `now` (epoch ms); `version` as read with the request's key (db/change-signal.ts). Raises 400
 * `parameter_invalid` for a cursor that is not one of ours. `within`: only these locations (a location-limited key).
 */
export async function listLocations(deps: LocationReadDeps, orgId: string, query: { limit: number; cursor?: string }, now: number, version?: number, within?: LocationLimit): Promise<ListPage<LocationView>> {
  const { database, cursors } = deps;
  const after = query.cursor ? (cursors.decode('locations', orgId, query.cursor) as [number, string]) : undefined;
  return viaMemo(deps, orgId, `list\u0001${query.limit}\u0001${query.cursor ?? ''}\u0001${within?.join(',') ?? '*'}`, now, version, async () => {
    const [rows, closures] = await Promise.all([repo.listLocations(database, orgId, query.limit + 1, after, within), repo.listOpenClosures(database, orgId, dayBeforeTodayAnywhere(now))]);
    return toPage(rows, query.limit, (r) => toLocationView(r, closures, now), (last) => cursors.encode('locations', orgId, [last.created_at, last.id]));
  });
}

/** The org's location by slug, or `404 resource_not_found` (naming `param`): also another org's, or one outside `within`. */
export async function requireLocation(database: Database, orgId: string, slug: string, param?: string, within?: LocationLimit): Promise<repo.LocationRow> {
  const row = await repo.findLocationBySlug(database, orgId, slug);
  if (!row || !withinLimit(within, row.id)) throw notFound('location', param);
  return row;
}

/** One location by slug, as `listLocations` shows it. Raises 404 `resource_not_found` for an unknown slug. */
export async function getLocation(deps: LocationReadDeps, orgId: string, slug: string, now: number, version?: number, within?: LocationLimit): Promise<LocationView> {
  const { database } = deps;
  if (within) await requireLocation(database, orgId, slug, undefined, within);
  return viaMemo(deps, orgId, `one\u0001${slug}`, now, version, async () => {
    const [row, closures] = await Promise.all([requireLocation(database, orgId, slug), repo.listOpenClosures(database, orgId, dayBeforeTodayAnywhere(now))]);
    return toLocationView(row, closures, now);
  });
}

export interface CreateLocationInput {
  slug: string;
  name: string;
  timeZone: string;
  address: AddressInput;
  phone?: string | null;
  openingHours: StoredRange[];
  minNoticeMinutes?: number;
  horizonDays?: number;
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function checkSlugAndZone(slug: string | undefined, timeZone: string | undefined): void {
  if (slug !== undefined && (!SLUG.test(slug) || slug.length > 60)) throw new ApiError('parameter_invalid', 'A slug is lower-case letters, digits and dashes.', 'slug');
  if (timeZone !== undefined && !isValidTimeZone(timeZone)) throw new ApiError('parameter_invalid', `Unknown time zone \`${timeZone}\`. Pick an IANA zone, e.g. Europe/London.`, 'time_zone');
}

const slugTaken = (slug: string) => new ApiError('resource_conflict', `A location with slug \`${slug}\` already exists.`, 'slug');

/** The location as GET /v1 returns it, read inside a transaction (for events). */
async function viewIn(db: Kysely<DB>, row: repo.LocationRow, now: number): Promise<LocationView> {
  return toLocationView(row, await repo.closuresOf(db, row.org_id, row.id, dayBeforeTodayAnywhere(now)), now);
}

/**
 * Adds a location (the Hub, the operator's command, seeding) and records `location.created`.
 * Errors: `400 parameter_invalid` (slug, time_zone), `409 resource_conflict` (slug taken).
 */
export async function createLocation(database: Database, actor: Actor, input: CreateLocationInput): Promise<repo.LocationRow> {
  checkSlugAndZone(input.slug, input.timeZone);
  return runTransaction(database, async (trx) => {
    if (await repo.findLocationBySlugIn(trx, actor.orgId, input.slug)) throw slugTaken(input.slug);
    const row: repo.LocationRow = {
      id: newId('loc'),
      org_id: actor.orgId,
      slug: input.slug,
      name: input.name,
      time_zone: input.timeZone,
      address: JSON.stringify(input.address),
      phone: input.phone ?? null,
      opening_hours: JSON.stringify(input.openingHours),
      min_notice_minutes: input.minNoticeMinutes ?? 60,
      horizon_days: input.horizonDays ?? 90,
      created_at: actor.now,
      updated_at: actor.now,
    };
    await repo.insertLocation(trx, actor.orgId, row);
    await recordEvent(trx, actor, { type: 'location.created', object: await viewIn(trx, row, actor.now), locationIds: [row.id] });
    return row;
  });
}

export type LocationPatch = Partial<Omit<CreateLocationInput, 'openingHours'>> & { openingHours?: StoredRange[] };

/** Rendered views are cached by (id, updated_at): every change moves updated_at strictly forward. */
const nextUpdatedAt = (row: { updated_at: number }, now: number) => Math.max(now, row.updated_at + 1);

/** The org's location by id, or `404 resource_not_found` naming `param` (also for another org's id). */
export async function requireLocationById(db: Kysely<DB>, orgId: string, id: string, param?: string): Promise<repo.LocationRow> {
  const row = await repo.findLocationById(db, orgId, id);
  if (!row) throw notFound('location_id', param);
  return row;
}

/** Runs `change` on a location inside a transaction and records `location.updated` with what changed. */
async function changeLocation(database: Database, actor: Actor, id: string, change: (trx: Kysely<DB>, row: repo.LocationRow) => Promise<Partial<repo.LocationRow> | undefined>): Promise<repo.LocationRow> {
  return runTransaction(database, async (trx) => {
    const row = await requireLocationById(trx, actor.orgId, id);
    const before = await viewIn(trx, row, actor.now);
    const patch = { ...(await change(trx, row)), updated_at: nextUpdatedAt(row, actor.now) };
    await repo.updateLocationRow(trx, actor.orgId, id, patch);
    const updated = { ...row, ...patch };
    const after = await viewIn(trx, updated, actor.now);
    const previous = changedAttributes(before, after);
    await recordEvent(trx, actor, { type: 'location.updated', object: after, previous_attributes: previous, locationIds: [id] });
    return updated;
  });
}

/**
 * Edits a location's details, hours and booking rules; records `location.updated` with the old values of
 * what changed. Errors: `404`, `400 parameter_invalid` (slug, time_zone), `409 resource_conflict` (slug taken).
 */
export async function updateLocation(database: Database, actor: Actor, id: string, patch: LocationPatch): Promise<repo.LocationRow> {
  checkSlugAndZone(patch.slug, patch.timeZone);
  return changeLocation(database, actor, id, async (trx, row) => {
    if (patch.slug !== undefined && patch.slug !== row.slug && (await repo.findLocationBySlugIn(trx, actor.orgId, patch.slug))) throw slugTaken(patch.slug);
    return {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.slug !== undefined ? { slug: patch.slug } : {}),
      ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
      ...(patch.address !== undefined ? { address: JSON.stringify(patch.address) } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(patch.openingHours !== undefined ? { opening_hours: JSON.stringify(patch.openingHours) } : {}),
      ...(patch.minNoticeMinutes !== undefined ? { min_notice_minutes: patch.minNoticeMinutes } : {}),
      ...(patch.horizonDays !== undefined ? { horizon_days: patch.horizonDays } : {}),
    };
  });
}

/** Closes a location on local dates [startsOn, endsOn] (inclusive); records `location.updated`. */
export async function addClosure(database: Database, actor: Actor, locationId: string, input: { startsOn: string; endsOn: string; reason?: string | null }): Promise<repo.ClosureRow> {
  let closure: repo.ClosureRow | undefined;
  await changeLocation(database, actor, locationId, async (trx) => {
    closure = { id: newId('cls'), org_id: actor.orgId, location_id: locationId, starts_on: input.startsOn, ends_on: input.endsOn, reason: input.reason ?? null, created_at: actor.now };
    await repo.insertClosure(trx, actor.orgId, closure);
    return undefined;
  });
  return closure!;
}

/** Removes a closure (`404` if it is not this location's); records `location.updated`. */
export async function removeClosure(database: Database, actor: Actor, locationId: string, closureId: string): Promise<void> {
  await changeLocation(database, actor, locationId, async (trx) => {
    if (!(await repo.deleteClosure(trx, actor.orgId, locationId, closureId))) throw notFound('closure');
    return undefined;
  });
}
