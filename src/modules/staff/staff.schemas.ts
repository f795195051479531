import { z } from 'zod';
import { listQuery } from '../../http/pagination.js';
import { OpeningHours } from '../locations/locations.schemas.js';
import { staffExample } from '../../http/examples.js';

export const Staff = z.object({
  object: z.literal('staff'),
  id: z.string(),
  display_name: z.string(),
  title: z.string().nullable(),
  bookable: z.boolean(),
  locations: z.array(z.string()).describe('Slugs of the locations they work at.'),
  services: z.array(z.string()).describe('Ids of the services they perform.'),
  working_hours: z.record(z.string(), OpeningHours).describe('Weekly working hours per location slug, in that location\'s time zone.'),
  created_at: z.string(),
  updated_at: z.string(),
}).meta({ examples: [staffExample] });
export type StaffView = z.infer<typeof Staff>;

export const ListStaffQuery = z.strictObject({
  ...listQuery,
  location: z.string().max(100).optional().describe('Only staff working at this location (slug).'),
  service: z.string().max(100).optional().describe('Only staff performing this service (id).'),
});
export const StaffParams = z.object({ id: z.string().max(100) });
