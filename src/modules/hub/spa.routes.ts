import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Where `npm run build` puts the Hub (vite's outDir). */
export const HUB_DIST = fileURLToPath(new URL('../../../hub/dist/', import.meta.url));

/** Paths that belong to the server, never to the SPA: an unknown one there is the usual JSON 404. */
const SERVER_PREFIXES = ['v1', 'hub/api', 'docs', 'healthz', 'readyz', 'metrics'];

/**
 * Everything the page may load comes from this origin: no CDN, no inline script. React sets styles through
 * the CSSOM (element.style), which `style-src 'self'` allows.
 */
const csp = (frameAncestors: string) => `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors ${frameAncestors}; form-action 'self'`;

/** How a single-page app is mounted: the Hub at `/`, the booking page at `/book/` (its own bundle). */
export interface SpaMount {
  /** Path prefix without slashes ('' for the root). */
  prefix: string;
  /** Paths under the prefix that belong to the server (an unknown one is the JSON 404). */
  serverPaths: string[];
  /** `frame-ancestors`: the Hub is never framed; the booking page may be embedded in a shop's own site. */
  frameAncestors: string;
  notBuilt: string;
  /**
   * Requests the page will make at once, given its path under the prefix and its query: sent as `Link: rel=preload`
   * headers with the HTML, so the browser starts them before the page's script has loaded. Each URL must be exactly
   * the one the script asks for, or the browser fetches it twice.
   */
  preloads?: (rel: string, query: URLSearchParams) => string[];
}

function pageHeaders(reply: FastifyReply, mount: SpaMount): FastifyReply {
  if (mount.frameAncestors === "'none'") reply.header('x-frame-options', 'DENY');
  return reply
    .header('content-security-policy', csp(mount.frameAncestors))
    .header('referrer-policy', 'same-origin')
    .header('cache-control', 'no-cache');
}

const HUB_NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Setora Hub</title>
<h1>The Hub is not built yet</h1><p>Run <code>npm run build</code> (or start the server with <code>npm start</code>, which builds it when needed), then reload.</p>
<p>The API is running: <a href="/docs">API reference</a>.</p></html>`;

export const HUB_MOUNT: SpaMount = { prefix: '', serverPaths: SERVER_PREFIXES, frameAncestors: "'none'", notBuilt: HUB_NOT_BUILT };

/**
 * The built SPA: hashed assets under /assets (cached for a year; pre-compressed .br/.gz when present), other
 * files of hub/dist as they are, and index.html for every other GET so that client-side routes survive a
 * reload. Files are read per request, so a rebuild is picked up without a restart.
 */
export const spaRoutes = (distDir: string = HUB_DIST, mount: SpaMount = HUB_MOUNT): FastifyPluginAsync => async (app) => {
  await app.register(fastifyStatic, { root: distDir, serve: false, preCompressed: true, index: false, dotfiles: 'deny' });
  const isServerPath = (p: string) => mount.serverPaths.some((s) => p === s || p.startsWith(`${s}/`));

  app.get(mount.prefix ? `/${mount.prefix}/*` : '/*', { schema: { hide: true } }, async (req, reply) => {
    const rel = (req.params as { '*': string })['*'].split('?')[0]!;
    if (isServerPath(rel)) return reply.callNotFound();
    if (rel.startsWith('assets/')) {
      return reply.sendFile(rel, { maxAge: '365d', immutable: true, cacheControl: true });
    }
    if (rel && !rel.includes('/') && rel !== 'index.html' && !/\.(br|gz)$/.test(rel) && fs.existsSync(path.join(distDir, rel))) {
      return reply.sendFile(rel, { maxAge: '1d', cacheControl: true });
    }
    if (!fs.existsSync(path.join(distDir, 'index.html'))) {
      return pageHeaders(reply, mount).code(503).type('text/html; charset=utf-8').send(mount.notBuilt);
    }
    const links = mount.preloads?.(rel, new URLSearchParams(req.url.split('?')[1] ?? '')) ?? [];
    if (links.length) reply.header('link', links.map((url) => `<${url}>; rel=preload; as=fetch; crossorigin=anonymous`).join(', '));
    return pageHeaders(reply, mount).sendFile('index.html', { cacheControl: false });
  });
};
