import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LocalDate } from '../../http/schemas.js';
import type { HubDeps } from './index.js';
import { principalOf } from './hub-guard.js';
import { diaryWeek } from './week.service.js';
import * as H from './hub.schemas.js';

const WeekQuery = z.strictObject({ location: z.string().min(1).max(100), date: LocalDate.optional(), staff: z.string().min(1).max(100).optional() });

/** `GET /week?location=&date=[&staff=]`: the diary's week view (every member, like the day view). */
export const weekRoutes = (ctx: HubDeps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/week', { schema: { querystring: WeekQuery, response: { 200: H.DiaryWeek } } }, (req) => diaryWeek(ctx.database, principalOf(req).orgId, req.query, ctx.clock()));
};
