import { z } from 'zod';
import { filterParam, listQuery } from '../../http/pagination.js';
import { OpeningHours } from '../locations/locations.schemas.js';
import { staffExample } from '../../http/examples.js';

const DatedRange = z.object({
  date: z.string().describe('Local date (YYYY-MM-DD) in the location\'s time zone.'),
  starts: z.string().describe('Local time HH:MM.'),
  ends: z.string().describe('Local time HH:MM (24:00 = end of the day).'),
  location: z.string().nullable().describe('Location slug, or null for every location they work at.'),
});

export const Staff = z.object({
  object: z.literal('staff'),
  id: z.string(),
  display_name: z.string(),
  title: z.string().nullable(),
  bookable: z.boolean(),
  locations: z.array(z.string()).describe('Slugs of the locations they work at.'),
  services: z.array(z.string()).describe('Ids of the services they perform.'),
  working_hours: z.record(z.string(), OpeningHours).describe('Weekly working hours per location slug, in that location\'s time zone.'),
  time_off: z.array(DatedRange).describe('Dated unavailability not yet over (time off, holidays), as local ranges: these times are not bookable even within working hours. No reason is given (it can be personal).'),
  extra_hours: z.array(DatedRange).describe('Dated extra working time not yet over, as local ranges.'),
  created_at: z.string(),
  updated_at: z.string(),
}).meta({ examples: [staffExample] });
export type StaffView = z.infer<typeof Staff>;

export const ListStaffQuery = z.strictObject({
  ...listQuery,
  location: filterParam(100).optional().describe('Only staff working at this location (slug).'),
  service: filterParam(100).optional().describe('Only staff performing this service (id).'),
});
export const StaffParams = z.object({ id: z.string().max(100) });
