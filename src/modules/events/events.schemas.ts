import { z } from 'zod';
import { filterParam, listQuery } from '../../http/pagination.js';
import { InstantInput } from '../../http/time-schemas.js';
import { EVENT_TYPES } from './events.types.js';

/** The resources events are about: `booking.*`, `client.*`, … as type prefixes. */
export const EVENT_PREFIXES = [...new Set(EVENT_TYPES.map((t) => t.split('.')[0]!))].map((r) => `${r}.*`);

export const eventExample = {
  object: 'event',
  id: 'evt_3k9q2m7x4b8t1r5w',
  type: 'booking.rescheduled',
  created_at: '2026-11-30T09:31:02Z',
  source: 'api',
  request_id: 'req_7f3k2m9q1x4b',
  data: {
    object: { object: 'booking', id: 'bkg_8m2k4q7x9b3t5r1w', reference: 'K7QX-2M4P', status: 'confirmed', starts_at: '2026-12-01T11:30:00Z', ends_at: '2026-12-01T12:00:00Z' },
    previous_attributes: { starts_at: '2026-12-01T10:00:00Z', ends_at: '2026-12-01T10:30:00Z' },
  },
};

export const Event = z.object({
  object: z.literal('event'),
  id: z.string(),
  type: z.enum(EVENT_TYPES),
  created_at: z.string(),
  source: z.enum(['api', 'hub', 'online', 'system']).describe('Which door the change came in by: the API, the Hub, the online booking page, or the system (a background job, the operator).'),
  request_id: z.string().nullable().describe('The request that made the change (its `X-Request-Id`), when there was one.'),
  data: z.object({
    object: z.record(z.string(), z.unknown()).describe('The object as `GET` returns it after the change (`client.erased`: only `id` and `erased_at`).'),
    previous_attributes: z.record(z.string(), z.unknown()).optional().describe('The old values of the fields that changed.'),
  }),
}).meta({ examples: [eventExample] });
export type EventView = z.infer<typeof Event>;

export const EventTypeFilter = filterParam(40).refine((v) => (EVENT_TYPES as readonly string[]).includes(v) || EVENT_PREFIXES.includes(v), {
  message: `expected an event type (${EVENT_TYPES.join(', ')}) or a prefix (${EVENT_PREFIXES.join(', ')})`,
});

export const ListEventsQuery = z.strictObject({
  ...listQuery,
  type: EventTypeFilter.optional().describe('An event type, e.g. `booking.cancelled`, or a prefix such as `booking.*`.'),
  created_after: InstantInput.optional().describe('Events recorded at or after this instant.'),
  created_before: InstantInput.optional().describe('Events recorded before this instant.'),
});
export const EventParams = z.object({ id: z.string().max(100) });
