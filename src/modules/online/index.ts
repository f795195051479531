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
  await app.register(spaRoutes(BOOK_DIST, { prefix: 'book', serverPaths: ['api'], frameAncestors: '*', notBuilt: NOT_BUILT, preloads: bookingPagePreloads }));
};

const PLAIN = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * What the booking page asks for the moment it starts (book/src/main.tsx): at a location, the shop's offer; opened
 * at a service (`?service=…&staff=…`, a "Book now" link), its free times too. Preloading them with the HTML lets
 * them run while the page's script loads (issue 11's first-free-times figure). Only plain slugs and ids: the URL
 * must be byte for byte the one the script builds.
 */
export function bookingPagePreloads(rel: string, query: URLSearchParams): string[] {
  const [org, loc, ...rest] = rel.replace(/\/+$/, '').split('/');
  if (!org || !loc || rest.length || !PLAIN.test(org) || !PLAIN.test(loc)) return [];
  const base = `/book/api/shops/${org}/locations/${loc}`;
  const service = query.get('service');
  const staff = query.get('staff');
  if (!service || !staff || !PLAIN.test(service) || !PLAIN.test(staff)) return [base];
  return [base, `${base}/availability?service=${service}${staff !== 'any' ? `&staff=${staff}` : ''}`];
}
