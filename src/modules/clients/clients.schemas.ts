import { z } from 'zod';
import { filterParam, listQuery } from '../../http/pagination.js';
import { clientExample, createClientExample } from '../../http/examples.js';

export const Client = z.object({
  object: z.literal('client'),
  id: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  email: z.string().nullable().describe('Lower-cased; unique per organisation.'),
  phone: z.string().nullable().describe('E.164, e.g. `+447700900123`. A phone may be shared (a parent booking for a child).'),
  notes: z.string().nullable(),
  consent: z.object({
    email_marketing: z.boolean(),
    email_marketing_given_at: z.string().nullable(),
    sms_marketing: z.boolean(),
    sms_marketing_given_at: z.string().nullable(),
  }),
  created_at: z.string(),
  updated_at: z.string(),
}).meta({ examples: [clientExample] });
export type ClientView = z.infer<typeof Client>;

export const ListClientsQuery = z.strictObject({
  ...listQuery,
  email: filterParam(254).optional().describe('Exact match (case-insensitive).'),
  phone: filterParam(40).optional().describe('Exact match after normalising to E.164 (UK national format accepted).'),
  q: filterParam(100).optional().describe('Name prefix (first, last, or "first last"), case-insensitive.'),
});
export const ClientParams = z.object({ id: z.string().max(100) });

const name = z.string().trim().min(1).max(100);
export const ClientDetails = {
  first_name: name,
  last_name: name.optional(),
  email: z.string().max(254).optional().describe('Lower-cased on save.'),
  phone: z.string().max(40).optional().describe('UK national format or international; stored as E.164.'),
};

export const CreateClientBody = z.strictObject({
  ...ClientDetails,
  notes: z.string().max(2000).optional(),
  marketing_consent: z.strictObject({ email: z.boolean().optional(), sms: z.boolean().optional() }).optional()
    .describe('Marketing consent given now, per channel. Both default to false.'),
}).describe('A client needs a first name; email and phone are optional (a walk-in may leave neither). Email is unique per organisation; a phone may be shared.').meta({ examples: [createClientExample] });
export type CreateClientInput = z.infer<typeof CreateClientBody>;
