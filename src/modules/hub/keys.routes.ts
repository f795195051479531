import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/connect.js';
import * as apiKeys from '../api-keys/api-keys.service.js';
import type { HubDeps } from './index.js';
import { principalOf } from './hub-guard.js';
import { FINE_SCOPES, PRESETS } from '../../http/scopes.js';
import * as H from './hub.schemas.js';

/** A preset (`scope`) or fine `scopes`, and optionally the location slugs the key is limited to (API.md §3). */
const CreateKeyBody = z.strictObject({
  label: z.string().trim().min(1).max(100),
  scope: z.enum(PRESETS).optional(),
  scopes: z.array(z.enum(FINE_SCOPES)).max(FINE_SCOPES.length).optional(),
  locations: z.array(z.string().min(1).max(100)).max(100).nullable().optional(),
});
const KeyParams = z.object({ id: z.string().max(100) });

/** Who created each key, by name (keys made by the CLI have no creator). */
async function withCreators(database: Database, keys: apiKeys.ApiKeyView[]) {
  const ids = [...new Set(keys.map((k) => k.created_by).filter((x): x is string => x !== null))];
  const users = ids.length ? await database.db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', ids).execute() : [];
  const names = new Map(users.map((u) => [u.id, u.name || u.email]));
  return keys.map((k) => ({ ...k, created_by_name: k.created_by ? names.get(k.created_by) ?? null : null }));
}

/** Settings → Developer: API keys (owners and admins). Plaintext leaves the server once, in the create answer. */
export const keyRoutes = (ctx: HubDeps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { hubAccess: 'admin' as const };

  r.get('/keys', { config: admin, schema: { response: { 200: H.HubList(H.HubApiKey) } } }, async (req) => {
    const p = principalOf(req);
    // Flush coalesced last-used times first, so "last used" is current on this screen.
    await req.server.lastUsed.flushDue(true);
    return { object: 'list' as const, data: await withCreators(ctx.database, await apiKeys.listApiKeys(ctx.database, p.orgId)) };
  });

  r.post('/keys', { config: admin, schema: { body: CreateKeyBody, response: { 201: H.CreatedApiKey } } }, async (req, reply) => {
    const p = principalOf(req);
    const { key, plaintext } = await apiKeys.createApiKey(ctx.database, p.orgId, { ...req.body, createdBy: p.userId }, ctx.clock());
    reply.code(201);
    return { key: (await withCreators(ctx.database, [key]))[0]!, plaintext };
  });

  r.delete('/keys/:id', { config: admin, schema: { params: KeyParams, response: { 200: H.HubApiKey } } }, async (req) => {
    const p = principalOf(req);
    const key = await apiKeys.revokeApiKey(ctx.database, p.orgId, req.params.id, ctx.clock());
    return (await withCreators(ctx.database, [key]))[0];
  });
};
