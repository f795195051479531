import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listSchema } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import { sendMutation } from '../../http/mutation.js';
import { apiActor, type V1Deps } from '../../http/v1.js';
import { Client, ClientParams, CreateClientBody, ListClientsQuery } from './clients.schemas.js';
import * as service from './clients.service.js';

export const clientRoutes = (deps: V1Deps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/clients', {
    schema: {
      tags: ['Clients'],
      summary: 'List clients',
      description: 'Clients, ordered by `created_at`, then `id`. Filters: `email`, `phone` (exact, normalised), `q` (name prefix).',
      querystring: ListClientsQuery,
      response: { 200: listSchema(Client), ...errorResponses([]) },
    },
  }, (req) => service.listClients(deps.database, deps.cursors, req.principal!.orgId, req.query));

  r.get('/clients/:id', {
    schema: { tags: ['Clients'], summary: 'Retrieve a client', params: ClientParams, response: { 200: Client, ...errorResponses([404]) } },
  }, (req) => service.getClient(deps.database, req.principal!.orgId, req.params.id));

  r.post('/clients', {
    schema: {
      tags: ['Clients'],
      summary: 'Create a client',
      description: 'A client needs a first name; email and phone are optional. Email is lower-cased and must be unique in the organisation (an email already on file answers `409 client_already_exists` with `existing_id`); phone is normalised to E.164 (UK national format accepted) and may be shared. Accepts `Idempotency-Key`.',
      body: CreateClientBody,
      response: { 201: Client, ...errorResponses(['client_already_exists', 413, 415, 422]) },
    },
  }, (req, reply) => sendMutation(deps, req, reply, 201, (beforeCommit) => service.createClient(deps.database, apiActor(req, deps.clock), req.body, { beforeCommit })));
};
