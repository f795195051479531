import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listSchema } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import type { V1Deps } from '../../http/v1.js';
import { ListServicesQuery, Service, ServiceParams } from './catalog.schemas.js';
import * as service from './catalog.service.js';

export const catalogRoutes = (deps: V1Deps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/services', {
    schema: {
      tags: ['Services'],
      summary: 'List services',
      description: 'Bookable services, ordered by `created_at`, then `id`. Filter by `location` (slug).',
      querystring: ListServicesQuery,
      response: { 200: listSchema(Service), ...errorResponses([404]) },
    },
  }, (req) => service.listServices(deps.database, deps.cursors, req.principal!.orgId, req.query, req.principal!.locationIds));

  r.get('/services/:id', {
    schema: { tags: ['Services'], summary: 'Retrieve a service', params: ServiceParams, response: { 200: Service, ...errorResponses([404]) } },
  }, (req) => service.getService(deps.database, req.principal!.orgId, req.params.id));
};
