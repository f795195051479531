import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per app (so tests can build many apps). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'setora_http_request_duration_seconds',
    help: 'Request latency by route template, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const authFailures = new Counter({ name: 'setora_auth_failures_total', help: 'Refused API authentications by code.', labelNames: ['code'] as const, registers: [registry] });
  const bookingConflicts = new Counter({ name: 'setora_booking_conflicts_total', help: 'Booking attempts refused as slot_unavailable, by reason.', labelNames: ['reason'] as const, registers: [registry] });
  // One labelled child per (route, method, status), looked up by a plain string key: cheaper per request.
  const children = new Map<string, ReturnType<typeof requests.labels>>();
  const observeRequest = (route: string, method: string, status: number, seconds: number) => {
    const key = `${route} ${method} ${status}`;
    let child = children.get(key);
    if (!child) {
      child = requests.labels({ route, method, status: String(status) });
      children.set(key, child);
    }
    child.observe(seconds);
  };
  return { registry, requests, observeRequest, authFailures, bookingConflicts };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
