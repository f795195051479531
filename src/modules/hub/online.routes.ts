import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { iso } from '../../http/schemas.js';
import { escapeHtml } from '../../lib/html.js';
import { listServices } from '../catalog/catalog.repo.js';
import { listStaff } from '../staff/staff.repo.js';
import { findClient } from '../clients/clients.repo.js';
import { notFound } from '../../http/errors.js';
import * as settingsRepo from '../online/online-settings.repo.js';
import { bookingPageUrl, setBookableOnline, toSettings, updateOnlineSettings } from '../online/online-settings.service.js';
import { listClientMessages, listMailbox } from '../messages/messages.repo.js';
import type { HubDeps } from './index.js';
import { principalOf } from './hub-guard.js';

const IdParams = z.object({ id: z.string().max(100) });
const SettingsBody = z.strictObject({
  enabled: z.boolean().optional(),
  contact_required: z.enum(['email', 'phone', 'either']).optional(),
  cancellation_window_hours: z.number().int().min(0).max(720).optional(),
  reminder_hours: z.number().int().min(0).max(168).optional(),
  max_live_bookings: z.number().int().min(1).max(50).optional(),
  message: z.string().max(500).nullable().optional(),
});
const OnlineBody = z.strictObject({ online: z.boolean() });
const attr = escapeHtml; // the snippets a shop pastes into its own site

/**
 * Settings → Online booking (owners and admins): per location on/off, the contact the page asks for, the
 * cancellation window, reminder hours, the cap on a contact's live online bookings and a short message; which
 * services and staff can be booked online; the page's address, an embed snippet and a "Book now" link.
 * Settings → Messages: the development mailbox. A client's page lists the messages sent to them.
 */
export const onlineSettingsRoutes = (ctx: HubDeps): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { hubAccess: 'admin' as const };
  const org = (req: Parameters<typeof principalOf>[0]) => principalOf(req);

  r.get('/online-booking', { config: admin }, async (req) => {
    const { orgId, org: shop } = org(req);
    const db = ctx.database.db;
    const [locations, settings, services, staff, hidden] = await Promise.all([
      db.selectFrom('locations').select(['id', 'slug', 'name']).where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute(),
      settingsRepo.listSettings(db, orgId),
      listServices(db, orgId, { activeOnly: true }, 1000),
      listStaff(db, orgId, { bookableOnly: true }, 1000),
      settingsRepo.hiddenIds(db, orgId),
    ]);
    const pageUrl = bookingPageUrl(ctx.config.publicUrl, shop.slug);
    return {
      page_url: pageUrl,
      embed_snippet: `<iframe src="${attr(pageUrl)}" title="Book online with ${attr(shop.name)}" style="width:100%;min-height:720px;border:0" loading="lazy"></iframe>`,
      book_now_link: `<a href="${attr(pageUrl)}" target="_blank" rel="noopener">Book now</a>`,
      locations: locations.map((l) => ({ id: l.id, slug: l.slug, name: l.name, page_url: bookingPageUrl(ctx.config.publicUrl, shop.slug, l.slug), settings: toSettings(settings.find((s) => s.location_id === l.id)) })),
      services: services.map((s) => ({ id: s.id, name: s.name, online: !hidden.services.has(s.id) })),
      staff: staff.map((s) => ({ id: s.id, display_name: s.display_name, online: !hidden.staff.has(s.id) })),
    };
  });

  r.patch('/online-booking/locations/:id', { config: admin, schema: { params: IdParams, body: SettingsBody } },
    (req) => updateOnlineSettings(ctx.database, org(req).orgId, req.params.id, req.body, ctx.clock()));

  r.patch('/online-booking/services/:id', { config: admin, schema: { params: IdParams, body: OnlineBody } }, async (req) => {
    await setBookableOnline(ctx.database, org(req).orgId, 'service', req.params.id, req.body.online);
    return { id: req.params.id, online: req.body.online };
  });

  r.patch('/online-booking/staff/:id', { config: admin, schema: { params: IdParams, body: OnlineBody } }, async (req) => {
    await setBookableOnline(ctx.database, org(req).orgId, 'staff', req.params.id, req.body.online);
    return { id: req.params.id, online: req.body.online };
  });

  r.get('/messages', { config: admin }, async (req) => {
    const rows = await listMailbox(ctx.database.db, org(req).orgId, 50);
    return {
      transport: ctx.config.smtpUrl ? 'smtp' : 'mailbox',
      data: rows.map((m) => ({ id: m.id, to: m.recipient, subject: m.subject, text: m.text_body, html: m.html_body, has_calendar: m.ics !== null, created_at: iso(m.created_at) })),
    };
  });

  r.get('/clients/:id/messages', { schema: { params: IdParams } }, async (req) => {
    const { orgId } = org(req);
    if (!(await findClient(ctx.database.db, orgId, req.params.id))) throw notFound('client');
    const rows = await listClientMessages(ctx.database.db, orgId, req.params.id, 100);
    return {
      data: rows.map((m) => ({
        id: m.id, kind: m.kind, status: m.status, subject: m.subject, to: m.recipient, transport: m.transport, outcome: m.outcome,
        booking: m.reference, created_at: iso(m.created_at), sent_at: m.sent_at === null ? null : iso(m.sent_at),
      })),
    };
  });
};
