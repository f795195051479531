import { z } from 'zod';
import { listQuery } from '../../http/pagination.js';
import { Money } from '../../http/schemas.js';
import { bookingExample } from '../../http/examples.js';

export const BOOKING_STATUSES = ['confirmed', 'cancelled', 'completed', 'no_show'] as const;

export const Booking = z.object({
  object: z.literal('booking'),
  id: z.string(),
  reference: z.string().describe('Short and unambiguous, e.g. `K7QX-2M4P`; kept when rescheduled.'),
  status: z.enum(BOOKING_STATUSES),
  location: z.string().describe('Location slug.'),
  service: z.object({ id: z.string(), name: z.string() }),
  staff: z.object({ id: z.string(), display_name: z.string() }),
  client: z.object({ id: z.string(), name: z.string().nullable() }),
  starts_at: z.string(),
  ends_at: z.string(),
  duration_minutes: z.number().int().describe('As booked: later edits to the service do not change it.'),
  buffer_minutes: z.number().int().describe('Clean-up after the booking, as booked; the staff member is busy until `ends_at` + buffer.'),
  price: Money.describe('As booked.'),
  notes: z.string().nullable(),
  source: z.enum(['api', 'hub']),
  created_at: z.string(),
  updated_at: z.string(),
  cancelled_at: z.string().nullable(),
  cancellation_reason: z.string().nullable(),
  cancelled_via: z.enum(['api', 'hub']).nullable(),
}).meta({ examples: [bookingExample] });
export type BookingView = z.infer<typeof Booking>;

const Rfc3339 = z.string().max(40).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i, 'expected an RFC 3339 instant with an offset, e.g. 2026-11-30T09:30:00Z')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real instant');
export const InstantInput = Rfc3339;

export const ListBookingsQuery = z.strictObject({
  ...listQuery,
  location: z.string().max(100).optional().describe('Location slug.'),
  staff: z.string().max(100).optional().describe('Staff id.'),
  client: z.string().max(100).optional().describe('Client id.'),
  status: z.enum(BOOKING_STATUSES).optional(),
  starts_after: Rfc3339.optional().describe('Bookings starting at or after this instant.'),
  starts_before: Rfc3339.optional().describe('Bookings starting before this instant.'),
});
export const BookingParams = z.object({ reference: z.string().max(20) });
