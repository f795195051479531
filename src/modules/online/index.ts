import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { spaRoutes } from '../hub/spa.routes.js';
import { onlineRoutes, type OnlineDeps } from './online.routes.js';

/** Where `npm run build` puts the booking page (book/vite.config.ts). */
export const BOOK_DIST = fileURLToPath(new URL('../../../book/dist/', import.meta.url));

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Booking</title>
<h1>The booking page is not built yet</h1><p>Run <code>npm run build</code> (or start the server with <code>npm start</code>), then reload.</p></html>`;

/**
 * The online booking page: its own small bundle at `/book/<org slug>[/<location slug>]` (not the Hub's),
 * and its public JSON under `/book/api`. The page may be embedded in a shop's own site (`frame-ancestors *`).
 */
export const onlineBookingRoutes = (deps: OnlineDeps): FastifyPluginAsync => async (app) => {
  await app.register(onlineRoutes(deps), { prefix: '/book/api' });
  await app.register(spaRoutes(BOOK_DIST, { prefix: 'book', serverPaths: ['api'], frameAncestors: '*', notBuilt: NOT_BUILT }));
};
