import type { Database } from '../../db/connect.js';
import { runTransaction } from '../../db/transaction.js';
import { ApiError, notFound } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso, isoOrNull } from '../../http/schemas.js';
import { newId } from '../../lib/ids.js';
import type { BeforeCommit } from '../idempotency/idempotency.service.js';
import * as repo from './webhooks.repo.js';
import type { WebhookEndpointView } from './webhooks.schemas.js';
import { newSigningSecret } from './webhook-signing.js';
import { urlProblem } from './webhook-url.js';

/** How long the previous secret keeps signing beside the new one after a rotation (API.md §9). */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** What webhook use cases need besides the database: the instant and the development switch. */
export interface WebhookContext {
  database: Database;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: plain HTTP and private addresses allowed (development and tests). */
  allowPrivateUrls: boolean;
}

export function toEndpointView(row: repo.EndpointRow): WebhookEndpointView {
  return {
    object: 'webhook_endpoint',
    id: row.id,
    url: row.url,
    description: row.description,
    enabled_events: JSON.parse(row.enabled_events) as string[],
    status: row.status,
    disabled_reason: row.disabled_reason as WebhookEndpointView['disabled_reason'],
    disabled_at: isoOrNull(row.disabled_at),
    previous_secret_expires_at: isoOrNull(row.previous_secret_expires_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

function checkUrl(ctx: WebhookContext, url: string): void {
  const problem = urlProblem(url, ctx.allowPrivateUrls);
  if (problem) throw new ApiError('parameter_invalid', `Invalid field \`url\`: ${problem}.`, 'url');
}

/** The org's endpoint, or `404 resource_not_found` (also another org's). */
export async function requireEndpoint(database: Database, orgId: string, id: string): Promise<repo.EndpointRow> {
  const row = await repo.findEndpoint(database.db, orgId, id);
  if (!row) throw notFound('webhook_endpoint');
  return row;
}

export interface CreateEndpointInput { url: string; enabled_events: string[]; description?: string | null }

/**
 * Creates an endpoint with a new signing secret, returned this once (`whsec_…`). It receives events recorded
 * from its creation on. `400 parameter_invalid` on `url` when it breaks the URL rules (API.md §9).
 */
export async function createEndpoint(ctx: WebhookContext, orgId: string, input: CreateEndpointInput, now: number, opts: { beforeCommit?: BeforeCommit } = {}): Promise<WebhookEndpointView & { secret: string }> {
  checkUrl(ctx, input.url);
  const row: Omit<repo.EndpointRow, 'org_id'> = {
    id: newId('whe'),
    url: input.url,
    description: input.description || null,
    enabled_events: JSON.stringify([...new Set(input.enabled_events)]),
    status: 'enabled',
    disabled_reason: null,
    disabled_at: null,
    secret: newSigningSecret(),
    previous_secret: null,
    previous_secret_expires_at: null,
    failing_since: null,
    created_at: now,
    updated_at: now,
  };
  const view = { ...toEndpointView({ ...row, org_id: orgId }), secret: row.secret };
  await runTransaction(ctx.database, async (trx) => {
    await repo.insertEndpoint(trx, orgId, row);
    await opts.beforeCommit?.(trx, view);
  });
  return view;
}

export async function listEndpoints(database: Database, cursors: CursorCodec, orgId: string, q: { limit: number; cursor?: string }): Promise<ListPage<WebhookEndpointView>> {
  const after = q.cursor ? (cursors.decode('webhook_endpoints', orgId, q.cursor) as [number, string]) : undefined;
  const rows = await repo.listEndpoints(database.db, orgId, q.limit + 1, after);
  return toPage(rows, q.limit, toEndpointView, (last) => cursors.encode('webhook_endpoints', orgId, [last.created_at, last.id]));
}

export async function getEndpoint(database: Database, orgId: string, id: string): Promise<WebhookEndpointView> {
  return toEndpointView(await requireEndpoint(database, orgId, id));
}

export interface UpdateEndpointInput { url?: string; enabled_events?: string[]; description?: string | null; status?: 'enabled' | 'disabled' }

/**
 * Changes an endpoint. Disabling stops its deliveries (they stay pending); enabling clears the failure record
 * and resumes them. `404` for an unknown id, `400` on `url` as at creation.
 */
export async function updateEndpoint(ctx: WebhookContext, orgId: string, id: string, input: UpdateEndpointInput, now: number): Promise<WebhookEndpointView> {
  if (input.url !== undefined) checkUrl(ctx, input.url);
  return runTransaction(ctx.database, async (trx) => {
    const current = await repo.findEndpoint(trx, orgId, id);
    if (!current) throw notFound('webhook_endpoint');
    const patch: Parameters<typeof repo.updateEndpoint>[3] = { updated_at: Math.max(now, current.updated_at + 1) };
    if (input.url !== undefined) patch.url = input.url;
    if (input.enabled_events !== undefined) patch.enabled_events = JSON.stringify([...new Set(input.enabled_events)]);
    if (input.description !== undefined) patch.description = input.description || null;
    if (input.status === 'disabled' && current.status === 'enabled') Object.assign(patch, { status: 'disabled', disabled_reason: 'manual', disabled_at: now });
    if (input.status === 'enabled' && current.status === 'disabled') Object.assign(patch, { status: 'enabled', disabled_reason: null, disabled_at: null, failing_since: null });
    await repo.updateEndpoint(trx, orgId, id, patch);
    return toEndpointView((await repo.findEndpoint(trx, orgId, id))!);
  });
}

/** Deletes an endpoint with its deliveries and delivery log. `404` for an unknown id. */
export async function deleteEndpoint(database: Database, orgId: string, id: string): Promise<{ object: 'webhook_endpoint'; id: string; deleted: true }> {
  if (!(await repo.deleteEndpoint(database.db, orgId, id))) throw notFound('webhook_endpoint');
  return { object: 'webhook_endpoint', id, deleted: true };
}

/**
 * A new signing secret, returned this once; the current one keeps signing beside it for 24 hours, so a receiver
 * can switch without missing a delivery (both signatures in `webhook-signature`). A second rotation within the
 * 24 hours drops the oldest secret.
 */
export async function rotateSecret(database: Database, orgId: string, id: string, now: number, opts: { beforeCommit?: BeforeCommit } = {}): Promise<WebhookEndpointView & { secret: string }> {
  return runTransaction(database, async (trx) => {
    const current = await repo.findEndpoint(trx, orgId, id);
    if (!current) throw notFound('webhook_endpoint');
    const secret = newSigningSecret();
    await repo.updateEndpoint(trx, orgId, id, {
      secret, previous_secret: current.secret, previous_secret_expires_at: now + ROTATION_OVERLAP_MS, updated_at: Math.max(now, current.updated_at + 1),
    });
    const view = { ...toEndpointView((await repo.findEndpoint(trx, orgId, id))!), secret };
    await opts.beforeCommit?.(trx, view);
    return view;
  });
}

/** The secrets that sign an attempt at `now`: the current one, and the previous one during a rotation. */
export const signingSecrets = (row: Pick<repo.EndpointRow, 'secret' | 'previous_secret' | 'previous_secret_expires_at'>, now: number): string[] =>
  row.previous_secret && (row.previous_secret_expires_at ?? 0) > now ? [row.secret, row.previous_secret] : [row.secret];
