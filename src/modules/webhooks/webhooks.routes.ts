import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listSchema } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import { sendMutation } from '../../http/mutation.js';
import type { V1Deps } from '../../http/v1.js';
import {
  CreateWebhookEndpointBody, DeletedWebhookEndpoint, ListWebhookEndpointsQuery, UpdateWebhookEndpointBody, WebhookEndpoint,
  WebhookEndpointParams, WebhookEndpointWithSecret,
} from './webhooks.schemas.js';
import * as webhooks from './webhooks.service.js';

const SIGNING = 'Deliveries are signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`): verify them with any Standard Webhooks library and this secret.';

export const webhookRoutes = (deps: V1Deps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = { database: deps.database, allowPrivateUrls: deps.allowPrivateWebhookUrls };
  const tags = ['Webhook endpoints'];

  r.get('/webhook_endpoints', {
    schema: { tags, summary: 'List webhook endpoints', description: 'Ordered by `created_at`, then `id`. Never includes secrets.', querystring: ListWebhookEndpointsQuery, response: { 200: listSchema(WebhookEndpoint), ...errorResponses([]) } },
  }, (req) => webhooks.listEndpoints(deps.database, deps.cursors, req.principal!.orgId, req.query));

  r.get('/webhook_endpoints/:id', {
    schema: { tags, summary: 'Retrieve a webhook endpoint', params: WebhookEndpointParams, response: { 200: WebhookEndpoint, ...errorResponses([404]) } },
  }, (req) => webhooks.getEndpoint(deps.database, req.principal!.orgId, req.params.id));

  r.post('/webhook_endpoints', {
    schema: {
      tags,
      summary: 'Create a webhook endpoint',
      description: `Setora POSTs each matching event (the event object as JSON) to \`url\`; success is a 2xx within 10 seconds, otherwise retried for 3 days (about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then every 10 h). Delivery is at least once and not ordered: de-duplicate by \`webhook-id\` and order by \`created_at\`. ${SIGNING} The answer holds the \`secret\`, shown this once. Accepts \`Idempotency-Key\`.`,
      body: CreateWebhookEndpointBody,
      response: { 201: WebhookEndpointWithSecret, ...errorResponses([413, 415, 422]) },
    },
  }, (req, reply) => sendMutation(deps, req, reply, 201, (beforeCommit) => webhooks.createEndpoint(ctx, req.principal!.orgId, req.body, deps.clock(), { beforeCommit })));

  r.patch('/webhook_endpoints/:id', {
    schema: { tags, summary: 'Update a webhook endpoint', params: WebhookEndpointParams, body: UpdateWebhookEndpointBody, response: { 200: WebhookEndpoint, ...errorResponses([404, 413, 415]) } },
  }, (req) => webhooks.updateEndpoint(ctx, req.principal!.orgId, req.params.id, req.body, deps.clock()));

  r.delete('/webhook_endpoints/:id', {
    schema: { tags, summary: 'Delete a webhook endpoint', description: 'Deliveries stop at once; its delivery log goes with it.', params: WebhookEndpointParams, response: { 200: DeletedWebhookEndpoint, ...errorResponses([404]) } },
  }, (req) => webhooks.deleteEndpoint(deps.database, req.principal!.orgId, req.params.id));

  r.post('/webhook_endpoints/:id/rotate_secret', {
    schema: {
      tags,
      summary: 'Rotate the signing secret',
      description: `A new secret, shown this once. For 24 hours the previous secret keeps signing beside it (two signatures in \`webhook-signature\`), so you can switch without missing a delivery. ${SIGNING}`,
      params: WebhookEndpointParams,
      body: z.strictObject({}).meta({ examples: [{}] }).optional(),
      response: { 200: WebhookEndpointWithSecret, ...errorResponses([404, 413, 415, 422]) },
    },
  }, (req, reply) => sendMutation(deps, req, reply, 200, (beforeCommit) => webhooks.rotateSecret(deps.database, req.principal!.orgId, req.params.id, deps.clock(), { beforeCommit })));
};
