import type { Database } from '../../db/connect.js';
import { ApiError } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso } from '../../http/schemas.js';
import { newId } from '../../lib/ids.js';
import { toWeeklyHours, isValidTimeZone, type StoredRange } from '../../lib/wall-clock.js';
import { localDate, addDays } from '../../lib/zoned-date.js';
import * as repo from './locations.repo.js';
import type { LocationView } from './locations.schemas.js';
import { withinLimit, type LocationLimit } from './location-limit.js';

export interface AddressInput { line1: string; line2?: string | null; city: string; postcode: string; country?: string }

type StaticView = Omit<LocationView, 'closures'>;
// Rendering a row parses two JSON columns; rows are immutable per (id, updated_at), so render each once.
const rendered = new Map<string, StaticView>();

function renderStatic(row: repo.LocationRow): StaticView {
  const cacheKey = `${row.id}:${row.updated_at}`;
  let view = rendered.get(cacheKey);
  if (!view) {
    const address = JSON.parse(row.address) as AddressInput;
    view = {
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
    };
    if (rendered.size > 10_000) rendered.clear();
    rendered.set(cacheKey, view);
  }
  return view;
}

export function toLocationView(row: repo.LocationRow, closures: repo.ClosureRow[], now: number): LocationView {
  const mine = closures.filter((c) => c.location_id === row.id);
  const today = mine.length ? localDate(now, row.time_zone) : '';
  return {
    ...renderStatic(row),
    closures: mine.filter((c) => c.ends_on >= today).map((c) => ({ starts_on: c.starts_on, ends_on: c.ends_on, reason: c.reason })),
  };
}

// Yesterday in UTC: a lower bound for "closures not yet over" that is safe in every zone (kept per minute).
let floorFor = { minute: -1, date: '' };
function closuresFloor(now: number): string {
  const minute = Math.floor(now / 60_000);
  if (floorFor.minute !== minute) floorFor = { minute, date: addDays(localDate(now, 'UTC'), -1) };
  return floorFor.date;
}

// A page built from the same cached rows (the read cache hands back the same arrays until the database
// changes) within the same minute is the same page: build it once.
const pages = new WeakMap<object, WeakMap<object, { key: string; page: ListPage<LocationView> }>>();

export async function listLocations(
  database: Database,
  cursors: CursorCodec,
  orgId: string,
  query: { limit: number; cursor?: string },
  now = Date.now(),
  within?: LocationLimit,
): Promise<ListPage<LocationView>> {
  const after = query.cursor ? (cursors.decode('locations', orgId, query.cursor) as [number, string]) : undefined;
  const [rows, closures] = await Promise.all([repo.listLocations(database, orgId, query.limit + 1, after, within), repo.listOpenClosures(database, orgId, closuresFloor(now))]);
  const key = `${query.limit}:${Math.floor(now / 60_000)}`; // "today" in a location's zone can only change on a minute
  const memo = pages.get(rows)?.get(closures);
  if (memo?.key === key) return memo.page;
  const page = toPage(rows, query.limit, (r) => toLocationView(r, closures, now), (last) => cursors.encode('locations', orgId, [last.created_at, last.id]));
  if (!pages.has(rows)) pages.set(rows, new WeakMap());
  pages.get(rows)!.set(closures, { key, page });
  return page;
}

/** The org's location by slug, or `404 resource_not_found` (naming `param`): also another org's, or one outside `within`. */
export async function requireLocation(database: Database, orgId: string, slug: string, param?: string, within?: LocationLimit): Promise<repo.LocationRow> {
  const row = await repo.findLocationBySlug(database, orgId, slug);
  if (!row || !withinLimit(within, row.id)) throw new ApiError('resource_not_found', `No location with slug \`${slug}\`.`, param);
  return row;
}

export async function getLocation(database: Database, orgId: string, slug: string, now = Date.now(), within?: LocationLimit): Promise<LocationView> {
  const row = await requireLocation(database, orgId, slug, undefined, within);
  return toLocationView(row, await repo.listOpenClosures(database, orgId, closuresFloor(now)), now);
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
