import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/connect.js';
import { updateOnlineSettings } from '../../src/modules/online/online-settings.service.js';
import { seedOrg, call, type SeededOrg } from '../helpers/app.js';
import { seedShop, type TestShop } from '../helpers/shop.js';

/** A Monday, 08:00 in London (UTC in December). */
export const MONDAY_8AM = Date.parse('2026-12-07T08:00:00Z');

export interface OnlineShop extends SeededOrg { shop: TestShop; base: string }

/** A fresh org with the test shop (test/helpers/shop.ts) taking online bookings at its salon. */
export async function onlineShop(database: Database, now: number, settings: Parameters<typeof updateOnlineSettings>[3] = {}): Promise<OnlineShop> {
  const org = await seedOrg(database, now);
  const shop = await seedShop(database, org.orgId, now);
  await updateOnlineSettings(database, org.orgId, shop.location.id, { enabled: true, ...settings }, now);
  return { ...org, shop, base: `/book/api/shops/${org.slug}/locations/${shop.location.slug}` };
}

/** A client's request to the page's API, from a given address. */
export function page(app: FastifyInstance, req: { method?: 'GET' | 'POST'; url: string; payload?: unknown; token?: string; key?: string; ip?: string }) {
  const headers: Record<string, string> = {};
  if (req.token !== undefined) headers['x-manage-token'] = req.token;
  if (req.key !== undefined) headers['idempotency-key'] = req.key;
  // Another client address: as a TLS-terminating proxy reports it (the app must trust the proxy).
  if (req.ip) Object.assign(headers, { 'x-forwarded-for': req.ip, 'x-forwarded-proto': 'https' });
  return call(app, {
    method: req.method ?? 'GET', url: req.url, headers,
    ...(req.payload !== undefined ? { payload: req.payload as object } : {}),
  });
}

export const client = (over: Record<string, unknown> = {}) => ({ first_name: 'Priya', last_name: 'Shah', email: 'priya@example.com', ...over });

/**
 * Runs the messages worker until it has queued and sent at least this many (as its loop would, once a second).
 * On PostgreSQL an event becomes readable only once every transaction older than it has ended (the outbox's
 * no-skip rule), and the test server is shared, so one pass may see nothing yet. Gives up after 20 s.
 */
export async function drainMessages(app: FastifyInstance, want: { queued?: number; sent?: number }): Promise<{ queued: number; sent: number }> {
  const total = { queued: 0, sent: 0 };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await app.messages.tick();
    total.queued += r.queued;
    total.sent += r.sent;
    if (total.queued >= (want.queued ?? 0) && total.sent >= (want.sent ?? 0)) return total;
    if (Date.now() > deadline) return total;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
