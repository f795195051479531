import type { Database } from '../../db/connect.js';
import { ApiError } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso } from '../../http/schemas.js';
import { newId } from '../../lib/ids.js';
import { toWeeklyHours, isValidTimeZone, type StoredRange } from '../../lib/wall-clock.js';
import { localDate, addDays } from '../../lib/zoned-date.js';
import { remember, versionedMemo, type OrgVersionReader, type VersionedMemo } from '../../db/change-signal.js';
import * as repo from './locations.repo.js';
import type { LocationView } from './locations.schemas.js';

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

// Yesterday in UTC: a lower bound for "closures not yet over" that is safe in every zone.
const closuresFloor = (now: number) => addDays(localDate(now, 'UTC'), -1);

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
 * `parameter_invalid` for a cursor that is not one of ours.
 */
export async function listLocations(deps: LocationReadDeps, orgId: string, query: { limit: number; cursor?: string }, now: number, version?: number): Promise<ListPage<LocationView>> {
  const { database, cursors } = deps;
  const after = query.cursor ? (cursors.decode('locations', orgId, query.cursor) as [number, string]) : undefined;
  return viaMemo(deps, orgId, `list\u0001${query.limit}\u0001${query.cursor ?? ''}`, now, version, async () => {
    const [rows, closures] = await Promise.all([repo.listLocations(database, orgId, query.limit + 1, after), repo.listOpenClosures(database, orgId, closuresFloor(now))]);
    return toPage(rows, query.limit, (r) => toLocationView(r, closures, now), (last) => cursors.encode('locations', orgId, [last.created_at, last.id]));
  });
}

export async function requireLocation(database: Database, orgId: string, slug: string, param?: string): Promise<repo.LocationRow> {
  const row = await repo.findLocationBySlug(database, orgId, slug);
  if (!row) throw new ApiError('resource_not_found', `No location with slug \`${slug}\`.`, param);
  return row;
}

/** One location by slug, as `listLocations` shows it. Raises 404 `resource_not_found` for an unknown slug. */
export async function getLocation(deps: LocationReadDeps, orgId: string, slug: string, now: number, version?: number): Promise<LocationView> {
  const { database } = deps;
  return viaMemo(deps, orgId, `one\u0001${slug}`, now, version, async () => {
    const [row, closures] = await Promise.all([requireLocation(database, orgId, slug), repo.listOpenClosures(database, orgId, closuresFloor(now))]);
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

export async function createLocation(database: Database, orgId: string, input: CreateLocationInput, now = Date.now()): Promise<repo.LocationRow> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(input.slug) || input.slug.length > 60) throw new ApiError('parameter_invalid', 'A slug is lower-case letters, digits and dashes.', 'slug');
  if (!isValidTimeZone(input.timeZone)) throw new ApiError('parameter_invalid', `Unknown time zone \`${input.timeZone}\`.`, 'time_zone');
  if (await repo.findLocationBySlug(database, orgId, input.slug)) throw new ApiError('resource_conflict', `A location with slug \`${input.slug}\` already exists.`, 'slug');
  const row: Omit<repo.LocationRow, 'org_id'> = {
    id: newId('loc'),
    slug: input.slug,
    name: input.name,
    time_zone: input.timeZone,
    address: JSON.stringify(input.address),
    phone: input.phone ?? null,
    opening_hours: JSON.stringify(input.openingHours),
    min_notice_minutes: input.minNoticeMinutes ?? 60,
    horizon_days: input.horizonDays ?? 90,
    created_at: now,
    updated_at: now,
  };
  await repo.insertLocation(database.db, orgId, row);
  return { ...row, org_id: orgId };
}
