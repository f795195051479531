import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listSchema } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import type { V1Deps } from '../../http/v1.js';
import { ListLocationsQuery, Location, LocationParams } from './locations.schemas.js';
import * as service from './locations.service.js';

export const locationRoutes = (deps: V1Deps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/locations', {
    schema: {
      tags: ['Locations'],
      summary: 'List locations',
      description: 'The organisation\'s locations, ordered by `created_at`, then `id`.',
      querystring: ListLocationsQuery,
      response: { 200: listSchema(Location), ...errorResponses([]) },
    },
  }, (req) => service.listLocations(deps, req.principal!.orgId, req.query, deps.clock(), req.principal!.dataVersion, req.principal!.locationIds));

  r.get('/locations/:slug', {
    schema: {
      tags: ['Locations'],
      summary: 'Retrieve a location',
      params: LocationParams,
      response: { 200: Location, ...errorResponses([404]) },
    },
  }, (req) => service.getLocation(deps, req.principal!.orgId, req.params.slug, deps.clock(), req.principal!.dataVersion, req.principal!.locationIds));
};
