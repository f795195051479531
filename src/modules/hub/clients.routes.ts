import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listQuery } from '../../http/pagination.js';
import { createClient } from '../clients/clients.service.js';
import { ClientParams, CreateClientBody } from '../clients/clients.schemas.js';
import type { HubDeps } from './index.js';
import { hubActor, principalOf } from './hub-guard.js';
import * as clients from './clients.service.js';
import * as H from './hub.schemas.js';

const SearchQuery = z.strictObject({ ...listQuery, q: z.string().max(100).optional() });
const nullableText = (max: number) => z.string().trim().max(max).nullable().optional();
const UpdateClientBody = z.strictObject({
  first_name: z.string().trim().min(1).max(100).optional(),
  last_name: nullableText(100),
  email: z.string().max(254).nullable().optional(),
  phone: z.string().max(40).nullable().optional(),
  notes: nullableText(2000),
  marketing_consent: z.strictObject({ email: z.boolean().optional(), sms: z.boolean().optional() }).optional(),
});

/** Clients: search, create (also inline from the diary), details; export and erasure for owners and admins. */
export const clientRoutes = (ctx: HubDeps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { hubAccess: 'admin' as const };
  const org = (req: Parameters<typeof principalOf>[0]) => principalOf(req).orgId;

  r.get('/clients', { schema: { querystring: SearchQuery, response: { 200: H.HubList(H.HubClient) } } }, (req) => clients.searchClients(ctx.database, ctx.cursors, org(req), req.query));

  r.post('/clients', { schema: { body: CreateClientBody, response: { 201: H.HubClient } } }, async (req, reply) => {
    const created = await createClient(ctx.database, hubActor(req, ctx.clock), req.body);
    reply.code(201);
    return { ...created, erased_at: null };
  });

  r.get('/clients/:id', { schema: { params: ClientParams, response: { 200: H.ClientPage } } }, (req) => clients.clientPage(ctx.database, org(req), req.params.id));

  r.patch('/clients/:id', { schema: { params: ClientParams, body: UpdateClientBody, response: { 200: H.HubClient } } },
    (req) => clients.updateClientFromHub(ctx.database, hubActor(req, ctx.clock), req.params.id, req.body));

  r.get('/clients/:id/export', { config: admin, schema: { params: ClientParams, response: { 200: H.ClientExport } } }, async (req, reply) => {
    const data = await clients.exportClient(ctx.database, org(req), req.params.id, ctx.clock());
    reply.header('content-disposition', `attachment; filename="setora-client-${req.params.id}.json"`);
    return data;
  });

  r.post('/clients/:id/erase', { config: admin, schema: { params: ClientParams, response: { 200: H.ClientPage } } },
    (req) => clients.eraseClientData(ctx.database, hubActor(req, ctx.clock), req.params.id));
};
