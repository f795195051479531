import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { ApiError } from '../../http/errors.js';
import type { StoredRange } from '../../lib/wall-clock.js';
import { findOrgBySlug, type OrgRow } from '../orgs/orgs.repo.js';
import { findLocationBySlug, type LocationRow } from '../locations/locations.repo.js';
import { listServices, type ServiceRow } from '../catalog/catalog.repo.js';
import { listStaff } from '../staff/staff.repo.js';
import type { AddressInput } from '../locations/locations.service.js';
import * as settingsRepo from './online-settings.repo.js';
import { toSettings, type OnlineSettings } from './online-settings.service.js';

/**
 * What the booking page may show of a shop: names, address, the shop's phone, services (name, description,
 * duration, price) and staff (display name and title). Never a staff member's contact details, never
 * another client's data, never an internal id beyond those the page sends back.
 */
export interface PublicLocation {
  slug: string;
  name: string;
  time_zone: string;
  address: { line1: string; line2: string | null; city: string; postcode: string; country: string };
  phone: string | null;
  message: string | null;
  contact_required: OnlineSettings['contact_required'];
  cancellation_window_hours: number;
}
export interface PublicService { id: string; name: string; description: string | null; duration_minutes: number; price: { amount: number; currency: string } }
export interface PublicStaff { id: string; display_name: string; title: string | null; service_ids: string[] }

export const noShop = () => new ApiError('resource_not_found', 'There is no shop at this address. Check the link you were given.');
export const notTakingBookings = (what: string) => new ApiError('resource_not_found', `${what} is not taking bookings online at the moment. Please contact the shop.`);

export function publicLocation(row: LocationRow, settings: OnlineSettings): PublicLocation {
  const a = JSON.parse(row.address) as AddressInput;
  return {
    slug: row.slug, name: row.name, time_zone: row.time_zone,
    address: { line1: a.line1, line2: a.line2 ?? null, city: a.city, postcode: a.postcode, country: a.country ?? 'GB' },
    phone: row.phone, message: settings.message, contact_required: settings.contact_required,
    cancellation_window_hours: settings.cancellation_window_hours,
  };
}

const publicService = (s: ServiceRow): PublicService => ({
  id: s.id, name: s.name, description: s.description, duration_minutes: s.duration_minutes, price: { amount: s.price_amount, currency: s.currency },
});

/** A location takes online bookings when the shop turned it on and it has opening hours at all. */
const takesBookings = (row: LocationRow, settings: OnlineSettings) => settings.enabled && (JSON.parse(row.opening_hours) as StoredRange[]).length > 0;

export async function requireShop(database: Database, orgSlug: string): Promise<OrgRow> {
  const org = await findOrgBySlug(database.db, orgSlug);
  if (!org) throw noShop();
  return org;
}

/** The shop's locations that take online bookings (`404` when none does). */
export async function onlineLocations(database: Database, org: OrgRow): Promise<PublicLocation[]> {
  const db = database.db;
  const [locations, settings] = await Promise.all([
    db.selectFrom('locations').selectAll().where('org_id', '=', org.id).orderBy('created_at').orderBy('id').execute(),
    settingsRepo.listSettings(db, org.id),
  ]);
  const byLocation = new Map(settings.map((s) => [s.location_id, toSettings(s)]));
  const open = locations.filter((l) => takesBookings(l, byLocation.get(l.id) ?? toSettings(undefined)));
  if (!open.length) throw notTakingBookings(org.name);
  return open.map((l) => publicLocation(l, byLocation.get(l.id)!));
}

export interface LocationOffer {
  org: OrgRow;
  location: LocationRow;
  settings: OnlineSettings;
  services: PublicService[];
  staff: PublicStaff[];
}

/**
 * Everything the page offers at one location, read in one place: the location (`404` if unknown, turned off,
 * or without opening hours), its active services not kept off the page that at least one online-bookable
 * staff member performs there, and those staff members.
 */
export async function locationOffer(database: Database, org: OrgRow, locationSlug: string): Promise<LocationOffer> {
  const location = await findLocationBySlug(database, org.id, locationSlug);
  if (!location) throw new ApiError('resource_not_found', 'There is no such location at this shop. Check the link you were given.');
  const settings = toSettings(await settingsRepo.findSettings(database.db, org.id, location.id));
  if (!takesBookings(location, settings)) throw notTakingBookings(location.name);
  const { services, staff } = await offerAt(database.db, org.id, location.id);
  return { org, location, settings, services, staff };
}

async function offerAt(db: Kysely<DB>, orgId: string, locationId: string): Promise<{ services: PublicService[]; staff: PublicStaff[] }> {
  const [serviceRows, staffRows, hidden] = await Promise.all([
    listServices(db, orgId, { locationId, activeOnly: true }, 1000),
    listStaff(db, orgId, { locationId, bookableOnly: true }, 1000),
    settingsRepo.hiddenIds(db, orgId),
  ]);
  const services = serviceRows.filter((s) => !hidden.services.has(s.id));
  const staff = staffRows.filter((s) => !hidden.staff.has(s.id));
  const links = staff.length
    ? await db.selectFrom('staff_services').select(['staff_id', 'service_id']).where('org_id', '=', orgId).where('staff_id', 'in', staff.map((s) => s.id)).execute()
    : [];
  const offered = new Set(services.map((s) => s.id));
  const publicStaff = staff.map((s) => ({
    id: s.id, display_name: s.display_name, title: s.title,
    service_ids: links.filter((l) => l.staff_id === s.id && offered.has(l.service_id)).map((l) => l.service_id),
  })).filter((s) => s.service_ids.length > 0);
  const performed = new Set(publicStaff.flatMap((s) => s.service_ids));
  return { services: services.filter((s) => performed.has(s.id)).map(publicService), staff: publicStaff };
}

/** The service as offered online (`404 parameter service` otherwise). */
export function offeredService(offer: LocationOffer, serviceId: string): PublicService {
  const service = offer.services.find((s) => s.id === serviceId);
  if (!service) throw new ApiError('resource_not_found', 'This service cannot be booked online here. Choose another, or contact the shop.', 'service');
  return service;
}

/** Staff bookable online for a service; with `staffId`, that one (`404 parameter staff` if not bookable online for it). */
export function offeredStaff(offer: LocationOffer, serviceId: string, staffId?: string): PublicStaff[] {
  const able = offer.staff.filter((s) => s.service_ids.includes(serviceId));
  if (staffId === undefined) return able;
  const one = able.find((s) => s.id === staffId);
  if (!one) throw new ApiError('resource_not_found', 'This staff member cannot be booked online for this service. Choose someone else, or “anyone”.', 'staff');
  return [one];
}
