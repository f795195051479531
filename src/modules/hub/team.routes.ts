import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HubDeps } from './index.js';
import { principalOf, setSessionCookie } from './hub-guard.js';
import { MIN_PASSWORD, newSessionView, sessionView } from './accounts.service.js';
import * as team from './team.service.js';
import { setStaffLink } from './staff-link.js';
import * as H from './hub.schemas.js';

const RoleEnum = z.enum(['owner', 'admin', 'staff']);
const UserParams = z.object({ userId: z.string().max(100) });
const IdParams = z.object({ id: z.string().max(100) });
const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
const MemberBody = z.strictObject({
  role: RoleEnum.optional(),
  staff_id: z.string().min(1).max(100).nullable().optional().describe('Their own staff record ("My day"), or null to unlink.'),
}).refine((b) => b.role !== undefined || b.staff_id !== undefined, { message: 'give `role` or `staff_id`', path: ['role'] });
const InviteBody = z.strictObject({ role: RoleEnum, email: z.string().max(254).optional() });
const AcceptBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  email: z.string().trim().max(254).optional(),
  password: z.string().min(MIN_PASSWORD, `use at least ${MIN_PASSWORD} characters`).max(200).optional(),
});

/** Team and roles (owners and admins), and the invitation links anyone with the link may open. */
export const teamRoutes = (ctx: HubDeps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { hubAccess: 'admin' as const };

  r.get('/team', { config: admin, schema: { response: { 200: H.Team } } }, (req) => team.listTeam(ctx.database, principalOf(req), ctx.clock()));

  r.patch('/team/members/:userId', { config: admin, schema: { params: UserParams, body: MemberBody, response: { 200: H.Team } } }, async (req) => {
    const p = principalOf(req);
    if (req.body.staff_id !== undefined) await setStaffLink(ctx.database, p, req.params.userId, req.body.staff_id, ctx.clock());
    return req.body.role ? team.setMemberRole(ctx.database, p, req.params.userId, req.body.role, ctx.clock()) : team.listTeam(ctx.database, p, ctx.clock());
  });

  r.delete('/team/members/:userId', { config: admin, schema: { params: UserParams, response: { 200: H.Team } } },
    (req) => team.removeMember(ctx.database, principalOf(req), req.params.userId, ctx.clock()));

  r.post('/team/invitations', { config: admin, schema: { body: InviteBody, response: { 201: H.CreatedInvitation } } }, async (req, reply) => {
    const created = await team.createInvitation(ctx.database, principalOf(req), req.body, ctx.clock());
    reply.code(201);
    return { ...created, url: `${req.protocol}://${req.host}${created.path}` };
  });

  r.delete('/team/invitations/:id', { config: admin, schema: { params: IdParams, response: { 200: H.Invitation } } },
    (req) => team.revokeInvitation(ctx.database, principalOf(req), req.params.id, ctx.clock()));

  r.get('/invitations/:token', { config: { hubAccess: 'optional' }, schema: { params: TokenParams, response: { 200: H.InvitationPreview } } },
    (req) => team.describeInvitation(ctx.database, req.params.token, ctx.clock()));

  r.post('/invitations/:token/accept', { config: { hubAccess: 'optional' }, schema: { params: TokenParams, body: AcceptBody, response: { 200: H.HubSession } } }, async (req, reply) => {
    const now = ctx.clock();
    const done = await team.acceptInvitation(ctx.database, req.params.token, req.hub, req.body, now);
    if (done.session) {
      setSessionCookie(req, reply, done.session.token, done.session.expiresAt, now);
      return newSessionView(ctx.database, done.session);
    }
    return sessionView(ctx.database, { ...req.hub!, orgId: done.orgId, role: done.role });
  });
};
