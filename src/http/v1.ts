import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Actor } from '../modules/events/actor.js';
import type { Database } from '../db/connect.js';
import type { CursorCodec } from './pagination.js';
import type { AppCaches } from '../caches.js';
import { apiAuthHook, type ApiAuthDeps } from './auth.js';
import { locationRoutes } from '../modules/locations/locations.routes.js';
import { catalogRoutes } from '../modules/catalog/catalog.routes.js';
import { staffRoutes } from '../modules/staff/staff.routes.js';
import { availabilityRoutes } from '../modules/availability/availability.routes.js';
import { clientRoutes } from '../modules/clients/clients.routes.js';
import { bookingRoutes } from '../modules/bookings/bookings.routes.js';
import { eventRoutes } from '../modules/events/events.routes.js';
import { webhookRoutes } from '../modules/webhooks/webhooks.routes.js';
import { routeScope } from './scopes.js';

export interface V1Deps {
  database: Database;
  cursors: CursorCodec;
  clock: () => number;
  caches: AppCaches;
  /** WEBHOOK_ALLOW_PRIVATE_URLS (development and tests). */
  allowPrivateWebhookUrls: boolean;
}

/** The actor of an authenticated /v1 request: the key's org, the `api` door, this request, the app's clock. */
export function apiActor(req: FastifyRequest, clock: () => number): Actor {
  return { orgId: req.principal!.orgId, source: 'api', requestId: req.id, now: clock(), locationIds: req.principal!.locationIds };
}

/**
 * Everything under /v1 that needs a key: the auth gate first, then each module's routes. Each route takes its
 * scope from the one table (ROUTE_SCOPES): the gate checks it, the OpenAPI document shows it as the operation's
 * `security` requirement; a route missing from the table stops the server at start.
 */
export const v1Routes = (deps: V1Deps, auth: ApiAuthDeps): FastifyPluginAsync => async (app) => {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const scope = routeScope(methods[0]!, route.url);
    if (!scope) throw new Error(`No scope declared for ${methods.join(',')} ${route.url} (src/http/scopes.ts ROUTE_SCOPES)`);
    route.config = { ...(route.config ?? {}), scope };
    route.schema = { ...(route.schema ?? {}), security: [{ bearerAuth: [scope] }] } as typeof route.schema;
  });
  app.addHook('onRequest', apiAuthHook(auth));
  await app.register(locationRoutes(deps));
  await app.register(availabilityRoutes(deps));
  await app.register(catalogRoutes(deps));
  await app.register(staffRoutes(deps));
  await app.register(clientRoutes(deps));
  await app.register(bookingRoutes(deps));
  await app.register(eventRoutes(deps));
  await app.register(webhookRoutes(deps));
};
