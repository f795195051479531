import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/connect.js';
import type { CursorCodec } from './pagination.js';
import { apiAuthHook, type ApiAuthDeps } from './auth.js';
import { locationRoutes } from '../modules/locations/locations.routes.js';

export interface V1Deps {
  database: Database;
  cursors: CursorCodec;
  clock: () => number;
}

/** Everything under /v1 that needs a key: the auth gate first, then each module's routes. */
export const v1Routes = (deps: V1Deps, auth: ApiAuthDeps): FastifyPluginAsync => async (app) => {
  app.addHook('onRequest', apiAuthHook(auth));
  await app.register(locationRoutes(deps));
};
