import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LocalDateInput } from '../../http/time-schemas.js';
import { HHMM } from './setup.schemas.js';
import { daysBetween } from '../../lib/zoned-date.js';
import { parseCalendarDate } from '../../lib/instant.js';

/** The widest span one question may cover (a closure is at most a year: setup.schemas.ts): wider would be a long scan. */
export const MAX_AFFECTED_RANGE_DAYS = 366;
import type { HubDeps } from './index.js';
import { hubActor, principalOf } from './hub-guard.js';
import { affectedBookings, cancelMany } from './affected.service.js';
import * as H from './hub.schemas.js';

const Id = z.string().min(1).max(100);
// (the dates' own schema reports a date that is not real; the span is measured only between real ones)
const realDates = (...dates: string[]) => dates.every((d) => parseCalendarDate(d).ok);
const AffectedQuery = z.strictObject({
  location: Id.optional(), staff: Id.optional(), client: Id.optional(),
  from: LocalDateInput.optional(), to: LocalDateInput.optional(), starts: HHMM.optional(), ends: HHMM.optional(),
}).superRefine((q, ctx) => {
  if ((q.from === undefined) !== (q.to === undefined)) ctx.addIssue({ code: 'custom', message: 'give both `from` and `to`, or neither', path: [q.from === undefined ? 'from' : 'to'] });
  else if (q.from && q.to && q.to < q.from) ctx.addIssue({ code: 'custom', message: 'must not be before `from`', path: ['to'] });
  else if (q.from && q.to && realDates(q.from, q.to) && daysBetween(q.from, q.to) > MAX_AFFECTED_RANGE_DAYS) ctx.addIssue({ code: 'custom', message: `may be at most ${MAX_AFFECTED_RANGE_DAYS} days after \`from\``, path: ['to'] });
  if ((q.starts === undefined) !== (q.ends === undefined)) ctx.addIssue({ code: 'custom', message: 'give both `starts` and `ends`, or neither', path: [q.starts === undefined ? 'starts' : 'ends'] });
  else if (q.starts && q.ends && q.ends <= q.starts) ctx.addIssue({ code: 'custom', message: 'must be later than `starts`', path: ['ends'] });
  else if (q.starts && !q.from) ctx.addIssue({ code: 'custom', message: 'times need the days: give `from` and `to`', path: ['from'] });
});
const CancelManyBody = z.strictObject({
  references: z.array(z.string().min(1).max(20)).min(1).max(500),
  reason: z.string().trim().min(1).max(500).describe('Told to the clients with the cancellation.'),
});

/**
 * Before a closure, a staff member's time off or a client's erasure is saved: the bookings it would leave
 * behind, and cancelling them with one reason (each through the booking core's cancel use case).
 */
export const affectedRoutes = (ctx: HubDeps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/affected-bookings', { schema: { querystring: AffectedQuery, response: { 200: H.HubList(H.Booking) } } }, (req) => affectedBookings(ctx.database, principalOf(req).orgId, req.query, ctx.clock()));
  r.post('/affected-bookings/cancel', { schema: { body: CancelManyBody, response: { 200: H.Cancellation } } }, (req) => cancelMany(ctx.database, hubActor(req, ctx.clock), req.body.references, req.body.reason));
};
