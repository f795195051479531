import { z } from 'zod';
import { LocalDateInput, StartInstantInput } from '../../http/time-schemas.js';

/** Request schemas of `/book/api`: strict (unknown fields are `400 parameter_unknown`), sizes bounded. */
const Slug = z.string().min(1).max(100);
const Id = z.string().min(1).max(100);

export const ShopParams = z.object({ org: Slug });
export const LocationParams = z.object({ org: Slug, location: Slug });

export const SlotsQuery = z.strictObject({
  service: Id,
  staff: Id.optional(),
  from: LocalDateInput.optional(),
  to: LocalDateInput.optional(),
});
export const ManageSlotsQuery = z.strictObject({ from: LocalDateInput.optional(), to: LocalDateInput.optional() });

const name = z.string().trim().min(1).max(100);
export const OnlineBookingBody = z.strictObject({
  service: Id,
  staff: Id.optional().describe('Omitted: anyone bookable online who is free then.'),
  starts_at: StartInstantInput,
  first_name: name,
  last_name: z.string().max(100).optional(),
  email: z.string().max(254).optional(),
  phone: z.string().max(40).optional(),
  notes: z.string().trim().max(500).optional(),
  marketing: z.strictObject({ email: z.boolean().optional(), sms: z.boolean().optional() }).optional()
    .describe('Marketing consent, per channel; both unticked unless the client ticks them.'),
  website: z.string().max(500).optional().describe('The honeypot: a field people never see. Anything in it and the form is refused.'),
});
export type OnlineBookingBody = z.infer<typeof OnlineBookingBody>;

export const RescheduleOnlineBody = z.strictObject({ starts_at: StartInstantInput, staff: Id.optional() });
