import { z } from 'zod';
import { HHMM_RE, WEEKDAYS } from '../../lib/wall-clock.js';
import { listQuery } from '../../http/pagination.js';
import { locationExample } from '../../http/examples.js';

const TimeRange = z.object({ opens: z.string().regex(HHMM_RE, 'expected HH:MM'), closes: z.string().regex(HHMM_RE, 'expected HH:MM') });
export const OpeningHours = z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(TimeRange)])) as Record<(typeof WEEKDAYS)[number], z.ZodArray<typeof TimeRange>>)
  .describe('Weekly opening hours in the location\'s time zone; several ranges a day, gaps are breaks.');

export const Address = z.object({
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  postcode: z.string(),
  country: z.string().length(2),
});

export const Closure = z.object({ starts_on: z.string(), ends_on: z.string(), reason: z.string().nullable() });

export const Location = z.object({
  object: z.literal('location'),
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  time_zone: z.string(),
  address: Address,
  phone: z.string().nullable(),
  opening_hours: OpeningHours,
  minimum_notice_minutes: z.number().int(),
  booking_horizon_days: z.number().int(),
  closures: z.array(Closure).describe('Closures that have not yet ended (dates in the location\'s zone, inclusive).'),
  created_at: z.string(),
  updated_at: z.string(),
}).meta({ examples: [locationExample] });
export type LocationView = z.infer<typeof Location>;

export const ListLocationsQuery = z.strictObject({ ...listQuery });
export const LocationParams = z.object({ slug: z.string().max(100) });
