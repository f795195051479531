import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HubDeps } from './index.js';
import { clearSessionCookie, principalOf, setSessionCookie } from './hub-guard.js';
import * as accounts from './accounts.service.js';
import * as H from './hub.schemas.js';

const Email = z.string().trim().min(3).max(254);
const Password = z.string().min(accounts.MIN_PASSWORD, `use at least ${accounts.MIN_PASSWORD} characters`).max(200);

export const SignUpBody = z.strictObject({
  shop_name: z.string().trim().min(1).max(120),
  name: z.string().trim().min(1).max(100),
  email: Email,
  password: Password,
});
const SignInBody = z.strictObject({ email: Email, password: z.string().min(1).max(200) });
const PasswordBody = z.strictObject({ current_password: z.string().min(1).max(200), new_password: Password });
const SwitchOrgBody = z.strictObject({ org_id: z.string().min(1).max(100) });

/** Sign-up, sign-in, sign-out, the current session, password change, switching org. */
export const accountRoutes = (ctx: HubDeps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const anonymous = { hubAccess: 'anonymous' as const };

  r.post('/signup', { config: anonymous, schema: { body: SignUpBody, response: { 201: H.HubSession } } }, async (req, reply) => {
    const now = ctx.clock();
    const session = await accounts.signUp(ctx.database, ctx.limiter, req.body, { ip: req.ip, now });
    setSessionCookie(req, reply, session.token, session.expiresAt, now);
    reply.code(201);
    return accounts.newSessionView(ctx.database, session);
  });

  r.post('/signin', { config: anonymous, schema: { body: SignInBody, response: { 200: H.HubSession } } }, async (req, reply) => {
    const now = ctx.clock();
    const session = await accounts.signIn(ctx.database, ctx.limiter, req.body, { ip: req.ip, now });
    setSessionCookie(req, reply, session.token, session.expiresAt, now);
    return accounts.newSessionView(ctx.database, session);
  });

  r.get('/session', { schema: { response: { 200: H.HubSession } } }, async (req) => accounts.sessionView(ctx.database, principalOf(req)));

  r.post('/signout', { schema: { response: { 200: H.SignedOut } } }, async (req, reply) => {
    await accounts.signOut(ctx.database, principalOf(req));
    clearSessionCookie(req, reply);
    return { object: 'signed_out' as const };
  });

  r.post('/password', { schema: { body: PasswordBody, response: { 200: H.PasswordChanged } } }, async (req) => {
    await accounts.changePassword(ctx.database, ctx.limiter, principalOf(req), req.body, ctx.clock());
    return { object: 'password_changed' as const, other_sessions_ended: true };
  });

  r.post('/session/org', { schema: { body: SwitchOrgBody, response: { 200: H.HubSession } } }, (req) => accounts.switchOrg(ctx.database, principalOf(req), req.body.org_id));
};
