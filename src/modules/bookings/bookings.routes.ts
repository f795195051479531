import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listSchema } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import { sendMutation } from '../../http/mutation.js';
import type { V1Deps } from '../../http/v1.js';
import { ClientDetails } from '../clients/clients.schemas.js';
import { Booking, BookingParams, InstantInput, ListBookingsQuery } from './bookings.schemas.js';
import { createBookingExample } from '../../http/examples.js';
import * as service from './bookings.service.js';

const id = z.string().min(1).max(100);
export const CreateBookingBody = z.strictObject({
  location: id.describe('Location slug.'),
  service: id.describe('Service id.'),
  staff: id.optional().describe('Staff id. Omit to let Setora pick a free staff member (the least booked that day).'),
  starts_at: InstantInput.describe('RFC 3339 with an offset, e.g. `2026-12-01T10:00:00Z` or `2026-12-01T10:00:00+00:00`.'),
  client: z.union([id, z.strictObject(ClientDetails)]).describe('A client id, or `{first_name, last_name, email, phone}`: matched to an existing client by email, then phone, else created with the booking.'),
  notes: z.string().max(2000).optional(),
}).meta({ examples: [createBookingExample] });
export const RescheduleBody = z.strictObject({
  starts_at: InstantInput,
  staff: id.optional().describe('Move to another staff member (who offers the service at this location).'),
}).meta({ examples: [{ starts_at: '2026-12-01T11:30:00Z' }] });
export const CancelBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).meta({ examples: [{ reason: 'Client is unwell' }] });

export const bookingRoutes = (deps: V1Deps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/bookings', {
    schema: {
      tags: ['Bookings'],
      summary: 'List bookings',
      description: 'Ordered by `starts_at`, then `id`. Filters: `location`, `staff`, `client`, `status`, `starts_after` (inclusive), `starts_before` (exclusive).',
      querystring: ListBookingsQuery,
      response: { 200: listSchema(Booking), ...errorResponses([404]) },
    },
  }, (req) => service.listBookings(deps.database, deps.cursors, req.principal!.orgId, req.query));

  r.get('/bookings/:reference', {
    schema: { tags: ['Bookings'], summary: 'Retrieve a booking', params: BookingParams, response: { 200: Booking, ...errorResponses([404]) } },
  }, (req) => service.getBooking(deps.database, req.principal!.orgId, req.params.reference));

  r.post('/bookings', {
    schema: {
      tags: ['Bookings'],
      summary: 'Create a booking',
      description: 'Books a time that availability offers. If it can no longer be booked: `409 slot_unavailable` with a typed `reason`. Safe to retry with `Idempotency-Key`.',
      body: CreateBookingBody,
      response: { 201: Booking, ...errorResponses([404, 409, 413, 415, 422]) },
    },
  }, (req, reply) => sendMutation(deps, req, reply, async (trx) => {
    const orgId = req.principal!.orgId;
    const resolved = await service.prepareCreate(trx, orgId, req.body);
    return { status: 201, body: await service.createBooking(trx, orgId, req.body, { now: deps.clock(), source: 'api', ...resolved }) };
  }));

  r.post('/bookings/:reference/reschedule', {
    schema: {
      tags: ['Bookings'],
      summary: 'Reschedule a booking',
      description: 'Moves the booking (same reference) to a new start, optionally with another staff member. Its own old time does not block the new one. `409 slot_unavailable` or `409 booking_not_modifiable` when it cannot move.',
      params: BookingParams,
      body: RescheduleBody,
      response: { 200: Booking, ...errorResponses([404, 409, 413, 415, 422]) },
    },
  }, (req, reply) => sendMutation(deps, req, reply, async (trx) => ({
    status: 200,
    body: await service.rescheduleBooking(trx, req.principal!.orgId, req.params.reference, req.body, { now: deps.clock() }),
  })));

  r.post('/bookings/:reference/cancel', {
    schema: {
      tags: ['Bookings'],
      summary: 'Cancel a booking',
      description: 'Frees the time at once. A cancelled or past booking answers `409 booking_not_modifiable`. The body is optional.',
      params: BookingParams,
      body: CancelBody.optional(),
      response: { 200: Booking, ...errorResponses([404, 409, 413, 415, 422]) },
    },
  }, (req, reply) => sendMutation(deps, req, reply, async (trx) => ({
    status: 200,
    body: await service.cancelBooking(trx, req.principal!.orgId, req.params.reference, req.body ?? {}, { now: deps.clock(), via: 'api' }),
  })));
};
