import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LocalDate } from '../../http/schemas.js';
import { getAvailability } from '../availability/availability.service.js';
import * as bookings from '../bookings/bookings.service.js';
import { CancelBody, CreateBookingBody, RescheduleBody } from '../bookings/bookings.routes.js';
import { BookingParams } from '../bookings/bookings.schemas.js';
import { findClient } from '../clients/clients.repo.js';
import type { HubDeps } from './index.js';
import { principalOf } from './hub-guard.js';
import { diaryDay, inTransaction } from './diary.service.js';
import { weekRoutes } from './week.routes.js';

const Slug = z.string().min(1).max(100);
const DiaryQuery = z.strictObject({ location: Slug, date: LocalDate.optional() });
const AvailabilityQuery = z.strictObject({ location: Slug, service: Slug, date: LocalDate, staff: Slug.optional(), exclude_booking: z.string().max(20).optional() });
const OutcomeBody = z.strictObject({ status: z.enum(['completed', 'no_show']) });

/**
 * The diary: a location's day, free slots, and booking changes. Every member (staff included) may use it.
 * Bookings go through the same services, engine and database guarantee as the API, marked `source: hub`.
 */
export const diaryRoutes = (ctx: HubDeps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const org = (req: Parameters<typeof principalOf>[0]) => principalOf(req).orgId;

  r.get('/diary', { schema: { querystring: DiaryQuery } }, (req) => diaryDay(ctx.database, org(req), req.query, ctx.clock()));
  await app.register(weekRoutes(ctx));

  r.get('/availability', { schema: { querystring: AvailabilityQuery } }, (req) =>
    getAvailability(ctx.database, org(req), req.query.location, {
      service: req.query.service, staff: req.query.staff, from: req.query.date, to: req.query.date, exclude_booking: req.query.exclude_booking,
    }, ctx.clock()));

  r.get('/bookings/:reference', { schema: { params: BookingParams } }, async (req) => {
    const orgId = org(req);
    const row = await bookings.requireBooking(ctx.database.db, orgId, req.params.reference);
    const client = await findClient(ctx.database.db, orgId, row.client_id);
    return {
      ...bookings.toBookingView(row),
      client: { id: row.client_id, name: bookings.toBookingView(row).client.name, email: client?.email ?? null, phone: client?.phone ?? null, erased: client?.erased_at != null },
    };
  });

  r.post('/bookings', { schema: { body: CreateBookingBody } }, async (req, reply) => {
    const orgId = org(req);
    const booking = await inTransaction(ctx.database, async (trx) => {
      const resolved = await bookings.prepareCreate(trx, orgId, req.body);
      return bookings.createBooking(trx, orgId, req.body, { now: ctx.clock(), source: 'hub', ...resolved });
    });
    reply.code(201);
    return booking;
  });

  r.post('/bookings/:reference/reschedule', { schema: { params: BookingParams, body: RescheduleBody } }, (req) =>
    inTransaction(ctx.database, (trx) => bookings.rescheduleBooking(trx, org(req), req.params.reference, req.body, { now: ctx.clock() })));

  r.post('/bookings/:reference/cancel', { schema: { params: BookingParams, body: CancelBody } }, (req) =>
    inTransaction(ctx.database, (trx) => bookings.cancelBooking(trx, org(req), req.params.reference, req.body, { now: ctx.clock(), via: 'hub' })));

  r.post('/bookings/:reference/outcome', { schema: { params: BookingParams, body: OutcomeBody } }, (req) =>
    inTransaction(ctx.database, (trx) => bookings.markOutcome(trx, org(req), req.params.reference, req.body.status, { now: ctx.clock() })));
};
