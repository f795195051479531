import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.js';
import type { Database } from '../../db/connect.js';
import type { RateLimiter } from '../../http/rate-limit.js';
import type { CursorCodec } from '../../http/pagination.js';
import type { AppCaches } from '../../caches.js';
import { hubGuard } from './hub-guard.js';
import { accountRoutes } from './accounts.routes.js';
import { teamRoutes } from './team.routes.js';
import { keyRoutes } from './keys.routes.js';
import { setupRoutes } from './setup.routes.js';
import { diaryRoutes } from './diary.routes.js';
import { clientRoutes } from './clients.routes.js';
import { affectedRoutes } from './affected.routes.js';
import { onlineSettingsRoutes } from './online.routes.js';
import { spaRoutes } from './spa.routes.js';
import { webhookHubRoutes } from './webhooks.routes.js';

export interface HubDeps {
  config: Config;
  database: Database;
  clock: () => number;
  limiter: RateLimiter;
  cursors: CursorCodec;
  caches: AppCaches;
}

/** The Hub's private JSON API: every route behind the session / CSRF / role gate (hub-guard.ts). */
const hubApi = (deps: HubDeps): FastifyPluginAsync => async (app) => {
  app.addHook('onRequest', hubGuard(deps));
  // Private to our own pages: never part of the public API document.
  app.addHook('onRoute', (route) => {
    route.schema = route.schema ?? {};
    (route.schema as { hide?: boolean }).hide = true;
  });
  await app.register(accountRoutes(deps));
  await app.register(teamRoutes(deps));
  await app.register(keyRoutes(deps));
  await app.register(setupRoutes(deps));
  await app.register(diaryRoutes(deps));
  await app.register(clientRoutes(deps));
  await app.register(affectedRoutes(deps));
  await app.register(onlineSettingsRoutes(deps));
  await app.register(webhookHubRoutes(deps));
};

/** The Hub: its SPA at `/` and its session-authenticated JSON under `/hub/api`. */
export const hubRoutes = (deps: HubDeps): FastifyPluginAsync => async (app) => {
  await app.register(hubApi(deps), { prefix: '/hub/api' });
  await app.register(spaRoutes());
};
