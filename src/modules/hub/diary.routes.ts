import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LocalDateInput, LocalTimeInput, StartInstantInput } from '../../http/time-schemas.js';
import { getAvailability } from '../availability/availability.service.js';
import * as bookings from '../bookings/bookings.service.js';
import { createBooking } from '../bookings/create-booking.js';
import { cancelBooking, recordOutcome, rescheduleBooking } from '../bookings/change-booking.js';
import type { StartInput } from '../bookings/booking-rules.js';
import { CancelBody } from '../bookings/bookings.routes.js';
import { BookingParams, SETTABLE_ASIDE } from '../bookings/bookings.schemas.js';
import { ClientDetails } from '../clients/clients.schemas.js';
import { findClient } from '../clients/clients.repo.js';
import type { HubDeps } from './index.js';
import { hubActor, principalOf } from './hub-guard.js';
import { diaryDay } from './diary.service.js';
import { weekRoutes } from './week.routes.js';
import * as H from './hub.schemas.js';

const Slug = z.string().min(1).max(100);
const Id = z.string().min(1).max(100);
const DiaryQuery = z.strictObject({ location: Slug, date: LocalDateInput.optional() });
const AvailabilityQuery = z.strictObject({ location: Slug, service: Slug, date: LocalDateInput, staff: Slug.optional(), exclude_booking: z.string().max(20).optional() });
const OutcomeBody = z.strictObject({ status: z.enum(['completed', 'no_show']) });

/**
 * When: a time offered by availability (`starts_at`, an instant: the only way to name the second 01:30 of a
 * fall-back night), or a local `date` and `time` typed by hand, which the server converts with the engine's
 * own rule. Exactly one of the two.
 */
const when = {
  starts_at: StartInstantInput.optional(),
  date: LocalDateInput.optional(),
  time: LocalTimeInput.optional(),
  set_aside: z.array(z.enum(SETTABLE_ASIDE)).max(SETTABLE_ASIDE.length).optional()
    .describe('Rules knowingly set aside for a walk-in; an overlap with another booking can never be.'),
};
const checkWhen = (b: { starts_at?: string; date?: string; time?: string }, ctx: z.RefinementCtx) => {
  if (b.starts_at !== undefined) {
    if (b.date !== undefined || b.time !== undefined) ctx.addIssue({ code: 'custom', message: 'give `starts_at` or `date` and `time`, not both', path: ['date'] });
    return;
  }
  if (b.date === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'string', message: 'a date (YYYY-MM-DD) and a time (HH:MM), or starts_at', path: ['date'], input: undefined });
  else if (b.time === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'string', message: 'a time (HH:MM)', path: ['time'], input: undefined });
};
const startOf = (b: { starts_at?: string; date?: string; time?: string }): StartInput =>
  b.starts_at !== undefined ? { instant: b.starts_at } : { date: b.date!, time: b.time! };

export const HubCreateBookingBody = z.strictObject({
  location: Slug, service: Id, staff: Id.optional(), ...when,
  client: z.union([Id, z.strictObject(ClientDetails)]),
  notes: z.string().max(2000).optional(),
}).superRefine(checkWhen);
export const HubRescheduleBody = z.strictObject({ staff: Id.optional(), ...when }).superRefine(checkWhen);

/**
 * The diary: a location's day, free slots, and booking changes. Every member (staff included) may use it.
 * Bookings go through the same use cases, engine and database guarantee as the API, marked `source: hub`;
 * a Hub member may also set rules aside for a walk-in (never an overlap).
 */
export const diaryRoutes = (ctx: HubDeps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const org = (req: Parameters<typeof principalOf>[0]) => principalOf(req).orgId;
  const actor = (req: Parameters<typeof principalOf>[0]) => hubActor(req, ctx.clock);

  r.get('/diary', { schema: { querystring: DiaryQuery, response: { 200: H.DiaryDay } } }, (req) => diaryDay(ctx.database, org(req), req.query, ctx.clock()));
  await app.register(weekRoutes(ctx));

  r.get('/availability', { schema: { querystring: AvailabilityQuery, response: { 200: H.Availability } } }, (req) =>
    getAvailability(ctx, org(req), req.query.location, {
      service: req.query.service, staff: req.query.staff, from: req.query.date, to: req.query.date, exclude_booking: req.query.exclude_booking,
    }, ctx.clock()));

  r.get('/bookings/:reference', { schema: { params: BookingParams, response: { 200: H.HubBooking } } }, async (req) => {
    const orgId = org(req);
    const row = await bookings.requireBooking(ctx.database.db, orgId, req.params.reference);
    const client = await findClient(ctx.database.db, orgId, row.client_id);
    const view = bookings.toBookingView(row);
    return { ...view, client: { ...view.client, email: client?.email ?? null, phone: client?.phone ?? null, erased: client?.erased_at != null } };
  });

  r.post('/bookings', { schema: { body: HubCreateBookingBody, response: { 201: H.Booking } } }, async (req, reply) => {
    const { starts_at: _s, date: _d, time: _t, set_aside, ...rest } = req.body;
    const booking = await createBooking(ctx.database, actor(req), { ...rest, start: startOf(req.body), setAside: set_aside });
    reply.code(201);
    return booking;
  });

  r.post('/bookings/:reference/reschedule', { schema: { params: BookingParams, body: HubRescheduleBody, response: { 200: H.Booking } } }, (req) =>
    rescheduleBooking(ctx.database, actor(req), req.params.reference, { start: startOf(req.body), staff: req.body.staff, setAside: req.body.set_aside }));

  r.post('/bookings/:reference/cancel', { schema: { params: BookingParams, body: CancelBody, response: { 200: H.Booking } } }, (req) =>
    cancelBooking(ctx.database, actor(req), req.params.reference, req.body ?? {}));

  r.post('/bookings/:reference/outcome', { schema: { params: BookingParams, body: OutcomeBody, response: { 200: H.Booking } } }, (req) =>
    recordOutcome(ctx.database, actor(req), req.params.reference, req.body.status));
};
