import { z } from 'zod';
import { filterParam, listQuery } from '../../http/pagination.js';
import { InstantInput } from '../../http/time-schemas.js';
import { Money } from '../../http/schemas.js';
import { bookingExample } from '../../http/examples.js';

/** The availability rules that a Hub member may set aside (API.md §2 reasons, minus overlap, which never is). */
export const SETTABLE_ASIDE = ['too_soon', 'beyond_horizon', 'not_on_slot_grid', 'outside_working_hours', 'staff_time_off', 'location_closed'] as const;

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
  source: z.enum(['api', 'hub', 'online']).describe('Where the booking was made: the API, the Hub, or the online booking page.'),
  rules_set_aside: z.array(z.enum(SETTABLE_ASIDE)).describe('Availability rules a Hub member knowingly set aside for this booking (e.g. a walk-in outside working hours); empty for bookings made within every rule.'),
  created_at: z.string(),
  updated_at: z.string(),
  cancelled_at: z.string().nullable(),
  cancellation_reason: z.string().nullable(),
  cancelled_via: z.enum(['api', 'hub', 'online', 'system']).nullable(),
}).meta({ examples: [bookingExample] });
export type BookingView = z.infer<typeof Booking>;

export const ListBookingsQuery = z.strictObject({
  ...listQuery,
  location: filterParam(100).optional().describe('Location slug.'),
  staff: filterParam(100).optional().describe('Staff id.'),
  client: filterParam(100).optional().describe('Client id.'),
  status: z.enum(BOOKING_STATUSES).optional(),
  starts_after: InstantInput.optional().describe('Bookings starting at or after this instant.'),
  starts_before: InstantInput.optional().describe('Bookings starting before this instant.'),
});
export const BookingParams = z.object({ reference: z.string().max(20) });
