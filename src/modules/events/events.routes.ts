import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listSchema } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import type { V1Deps } from '../../http/v1.js';
import { Event, EventParams, ListEventsQuery } from './events.schemas.js';
import * as events from './events.service.js';

export const eventRoutes = (deps: V1Deps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/events', {
    schema: {
      tags: ['Events'],
      summary: 'List events (the change feed)',
      description: 'Every change to a booking, client, location, service or staff member, **oldest first**, kept 30 days. Keep `next_cursor` and call again with it to get exactly the events recorded since (it is set on every non-empty page, and an empty page returns the cursor you sent). Filters: `type` (exact, or a prefix such as `booking.*`), `created_after` (inclusive), `created_before` (exclusive). A location-limited key sees events about its locations and organisation-wide ones (clients).',
      querystring: ListEventsQuery,
      response: { 200: listSchema(Event), ...errorResponses([]) },
    },
  }, (req) => events.listEvents(deps.database, deps.cursors, req.principal!.orgId, req.query, req.principal!.locationIds));

  r.get('/events/:id', {
    schema: { tags: ['Events'], summary: 'Retrieve an event', params: EventParams, response: { 200: Event, ...errorResponses([404]) } },
  }, (req) => events.getEvent(deps.database, req.principal!.orgId, req.params.id, req.principal!.locationIds));
};
