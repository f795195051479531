import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/connect.js';
import { ApiError } from '../../http/errors.js';
import { sendOutcome } from '../../http/mutation.js';
import type { RateLimiter } from '../../http/rate-limit.js';
import type { AvailabilityDeps } from '../availability/availability.service.js';
import { locationOffer, onlineLocations, publicLocation, requireShop } from './online-offer.js';
import { bookOnline, contactFrom, contactKeys, onlineSlots } from './online-booking.service.js';
import { cancelOnline, managedBooking, manageSlots, rescheduleOnline } from './manage-booking.service.js';
import { bookingCalendar } from './calendar.js';
import * as s from './online.schemas.js';

export interface OnlineDeps {
  config: Config;
  database: Database;
  clock: () => number;
  limiter: RateLimiter;
  /** The app's caches (availability answers are shared with /v1 and the Hub). */
  caches?: AvailabilityDeps['caches'];
}

/** The header the page sends a manage token in (never in a URL, so never in an access log). */
export const MANAGE_TOKEN_HEADER = 'x-manage-token';

const HOUR = 3_600_000;
const tooMany = (message: string, seconds: number) => new ApiError('rate_limited', message, undefined, {}, { 'retry-after': String(seconds) });

/**
 * `/book/api`: the booking page's public endpoints, and nothing more (DESIGN.md "The online booking page"):
 * the shop's offer, free times, making a booking, and one booking by its manage token. No API key, no
 * session, no cookie: the org comes from the page's address, or from the token. Every answer uses the API's
 * error envelope; every request counts against a per-address limit, bookings also per contact.
 */
export const onlineRoutes = (deps: OnlineDeps): FastifyPluginAsync => async (app) => {
  const { config, database, clock, limiter } = deps;
  const limits = config.online;
  app.addHook('onRoute', (route) => {
    route.schema = route.schema ?? {};
    (route.schema as { hide?: boolean }).hide = true; // not part of the public API document
  });
  app.addHook('onRequest', async (req) => {
    const rl = await limiter.hit(`online:ip:${req.ip}`, limits.requestsPerMinute, 60_000, clock());
    if (!rl.allowed) throw tooMany('Too many requests from your connection. Please wait a minute and try again.', rl.resetSeconds);
  });

  const token = (req: FastifyRequest): string => {
    const t = req.headers[MANAGE_TOKEN_HEADER];
    return typeof t === 'string' ? t : '';
  };
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/shops/:org', { schema: { params: s.ShopParams } }, async (req) => {
    const org = await requireShop(database, req.params.org);
    return { shop: { name: org.name, slug: org.slug }, locations: await onlineLocations(database, org) };
  });

  r.get('/shops/:org/locations/:location', { schema: { params: s.LocationParams } }, async (req) => {
    const offer = await locationOffer(database, await requireShop(database, req.params.org), req.params.location);
    return { shop: { name: offer.org.name, slug: offer.org.slug }, location: publicLocation(offer.location, offer.settings), services: offer.services, staff: offer.staff };
  });

  r.get('/shops/:org/locations/:location/availability', { schema: { params: s.LocationParams, querystring: s.SlotsQuery } }, async (req) => {
    const offer = await locationOffer(database, await requireShop(database, req.params.org), req.params.location);
    return onlineSlots(deps, offer, req.query, clock());
  });

  r.post('/shops/:org/locations/:location/bookings', { schema: { params: s.LocationParams, body: s.OnlineBookingBody } }, async (req, reply) => {
    const now = clock();
    const offer = await locationOffer(database, await requireShop(database, req.params.org), req.params.location);
    const perAddress = await limiter.hit(`online:book:ip:${req.ip}`, limits.bookingsPerHour, HOUR, now);
    if (!perAddress.allowed) throw tooMany('Too many bookings from your connection in the last hour. Please try again later or call the shop.', perAddress.resetSeconds);
    for (const key of contactKeys(contactFrom(req.body, offer.settings.contact_required))) {
      const perContact = await limiter.hit(`online:book:contact:${offer.org.id}:${key}`, limits.bookingsPerContactPerHour, HOUR, now);
      if (!perContact.allowed) throw tooMany('Too many booking attempts with these contact details in the last hour. Please try again later or call the shop.', perContact.resetSeconds);
    }
    const header = req.headers['idempotency-key'];
    const outcome = await bookOnline(database, offer, req.body, {
      requestId: req.id, idempotencyKey: Array.isArray(header) ? header[0] : header, path: req.url.split('?')[0]!, now, publicUrl: config.publicUrl,
    });
    sendOutcome(reply, outcome);
  });

  r.get('/manage', async (req) => ({ booking: await managedBooking(database, token(req), clock()) }));

  r.get('/manage/availability', { schema: { querystring: s.ManageSlotsQuery } }, (req) => manageSlots(deps, token(req), req.query, clock()));

  r.get('/manage/calendar.ics', async (req, reply) => {
    const booking = await managedBooking(database, token(req), clock());
    reply.type('text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="booking-${booking.reference}.ics"`);
    return bookingCalendar(booking);
  });

  r.post('/manage/reschedule', { schema: { body: s.RescheduleOnlineBody } }, async (req) =>
    ({ booking: await rescheduleOnline(database, token(req), req.body, req.id, clock()) }));

  r.post('/manage/cancel', async (req) => ({ booking: await cancelOnline(database, token(req), req.id, clock()) }));
};
