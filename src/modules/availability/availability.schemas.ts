import { z } from 'zod';
import { LocalDate } from '../../http/schemas.js';
import { availabilityExample } from '../../http/examples.js';

export const AvailabilityQuery = z.strictObject({
  service: z.string().max(100).describe('Service id (required).'),
  staff: z.string().max(100).optional().describe('Staff id; omitted = everyone who offers the service here.'),
  from: LocalDate.optional().describe('First local date (YYYY-MM-DD, location\'s zone). Default: today.'),
  to: LocalDate.optional().describe('Last local date, inclusive; at most 62 days after `from`. Default: `from` + 6 days.'),
  exclude_booking: z.string().max(20).optional().describe('A booking reference (of this service and location) to reschedule: its own time counts as free, and slots are computed with the duration and buffer it was booked with, exactly what a reschedule of it checks. Pass `staff` too to see only times with its staff member (a reschedule without `staff` keeps it).'),
});

export const Availability = z.object({
  object: z.literal('availability'),
  location: z.string(),
  service: z.string(),
  time_zone: z.string(),
  from: z.string(),
  to: z.string(),
  slots: z.array(z.object({ starts_at: z.string(), ends_at: z.string(), staff_id: z.string() }))
    .describe('Every bookable start, ordered by time then staff id. Not paginated.'),
}).meta({ examples: [availabilityExample] });
