import { z } from 'zod';
import { listQuery } from '../../http/pagination.js';
import { EVENT_TYPES } from '../events/events.types.js';
import { EVENT_PREFIXES } from '../events/events.schemas.js';
import { MAX_URL_LENGTH } from './webhook-url.js';

/** What `enabled_events` may hold: an event type, a prefix such as `booking.*`, or `*` for every event. */
export const ENABLED_EVENT_VALUES: readonly string[] = [...EVENT_TYPES, ...EVENT_PREFIXES, '*'];

/** Whether an endpoint that listens for `enabled` wants an event of `type`. */
export const wantsEvent = (enabled: readonly string[], type: string): boolean =>
  enabled.some((e) => e === '*' || e === type || (e.endsWith('.*') && type.startsWith(e.slice(0, -1))));

const exampleEndpoint = {
  object: 'webhook_endpoint',
  id: 'whe_4k8q2m7x9b3t5r1w',
  url: 'https://example.com/setora/webhooks',
  description: 'Till sync',
  enabled_events: ['booking.*', 'client.created'],
  status: 'enabled',
  disabled_reason: null,
  disabled_at: null,
  previous_secret_expires_at: null,
  created_at: '2026-11-30T09:30:00Z',
  updated_at: '2026-11-30T09:30:00Z',
};

export const WebhookEndpoint = z.object({
  object: z.literal('webhook_endpoint'),
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  enabled_events: z.array(z.string()).describe('Event types, prefixes such as `booking.*`, or `*` for all.'),
  status: z.enum(['enabled', 'disabled']),
  disabled_reason: z.enum(['manual', 'failing']).nullable().describe('`failing`: every attempt failed for 3 days, so Setora disabled it; `manual`: someone disabled it.'),
  disabled_at: z.string().nullable(),
  previous_secret_expires_at: z.string().nullable().describe('After a rotation, until when the previous secret still signs beside the new one.'),
  created_at: z.string(),
  updated_at: z.string(),
}).meta({ examples: [exampleEndpoint] });
export type WebhookEndpointView = z.infer<typeof WebhookEndpoint>;

export const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  secret: z.string().describe('`whsec_…`: verify signatures with it. Shown only in this answer.'),
}).meta({ title: 'WebhookEndpointWithSecret', examples: [{ ...exampleEndpoint, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }] });

export const DeletedWebhookEndpoint = z.object({ object: z.literal('webhook_endpoint'), id: z.string(), deleted: z.literal(true) })
  .meta({ title: 'DeletedWebhookEndpoint', examples: [{ object: 'webhook_endpoint', id: exampleEndpoint.id, deleted: true }] });

const EnabledEvents = z.array(z.string().max(40).refine((v) => ENABLED_EVENT_VALUES.includes(v), {
  message: `expected an event type, a prefix such as \`booking.*\`, or \`*\` (types: ${EVENT_TYPES.join(', ')})`,
})).min(1).max(50);
const Url = z.string().min(1).max(MAX_URL_LENGTH).describe('`https://` on a public address, at most 2,048 characters, without credentials. Redirects are not followed.');
const Description = z.string().trim().max(500).nullable();

export const CreateWebhookEndpointBody = z.strictObject({
  url: Url,
  enabled_events: EnabledEvents,
  description: Description.optional(),
}).meta({ examples: [{ url: 'https://example.com/setora/webhooks', enabled_events: ['booking.*'], description: 'Till sync' }] });

export const UpdateWebhookEndpointBody = z.strictObject({
  url: Url.optional(),
  enabled_events: EnabledEvents.optional(),
  description: Description.optional(),
  status: z.enum(['enabled', 'disabled']).optional().describe('Re-enabling resumes deliveries still pending; events recorded while disabled can be replayed in the Hub.'),
}).meta({ examples: [{ status: 'disabled' }] });

export const ListWebhookEndpointsQuery = z.strictObject({ ...listQuery });
export const WebhookEndpointParams = z.object({ id: z.string().max(100) });
