import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listSchema } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import type { V1Deps } from '../../http/v1.js';
import { ListStaffQuery, Staff, StaffParams } from './staff.schemas.js';
import * as service from './staff.service.js';

export const staffRoutes = (deps: V1Deps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/staff', {
    schema: {
      tags: ['Staff'],
      summary: 'List staff',
      description: 'Staff members, ordered by `created_at`, then `id`. Filter by `location` (slug) and `service` (id).',
      querystring: ListStaffQuery,
      response: { 200: listSchema(Staff), ...errorResponses([404]) },
    },
  }, (req) => service.listStaff(deps.database, deps.cursors, req.principal!.orgId, req.query, deps.clock(), req.principal!.locationIds));

  r.get('/staff/:id', {
    schema: { tags: ['Staff'], summary: 'Retrieve a staff member', params: StaffParams, response: { 200: Staff, ...errorResponses([404]) } },
  }, (req) => service.getStaff(deps.database, req.principal!.orgId, req.params.id, deps.clock(), req.principal!.locationIds));
};
