import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { lockKeys } from '../../db/locks.js';
import { ApiError } from '../../http/errors.js';
import { iso } from '../../http/schemas.js';
import type { Actor } from '../events/actor.js';
import { getAvailability, type AvailabilityDeps } from '../availability/availability.service.js';
import { createBooking } from '../bookings/create-booking.js';
import type { BookingView } from '../bookings/bookings.schemas.js';
import { normaliseClientDetails, updateClientIn, type NormalisedClient } from '../clients/clients.service.js';
import { runMutation, type MutationOutcome } from '../idempotency/idempotency.service.js';
import type { OrgRow } from '../orgs/orgs.repo.js';
import { manageUrl, mintManageToken } from './manage-links.js';
import { offeredService, offeredStaff, publicLocation, type LocationOffer, type PublicLocation } from './online-offer.js';
import type { OnlineSettings } from './online-settings.service.js';
import type { OnlineBookingBody } from './online.schemas.js';

/** What the page shows of a booking: never the client's contact details, never another booking. */
export interface PublicBooking {
  reference: string;
  status: BookingView['status'];
  starts_at: string;
  ends_at: string;
  service: { name: string; duration_minutes: number };
  staff: { id: string; display_name: string };
  price: BookingView['price'];
  client: { first_name: string | null };
  shop: { name: string; slug: string };
  location: PublicLocation;
  cancelled_at: string | null;
  /** Until when the client may reschedule or cancel online (the cancellation window), RFC 3339. */
  changes_until: string;
  can_change: boolean;
}

export function publicBooking(view: BookingView, firstName: string | null, org: OrgRow, location: PublicLocation, settings: OnlineSettings, now: number): PublicBooking {
  const until = Date.parse(view.starts_at) - settings.cancellation_window_hours * 3_600_000;
  return {
    reference: view.reference, status: view.status, starts_at: view.starts_at, ends_at: view.ends_at,
    service: { name: view.service.name, duration_minutes: view.duration_minutes },
    staff: view.staff, price: view.price, client: { first_name: firstName },
    shop: { name: org.name, slug: org.slug }, location,
    cancelled_at: view.cancelled_at, changes_until: iso(until), can_change: view.status === 'confirmed' && now < until,
  };
}

/**
 * Free times on the page: the availability engine's slots (exactly as `/v1` computes them), for the staff who
 * may be booked online for this service, `staff` alone when named. `excludeBooking` (a reference) counts that
 * booking's own time as free (rescheduling). Errors: `404` for a service or staff member not bookable online.
 */
export async function onlineSlots(availability: AvailabilityDeps, offer: LocationOffer, q: { service: string; staff?: string; from?: string; to?: string }, now: number, excludeBooking?: string) {
  offeredService(offer, q.service);
  const allowed = new Set(offeredStaff(offer, q.service, q.staff).map((s) => s.id));
  const answer = await getAvailability(availability, offer.org.id, offer.location.slug, {
    service: q.service, staff: q.staff, from: q.from, to: q.to, exclude_booking: excludeBooking,
  }, now);
  return { object: 'availability' as const, time_zone: answer.time_zone, from: answer.from, to: answer.to, slots: answer.slots.filter((s) => allowed.has(s.staff_id)) };
}

/** The contact a booking names, as the shop requires it: normalised, or the field's error in place. */
export function contactFrom(body: OnlineBookingBody, required: OnlineSettings['contact_required']): NormalisedClient {
  const email = body.email?.trim() || undefined;
  const phone = body.phone?.trim() || undefined;
  if (required === 'email' && !email) throw new ApiError('parameter_missing', 'Enter your email address: the shop sends your confirmation there.', 'email');
  if (required === 'phone' && !phone) throw new ApiError('parameter_missing', 'Enter your phone number: the shop needs it to reach you.', 'phone');
  if (required === 'either' && !email && !phone) throw new ApiError('parameter_missing', 'Enter an email address or a phone number so the shop can reach you.', 'email');
  if (!body.last_name?.trim()) throw new ApiError('parameter_missing', 'Enter your last name.', 'last_name');
  const details = normaliseClientDetails({ first_name: body.first_name, last_name: body.last_name, email, phone });
  return details;
}

/** Keys for the per-contact rate limit: the normalised email and phone. */
export const contactKeys = (c: NormalisedClient) => [c.email, c.phone].filter((x): x is string => !!x);

/**
 * The cap on a contact's live future online bookings at this location (a shop setting, default 3), checked
 * inside the booking's transaction after its insert, under a per-contact lock (PostgreSQL), so two racing
 * submissions cannot both squeeze under it.
 */
