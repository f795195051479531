import { z } from 'zod';
import { filterParam, listQuery } from '../../http/pagination.js';
import { Money } from '../../http/schemas.js';
import { serviceExample } from '../../http/examples.js';

export const SLOT_INTERVALS = [5, 10, 15, 30, 60] as const;

export const Service = z.object({
  object: z.literal('service'),
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  duration_minutes: z.number().int(),
  buffer_minutes: z.number().int().describe('Clean-up time after the service; the staff member is busy for it.'),
  slot_interval_minutes: z.number().int().nullable().describe('Start times fall on this grid (5, 10, 15, 30 or 60 minutes from local midnight); `null` means back-to-back.'),
  price: Money,
  active: z.boolean(),
  locations: z.array(z.string()).describe('Slugs of the locations that offer it.'),
  created_at: z.string(),
  updated_at: z.string(),
}).meta({ examples: [serviceExample] });
export type ServiceView = z.infer<typeof Service>;

export const ListServicesQuery = z.strictObject({
  ...listQuery,
  location: filterParam(100).optional().describe('Only services offered at this location (slug).'),
});
export const ServiceParams = z.object({ id: z.string().max(100) });
