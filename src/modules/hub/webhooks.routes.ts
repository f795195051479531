import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InstantInput } from '../../http/time-schemas.js';
import { instantMs } from '../../lib/instant.js';
import * as webhooks from '../webhooks/webhooks.service.js';
import * as log from '../webhooks/delivery-log.service.js';
import { CreateWebhookEndpointBody, UpdateWebhookEndpointBody, WebhookEndpointParams } from '../webhooks/webhooks.schemas.js';
import { countDeliveries } from '../webhooks/webhooks.repo.js';
import type { HubDeps } from './index.js';
import { principalOf } from './hub-guard.js';

const AttemptsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(50), before: z.string().max(100).optional() });
const ResendBody = z.strictObject({ event_id: z.string().min(1).max(100) });
const ReplayBody = z.strictObject({ since: InstantInput });

/**
 * Settings → Developer → Webhooks (owners and admins): the same endpoints as `/v1/webhook_endpoints`, through the
 * same use cases, plus what only the Hub offers: each endpoint's delivery log (30 days), resend of one event and
 * replay of every event since a time. Secrets leave the server once, in the create and rotate answers.
 */
export const webhookHubRoutes = (ctx: HubDeps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { hubAccess: 'admin' as const };
  const wh = { database: ctx.database, allowPrivateUrls: ctx.config.webhookAllowPrivateUrls };

  r.get('/webhooks', { config: admin }, async (req) => {
    const { orgId } = principalOf(req);
    const page = await webhooks.listEndpoints(ctx.database, ctx.cursors, orgId, { limit: 100 });
    const data = await Promise.all(page.data.map(async (e) => ({ ...e, deliveries: await countDeliveries(ctx.database.db, orgId, e.id) })));
    return { object: 'list', data };
  });

  r.post('/webhooks', { config: admin, schema: { body: CreateWebhookEndpointBody } }, async (req, reply) => {
    const endpoint = await webhooks.createEndpoint(wh, principalOf(req).orgId, req.body, ctx.clock());
    reply.code(201);
    return endpoint;
  });

  r.patch('/webhooks/:id', { config: admin, schema: { params: WebhookEndpointParams, body: UpdateWebhookEndpointBody } }, (req) =>
    webhooks.updateEndpoint(wh, principalOf(req).orgId, req.params.id, req.body, ctx.clock()));

  r.delete('/webhooks/:id', { config: admin, schema: { params: WebhookEndpointParams } }, (req) =>
    webhooks.deleteEndpoint(ctx.database, principalOf(req).orgId, req.params.id));

  r.post('/webhooks/:id/rotate_secret', { config: admin, schema: { params: WebhookEndpointParams } }, (req) =>
    webhooks.rotateSecret(ctx.database, principalOf(req).orgId, req.params.id, ctx.clock()));

  r.get('/webhooks/:id/attempts', { config: admin, schema: { params: WebhookEndpointParams, querystring: AttemptsQuery } }, (req) =>
    log.listAttempts(ctx.database, principalOf(req).orgId, req.params.id, ctx.clock(), req.query));

  r.post('/webhooks/:id/resend', { config: admin, schema: { params: WebhookEndpointParams, body: ResendBody } }, (req) =>
    log.resendEvent(ctx.database, principalOf(req).orgId, req.params.id, req.body.event_id, ctx.clock()));

  r.post('/webhooks/:id/replay', { config: admin, schema: { params: WebhookEndpointParams, body: ReplayBody } }, (req) =>
    log.replaySince(ctx.database, principalOf(req).orgId, req.params.id, instantMs(req.body.since), ctx.clock()));
};
