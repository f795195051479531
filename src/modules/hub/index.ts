import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.js';
import type { Database } from '../../db/connect.js';
import type { RateLimiter } from '../../http/rate-limit.js';
import type { CursorCodec } from '../../http/pagination.js';

export interface HubDeps {
  config: Config;
  database: Database;
  clock: () => number;
  limiter: RateLimiter;
  cursors: CursorCodec;
}

/** The Hub: its SPA at `/` and its session-authenticated JSON under `/hub/api`. Placeholder for now. */
export const hubRoutes = (_deps: HubDeps): FastifyPluginAsync => async (app) => {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    return '<!doctype html><title>Setora Hub</title><h1>Setora Hub</h1><p>The Hub is on its way. Meanwhile: <a href="/docs">API reference</a>.</p>';
  });
};
