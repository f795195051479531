import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/schemas.js';
import type { V1Deps } from '../../http/v1.js';
import { LocationParams } from '../locations/locations.schemas.js';
import { Availability, AvailabilityQuery } from './availability.schemas.js';
import { getAvailability } from './availability.service.js';

export const availabilityRoutes = (deps: V1Deps): FastifyPluginAsync => async (app) => {
  app.withTypeProvider<ZodTypeProvider>().get('/locations/:slug/availability', {
    schema: {
      tags: ['Availability'],
      summary: 'Find bookable times',
      description: 'Every start time at which the service can be booked, per free staff member, between two local dates of the location. Times respect opening hours, staff hours and time off, closures, existing bookings with their buffers, the minimum notice and the booking horizon, and fall on the service\'s slot grid (anchored at local midnight). Correct across clock changes.',
      params: LocationParams,
      querystring: AvailabilityQuery,
      response: { 200: Availability, ...errorResponses([404]) },
    },
  }, (req) => getAvailability(deps, req.principal!.orgId, req.params.slug, req.query, deps.clock(), req.principal!.dataVersion, req.principal!.locationIds));
};
