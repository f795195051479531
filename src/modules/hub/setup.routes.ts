import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HubDeps } from './index.js';
import { hubActor, principalOf } from './hub-guard.js';
import * as setup from './setup.service.js';
import * as s from './setup.schemas.js';
import * as H from './hub.schemas.js';

const ChildParams = z.object({ id: z.string().max(100), childId: z.string().max(100) });

/**
 * Shop setup: locations (with closures), services, staff (with hours and time off). Every member can read
 * them (the diary needs them); only owners and admins change them.
 */
export const setupRoutes = (ctx: HubDeps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { hubAccess: 'admin' as const };
  const org = (req: Parameters<typeof principalOf>[0]) => principalOf(req).orgId;
  const actor = (req: Parameters<typeof principalOf>[0]) => hubActor(req, ctx.clock);

  r.get('/locations', { schema: { response: { 200: H.HubList(H.HubLocation) } } }, (req) => setup.listLocations(ctx.database, org(req), ctx.clock()));
  r.get('/locations/:id', { schema: { params: s.IdParams, response: { 200: H.HubLocation } } }, (req) => setup.getLocation(ctx.database, org(req), req.params.id, ctx.clock()));
  r.post('/locations', { config: admin, schema: { body: s.CreateLocationBody, response: { 201: H.HubLocation } } }, async (req, reply) => {
    reply.code(201);
    return setup.createLocationFromHub(ctx.database, actor(req), req.body);
  });
  r.patch('/locations/:id', { config: admin, schema: { params: s.IdParams, body: s.UpdateLocationBody, response: { 200: H.HubLocation } } },
    (req) => setup.updateLocationFromHub(ctx.database, actor(req), req.params.id, req.body));
  r.post('/locations/:id/closures', { config: admin, schema: { params: s.IdParams, body: s.ClosureBody, response: { 201: H.HubLocation } } }, async (req, reply) => {
    reply.code(201);
    return setup.addClosureFromHub(ctx.database, actor(req), req.params.id, req.body);
  });
  r.delete('/locations/:id/closures/:childId', { config: admin, schema: { params: ChildParams, response: { 200: H.HubLocation } } },
    (req) => setup.removeClosureFromHub(ctx.database, actor(req), req.params.id, req.params.childId));

  r.get('/services', { schema: { response: { 200: H.HubList(H.HubService) } } }, (req) => setup.listServices(ctx.database, org(req)));
  r.post('/services', { config: admin, schema: { body: s.CreateServiceBody, response: { 201: H.HubService } } }, async (req, reply) => {
    reply.code(201);
    return setup.createServiceFromHub(ctx.database, actor(req), req.body);
  });
  r.patch('/services/:id', { config: admin, schema: { params: s.IdParams, body: s.UpdateServiceBody, response: { 200: H.HubService } } },
    (req) => setup.updateServiceFromHub(ctx.database, actor(req), req.params.id, req.body));

  r.get('/staff', { schema: { response: { 200: H.HubList(H.HubStaff) } } }, (req) => setup.listStaff(ctx.database, org(req), ctx.clock()));
  r.get('/staff/:id', { schema: { params: s.IdParams, response: { 200: H.HubStaff } } }, (req) => setup.getStaff(ctx.database, org(req), req.params.id, ctx.clock()));
  r.post('/staff', { config: admin, schema: { body: s.CreateStaffBody, response: { 201: H.HubStaff } } }, async (req, reply) => {
    reply.code(201);
    return setup.createStaffFromHub(ctx.database, actor(req), req.body);
  });
  r.patch('/staff/:id', { config: admin, schema: { params: s.IdParams, body: s.UpdateStaffBody, response: { 200: H.HubStaff } } },
    (req) => setup.updateStaffFromHub(ctx.database, actor(req), req.params.id, req.body));
  r.post('/staff/:id/exceptions', { config: admin, schema: { params: s.IdParams, body: s.ExceptionBody, response: { 201: H.HubStaff } } }, async (req, reply) => {
    reply.code(201);
    return setup.addExceptionFromHub(ctx.database, actor(req), req.params.id, req.body);
  });
  r.delete('/staff/:id/exceptions/:childId', { config: admin, schema: { params: ChildParams, response: { 200: H.HubStaff } } },
    (req) => setup.removeExceptionFromHub(ctx.database, actor(req), req.params.id, req.params.childId));
};
