import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listSchema } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import { sendMutation } from '../../http/mutation.js';
import { StartInstantInput } from '../../http/time-schemas.js';
import { apiActor, type V1Deps } from '../../http/v1.js';
import { ClientDetails } from '../clients/clients.schemas.js';
import { Booking, BookingParams, ListBookingsQuery } from './bookings.schemas.js';
import { cancelBookingExample, createBookingExample, rescheduleBookingExample } from '../../http/examples.js';
import * as bookings from './bookings.service.js';
import { createBooking } from './create-booking.js';
import { cancelBooking, rescheduleBooking } from './change-booking.js';

const id = z.string().min(1).max(100);
const StartsAt = StartInstantInput.describe('RFC 3339 with an offset, on a whole minute, e.g. `2026-12-01T10:00:00Z` or `2026-12-01T10:00:00+00:00`.');
export const CreateBookingBody = z.strictObject({
  location: id.describe('Location slug.'),
  service: id.describe('Service id.'),
  staff: id.optional().describe('Staff id. Omit to let Setora pick a free staff member (the one with the fewest live bookings at the location that local day).'),
  starts_at: StartsAt,
  client: z.union([id, z.strictObject(ClientDetails)]).describe('A client id, or `{first_name, last_name, email, phone}`: matched to an existing client by email when one is given, otherwise by phone together with the same first and last name (case-insensitive), else created with the booking.'),
  notes: z.string().max(2000).optional(),
}).meta({ examples: [createBookingExample] });
export const RescheduleBody = z.strictObject({
  starts_at: StartsAt,
  staff: id.optional().describe('Move to another staff member (who offers the service at this location). Omitted: the booking keeps its staff member, even when availability offered the time for someone else.'),
}).meta({ examples: [rescheduleBookingExample] });
export const CancelBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).meta({ examples: [cancelBookingExample] });

export const bookingRoutes = (deps: V1Deps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/bookings', {
    schema: {
      tags: ['Bookings'],
      summary: 'List bookings',
      description: 'Ordered by `starts_at`, then `id`. Filters: `location`, `staff`, `client`, `status`, `starts_after` (inclusive), `starts_before` (exclusive). A filter given with an empty value is `400 parameter_invalid`.',
      querystring: ListBookingsQuery,
      response: { 200: listSchema(Booking), ...errorResponses([404]) },
    },
  }, (req) => bookings.listBookings(deps.database, deps.cursors, req.principal!.orgId, req.query, req.principal!.locationIds));

  r.get('/bookings/:reference', {
    schema: { tags: ['Bookings'], summary: 'Retrieve a booking', params: BookingParams, response: { 200: Booking, ...errorResponses([404]) } },
  }, (req) => bookings.getBooking(deps.database, req.principal!.orgId, req.params.reference, req.principal!.locationIds));

  r.post('/bookings', {
    schema: {
      tags: ['Bookings'],
      summary: 'Create a booking',
      description: 'Books a time that availability offers. If it can no longer be booked: `409 slot_unavailable` with a typed `reason` and a message naming the staff member. Safe to retry with `Idempotency-Key`.',
      body: CreateBookingBody,
      response: { 201: Booking, ...errorResponses([404, 'slot_unavailable', 413, 415, 422]) },
    },
  }, (req, reply) => sendMutation(deps, req, reply, 201, (beforeCommit) => {
    const { starts_at, ...rest } = req.body;
    return createBooking(deps.database, apiActor(req, deps.clock), { ...rest, start: { instant: starts_at } }, { beforeCommit });
  }));

  r.post('/bookings/:reference/reschedule', {
    schema: {
      tags: ['Bookings'],
      summary: 'Reschedule a booking',
      description: 'Moves the booking (same reference) to a new start; it keeps its staff member unless you pass `staff`, and keeps the duration, buffer and price it was booked with. Check times with availability and `exclude_booking=<reference>` (and `staff`, to see only its staff member\'s times). Its own old time does not block the new one. `409 slot_unavailable` (the message says who is free instead) or `409 booking_not_modifiable` when it cannot move.',
      params: BookingParams,
      body: RescheduleBody,
      response: { 200: Booking, ...errorResponses([404, 'slot_unavailable', 'booking_not_modifiable', 413, 415, 422]) },
    },
  }, (req, reply) => sendMutation(deps, req, reply, 200, (beforeCommit) =>
    rescheduleBooking(deps.database, apiActor(req, deps.clock), req.params.reference, { start: { instant: req.body.starts_at }, staff: req.body.staff }, { beforeCommit })));

  r.post('/bookings/:reference/cancel', {
    schema: {
      tags: ['Bookings'],
      summary: 'Cancel a booking',
      description: 'Frees the time at once. A cancelled or started booking answers `409 booking_not_modifiable`. The body is optional.',
      params: BookingParams,
      body: CancelBody.optional(),
      response: { 200: Booking, ...errorResponses([404, 'booking_not_modifiable', 413, 415, 422]) },
    },
  }, (req, reply) => sendMutation(deps, req, reply, 200, (beforeCommit) =>
    cancelBooking(deps.database, apiActor(req, deps.clock), req.params.reference, req.body ?? {}, { beforeCommit })));
};