async function enforceCap(trx: Kysely<DB>, orgId: string, offer: LocationOffer, contact: NormalisedClient, now: number): Promise<void> {
  const keys = contactKeys(contact);
  await lockKeys(trx, keys.map((k) => `setora:online-contact:${orgId}:${k}`));
  const row = await trx.selectFrom('bookings as b')
    .innerJoin('clients as c', (j) => j.onRef('c.id', '=', 'b.client_id').onRef('c.org_id', '=', 'b.org_id'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('b.org_id', '=', orgId).where('b.location_id', '=', offer.location.id).where('b.source', '=', 'online')
    .where('b.status', '=', 'confirmed').where('b.start_ms', '>', now)
    .where((eb) => eb.or([
      ...(contact.email ? [eb('c.email', '=', contact.email)] : []),
      ...(contact.phone ? [eb('c.phone', '=', contact.phone)] : []),
    ]))
    .executeTakeFirstOrThrow();
  const cap = offer.settings.max_live_bookings;
  if (Number(row.n) > cap) {
    throw new ApiError('resource_conflict', `You already have ${cap} upcoming online ${cap === 1 ? 'booking' : 'bookings'} at ${offer.location.name}, the most the shop allows. Change or cancel one with the link in its confirmation, or call the shop${offer.location.phone ? ` on ${offer.location.phone}` : ''}.`, undefined, { reason: 'online_booking_limit' });
  }
}

export interface OnlineBookingResult { booking: PublicBooking; manage_token: string; manage_url: string }

/**
 * A client books on the page (source `online`): the location must take online bookings, the service and
 * staff member (or "anyone": only staff bookable online) must be bookable online; the contact details as
 * the shop requires them; then the one booking use case (`createBooking`: rules, typed 409, the database's
 * no-overlap guarantee), and in its transaction: the cap on the contact's live online bookings, marketing
 * consent if a box was ticked (recorded with its time; never withdrawn here), the manage token (digest only),
 * and the idempotency record. A repeated submission with the same `Idempotency-Key` makes no second booking:
 * it answers the first booking again with a fresh manage token (the stored answer holds no token).
 */
export async function bookOnline(
  database: Database,
  offer: LocationOffer,
  body: OnlineBookingBody,
  req: { requestId: string; idempotencyKey?: string; path: string; now: number; publicUrl: string },
): Promise<MutationOutcome> {
  if (body.website) throw new ApiError('parameter_invalid', 'This form could not be sent. Please reload the page and try again.', 'website');
  const service = offeredService(offer, body.service);
  const among = offeredStaff(offer, service.id, body.staff).map((s) => s.id);
  const contact = contactFrom(body, offer.settings.contact_required);
  const { org } = offer;
  const actor: Actor = { orgId: org.id, source: 'online', requestId: req.requestId, now: req.now };
  let token = '';
  let firstName: string | null = contact.first_name;
  const outcome = await runMutation(database, org.id, {
    key: req.idempotencyKey === undefined ? undefined : `online:${req.idempotencyKey}`,
    method: 'POST', path: req.path, body, requestId: req.requestId, now: req.now, status: 201,
  }, (remember) => createBooking(database, actor, {
    location: offer.location.slug, service: service.id, staff: body.staff, staffAmong: among,
    start: { instant: body.starts_at }, client: contact, notes: body.notes,
  }, {
    beforeCommit: async (trx, view) => {
      await enforceCap(trx, org.id, offer, contact, req.now);
      if (body.marketing?.email || body.marketing?.sms) {
        const consent = { ...(body.marketing.email ? { email: true } : {}), ...(body.marketing.sms ? { sms: true } : {}) };
        const client = await updateClientIn(trx, actor, view.client.id, { marketing_consent: consent });
        firstName = client.first_name;
      }
      token = await mintManageToken(trx, org.id, view.id, req.now);
      await remember?.(trx, view);
    },
  }));
  if (outcome.status >= 400) return outcome;
  const view = outcome.body as BookingView;
  if (outcome.replayed) token = await database.db.transaction().execute((trx) => mintManageToken(trx, org.id, view.id, req.now));
  const location = publicLocation(offer.location, offer.settings);
  return {
    status: outcome.status,
    replayed: outcome.replayed,
    body: { booking: publicBooking(view, firstName, org, location, offer.settings, req.now), manage_token: token, manage_url: manageUrl(req.publicUrl, org.slug, token) },
  };
}

