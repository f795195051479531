import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HubDeps } from './index.js';
import { clearSessionCookie, principalOf, setSessionCookie } from './hub-guard.js';
import * as accounts from './accounts.service.js';

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

  r.post('/signup', { config: anonymous, schema: { body: SignUpBody } }, async (req, reply) => {
    const now = ctx.clock();
    const session = await accounts.signUp(ctx.database, ctx.limiter, req.body, { ip: req.ip, now });
    setSessionCookie(req, reply, session.token, session.expiresAt, now);
    reply.code(201);
    return accounts.newSessionView(ctx.database, session);
  });

  r.post('/signin', { config: anonymous, schema: { body: SignInBody } }, async (req, reply) => {
    const now = ctx.clock();
    const session = await accounts.signIn(ctx.database, ctx.limiter, req.body, { ip: req.ip, now });
    setSessionCookie(req, reply, session.token, session.expiresAt, now);
    return accounts.newSessionView(ctx.database, session);
  });

  r.get('/session', async (req) => accounts.sessionView(ctx.database, principalOf(req)));

  r.post('/signout', async (req, reply) => {
    await accounts.signOut(ctx.database, principalOf(req));
    clearSessionCookie(req, reply);
    return { object: 'signed_out' };
  });

  r.post('/password', { schema: { body: PasswordBody } }, async (req) => {
    await accounts.changePassword(ctx.database, ctx.limiter, principalOf(req), req.body, ctx.clock());
    return { object: 'password_changed', other_sessions_ended: true };
  });

  r.post('/session/org', { schema: { body: SwitchOrgBody } }, (req) => accounts.switchOrg(ctx.database, principalOf(req), req.body.org_id));
};
