import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from './webhooks.tables.js';

export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;

// ——— Endpoints (org-scoped) ———

export async function insertEndpoint(db: Kysely<DB>, orgId: string, row: Omit<EndpointRow, 'org_id'>): Promise<void> {
  await db.insertInto('webhook_endpoints').values({ ...row, org_id: orgId }).execute();
}

export const findEndpoint = (db: Kysely<DB>, orgId: string, id: string) =>
  db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

/** Ordered by created_at, id; `after` is the last row of the previous page. */
export function listEndpoints(db: Kysely<DB>, orgId: string, limit: number, after?: [number, string]): Promise<EndpointRow[]> {
  let q = db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId);
  if (after) q = q.where((eb) => eb.or([eb('created_at', '>', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '>', after[1])])]));
  return q.orderBy('created_at').orderBy('id').limit(limit).execute();
}

export async function updateEndpoint(db: Kysely<DB>, orgId: string, id: string, patch: Updateable<WebhookEndpointsTable>): Promise<void> {
  await db.updateTable('webhook_endpoints').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
}

/** Deletes the endpoint; its deliveries and their attempts go with it (foreign keys cascade). */
export async function deleteEndpoint(db: Kysely<DB>, orgId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('webhook_endpoints').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

// ——— Deliveries and attempts (org-scoped) ———

/** New deliveries; one already there for (endpoint, event) is left as it is. */
export async function insertDeliveries(db: Kysely<DB>, rows: Insertable<WebhookDeliveriesTable>[]): Promise<void> {
  if (!rows.length) return;
  await db.insertInto('webhook_deliveries').values(rows)
    .onConflict((oc) => oc.columns(['org_id', 'endpoint_id', 'event_id']).doNothing()).execute();
}

/** Schedules these events for the endpoint now (a resend or replay): new deliveries, or settled ones made pending again. */
export async function scheduleDeliveries(db: Kysely<DB>, orgId: string, endpointId: string, eventIds: { id: string; deliveryId: string }[], now: number): Promise<void> {
  if (!eventIds.length) return;
  await db.insertInto('webhook_deliveries')
    .values(eventIds.map((e) => ({
      id: e.deliveryId, org_id: orgId, endpoint_id: endpointId, event_id: e.id, status: 'pending' as const, attempts: 0,
      next_attempt_at: now, scheduled_at: now, last_attempt_at: null, last_status_code: null, created_at: now, updated_at: now,
    })))
    .onConflict((oc) => oc.columns(['org_id', 'endpoint_id', 'event_id']).doUpdateSet({ status: 'pending', next_attempt_at: now, scheduled_at: now, updated_at: now }))
    .execute();
}

export const findDelivery = (db: Kysely<DB>, orgId: string, id: string) =>
  db.selectFrom('webhook_deliveries').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

export async function updateDelivery(db: Kysely<DB>, orgId: string, id: string, patch: Updateable<WebhookDeliveriesTable>): Promise<void> {
  await db.updateTable('webhook_deliveries').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
}

export async function insertAttempt(db: Kysely<DB>, orgId: string, row: Omit<AttemptRow, 'org_id'>): Promise<void> {
  await db.insertInto('webhook_attempts').values({ ...row, org_id: orgId }).execute();
}

/** The endpoint's attempts, newest first, since `since` (the delivery log); `before` pages back by (attempted_at, id). */
export function listAttempts(db: Kysely<DB>, orgId: string, endpointId: string, since: number, limit: number, before?: [number, string]) {
  let q = db.selectFrom('webhook_attempts as a')
    .innerJoin('events as e', (j) => j.onRef('e.org_id', '=', 'a.org_id').onRef('e.id', '=', 'a.event_id'))
    .selectAll('a').select(['e.type as event_type'])
    .where('a.org_id', '=', orgId).where('a.endpoint_id', '=', endpointId).where('a.attempted_at', '>=', since);
  if (before) q = q.where((eb) => eb.or([eb('a.attempted_at', '<', before[0]), eb.and([eb('a.attempted_at', '=', before[0]), eb('a.id', '<', before[1])])]));
  return q.orderBy('a.attempted_at', 'desc').orderBy('a.id', 'desc').limit(limit).execute();
}

/** Deliveries of the endpoint by status (for the Hub's summary). */
export async function countDeliveries(db: Kysely<DB>, orgId: string, endpointId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('webhook_deliveries').select(['status']).select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId).where('endpoint_id', '=', endpointId).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

// ——— System work of the delivery worker (across organisations; each row then handled with its org) ———

/** Enabled endpoints of these organisations (the fan-out matches a batch of events against them). */
export function enabledEndpointsOf(db: Kysely<DB>, orgIds: string[]): Promise<EndpointRow[]> {
  if (!orgIds.length) return Promise.resolve([]);
  return db.selectFrom('webhook_endpoints').selectAll().where('org_id', 'in', orgIds).where('status', '=', 'enabled').execute();
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints by pushing their due time to `leaseUntil`, so no other
 * worker takes them while this one sends (if it dies, they fall due again when the lease ends). On PostgreSQL
 * rows another instance is claiming are skipped (`FOR UPDATE SKIP LOCKED`); SQLite has one writer.
 */
export async function claimDueDeliveries(db: Kysely<DB>, postgres: boolean, now: number, leaseUntil: number, limit: number): Promise<DeliveryRow[]> {
  let q = db.selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as w', (j) => j.onRef('w.org_id', '=', 'd.org_id').onRef('w.id', '=', 'd.endpoint_id'))
    .selectAll('d')
    .where('d.status', '=', 'pending').where('d.next_attempt_at', '<=', now).where('w.status', '=', 'enabled')
    .orderBy('d.next_attempt_at').limit(limit);
  if (postgres) q = q.forUpdate(['d']).skipLocked();
  const rows = await q.execute();
  if (rows.length) await db.updateTable('webhook_deliveries').set({ next_attempt_at: leaseUntil }).where('id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((r) => ({ ...r, next_attempt_at: leaseUntil }));
}

/** Whether any delivery is due (a cheap read before taking the write lock to claim). */
export async function anyDueDelivery(db: Kysely<DB>, now: number): Promise<boolean> {
  const row = await db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'pending').where('next_attempt_at', '<=', now).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Attempts older than the log keeps (30 days), in batches: system work across organisations. */
export async function pruneAttemptsBefore(db: Kysely<DB>, before: number, batch: number): Promise<number> {
  const res = await db.deleteFrom('webhook_attempts')
    .where('id', 'in', (eb) => eb.selectFrom('webhook_attempts').select('id').where('attempted_at', '<', before).limit(batch))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function fanoutPosition(db: Kysely<DB>, postgres: boolean): Promise<[number, number] | undefined> {
  let q = db.selectFrom('worker_positions').select(['tx', 'seq']).where('name', '=', 'webhook_fanout');
  if (postgres) q = q.forUpdate().skipLocked();
  const row = await q.executeTakeFirst();
  return row ? [Number(row.tx), Number(row.seq)] : undefined;
}

export async function setFanoutPosition(db: Kysely<DB>, position: [number, number]): Promise<void> {
  await db.updateTable('worker_positions').set({ tx: position[0], seq: position[1] }).where('name', '=', 'webhook_fanout').execute();
}
