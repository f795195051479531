import type { Database } from '../../db/connect.js';
import type { AvailabilityDeps } from '../availability/availability.service.js';
import { ApiError } from '../../http/errors.js';
import type { Actor } from '../events/actor.js';
import { findOrgById } from '../orgs/orgs.repo.js';
import { findLocationById } from '../locations/locations.repo.js';
import { findBookingById } from '../bookings/bookings.repo.js';
import { toBookingView } from '../bookings/bookings.service.js';
import { cancelBooking, rescheduleBooking } from '../bookings/change-booking.js';
import { notModifiable } from '../bookings/bookings.refusals.js';
import { findManageLink, MANAGE_LINK_DAYS_AFTER_END } from './manage-links.js';
import { locationOffer, offeredStaff, publicLocation } from './online-offer.js';
import { settingsFor } from './online-settings.service.js';
import { onlineSlots, publicBooking, type PublicBooking } from './online-booking.service.js';

const unknownLink = () => new ApiError('resource_not_found', 'This link does not open a booking: it may be mistyped or too old. Contact the shop if you need to change your booking.');

/**
 * The booking a manage token opens, with its shop, location and settings. A token of the wrong shape, an
 * unknown one, or one whose booking ended more than MANAGE_LINK_DAYS_AFTER_END days ago: `404`, all alike.
 */
async function openLink(database: Database, token: string, now: number) {
  const link = await findManageLink(database.db, token);
  if (!link) throw unknownLink();
  const db = database.db;
  const row = await findBookingById(db, link.org_id, link.booking_id);
  if (!row || row.end_ms + MANAGE_LINK_DAYS_AFTER_END * 86_400_000 < now) throw unknownLink();
  const [org, location, settings] = await Promise.all([
    findOrgById(db, link.org_id), findLocationById(db, link.org_id, row.location_id), settingsFor(db, link.org_id, row.location_id),
  ]);
  return { row, org: org!, location: location!, settings, view: toBookingView(row) };
}

/** The booking behind a manage link, as the page shows it. */
export async function managedBooking(database: Database, token: string, now: number): Promise<PublicBooking> {
  const { row, org, location, settings, view } = await openLink(database, token, now);
  return publicBooking(view, row.client_first_name, org, publicLocation(location, settings), settings, now);
}

/**
 * Online changes close `cancellation_window_hours` before the start (a location setting): after that the
 * client is told to call the shop. `409 booking_not_modifiable`.
 */
function assertWithinWindow(booking: PublicBooking): void {
  if (booking.status !== 'confirmed') throw notModifiable(`This booking is ${booking.status.replace('_', ' ')} and can no longer be changed.`, booking.status);
  if (!booking.can_change) {
    const phone = booking.location.phone ? ` on ${booking.location.phone}` : '';
    throw notModifiable(`Online changes to this booking closed ${booking.location.cancellation_window_hours} hours before it starts. Please call ${booking.location.name}${phone}.`, booking.status);
  }
}

/** Free times to move the booking to: the same service at the same location, its own time counted as free. */
export async function manageSlots(availability: AvailabilityDeps, token: string, q: { from?: string; to?: string }, now: number) {
  const { database } = availability;
  const { row, org, location } = await openLink(database, token, now);
  const offer = await locationOffer(database, org, location.slug);
  return onlineSlots(availability, offer, { service: row.service_id, from: q.from, to: q.to }, now, row.reference);
}

const onlineActor = (orgId: string, requestId: string, now: number): Actor => ({ orgId, source: 'online', requestId, now });

/**
 * Moves the booking through the one reschedule use case (`rescheduleBooking`, as the API): within the
 * cancellation window only, to a time and staff member bookable online. Errors: `404` (link, staff not
 * bookable online), `409 booking_not_modifiable`, `409 slot_unavailable` with its reason.
 */
export async function rescheduleOnline(database: Database, token: string, input: { starts_at: string; staff?: string }, requestId: string, now: number): Promise<PublicBooking> {
  const { row, org, location, settings, view } = await openLink(database, token, now);
  const publicLoc = publicLocation(location, settings);
  assertWithinWindow(publicBooking(view, row.client_first_name, org, publicLoc, settings, now));
  const offer = await locationOffer(database, org, location.slug);
  const staff = input.staff ?? row.staff_id;
  // Moving to someone else needs them bookable online; staying with one's own staff member is always fine.
  if (staff !== row.staff_id) offeredStaff(offer, row.service_id, staff);
  const after = await rescheduleBooking(database, onlineActor(org.id, requestId, now), row.reference, { start: { instant: input.starts_at }, staff: input.staff });
  return publicBooking(after, row.client_first_name, org, publicLoc, settings, now);
}

/** Cancels through the one cancel use case (`cancelled_via: online`), within the cancellation window only. */
export async function cancelOnline(database: Database, token: string, requestId: string, now: number): Promise<PublicBooking> {
  const { row, org, location, settings, view } = await openLink(database, token, now);
  const publicLoc = publicLocation(location, settings);
  assertWithinWindow(publicBooking(view, row.client_first_name, org, publicLoc, settings, now));
  const after = await cancelBooking(database, onlineActor(org.id, requestId, now), row.reference, { reason: 'Cancelled online by the client' });
  return publicBooking(after, row.client_first_name, org, publicLoc, settings, now);
}
