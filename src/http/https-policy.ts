import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import { sendError } from './core.js';

export interface HttpsPolicyOptions {
  tls: boolean;
  trustProxy: boolean;
  allowLoopbackHttp: boolean;
}

const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** How the request reached us: over TLS here, or as the trusted proxy says. */
export function arrivedOverHttps(req: FastifyRequest, opts: HttpsPolicyOptions): boolean | 'unknown' {
  if (opts.tls) return true;
  if (opts.trustProxy) {
    const proto = req.headers['x-forwarded-proto'];
    const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase();
    if (first === 'https') return true;
    if (first === 'http') return false;
  }
  return 'unknown';
}

/**
 * Plain HTTP is refused with 403 https_required before anything else looks at the request, so its key is
 * never looked up or logged. Loopback peers may use plain HTTP (local development) unless switched off;
 * behind a trusted proxy an explicit `X-Forwarded-Proto: http` is refused whatever the peer. Operations
 * endpoints stay reachable for load-balancer probes.
 */
export function registerHttpsPolicy(app: FastifyInstance, opts: HttpsPolicyOptions): void {
  // Callback style (not async): this runs on every request, and a promise per hook adds up.
  app.addHook('onRequest', (req, reply, done) => {
    const https = arrivedOverHttps(req, opts);
    const peer = req.raw.socket.remoteAddress;
    if (https === true || OPS_PATHS.has(req.url.split('?')[0]!) || (https === 'unknown' && opts.allowLoopbackHttp && isLoopback(peer))) {
      done();
      return;
    }
    req.log.info({ peerLoopback: isLoopback(peer) }, 'plain HTTP refused');
    sendError(reply, new ApiError('https_required', 'Setora only accepts requests over HTTPS.'));
  });
}
