import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/connect.js';
import { randomString } from '../../src/lib/ids.js';
import { addUserToOrg } from '../../src/modules/orgs/members.service.js';
import { call } from '../helpers/app.js';

/** `app.inject` sends `Host: localhost:80`, so this is the Hub's own origin in these tests. */
export const ORIGIN = 'http://localhost:80';
export const PASSWORD = 'correct horse battery';

/** A Monday, 08:00 in London (UTC in December): the fixed "now" of the booking tests. */
export const MONDAY_8AM = Date.parse('2026-12-07T08:00:00Z');

export interface HubSession {
  cookie: string;
  csrf: string;
  userId: string;
  orgId: string;
  email: string;
}

export interface HubRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  /** Leave out the CSRF header, or send this one instead. */
  csrf?: string | null;
  origin?: string | null;
}

/** A request as the Hub page sends it: session cookie, same-origin `Origin`, `X-CSRF-Token`. */
export function hub(app: FastifyInstance, session: HubSession | undefined, req: HubRequest) {
  const method = req.method ?? 'GET';
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (session) headers.cookie = session.cookie;
  const origin = req.origin === undefined ? ORIGIN : req.origin;
  if (method !== 'GET' && origin !== null) headers.origin = origin;
  const csrf = req.csrf === undefined ? session?.csrf : req.csrf;
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  return call(app, { method, url: req.url, headers, ...(req.payload !== undefined ? { payload: req.payload as object } : {}) });
}

export function cookieFrom(setCookie: string | string[] | undefined): string {
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!first) throw new Error('no Set-Cookie');
  return first.split(';')[0]!;
}

function toSession(res: { headers: Record<string, unknown>; body: any }): HubSession {
  return { cookie: cookieFrom(res.headers['set-cookie'] as string), csrf: res.body.csrf_token, userId: res.body.user.id, orgId: res.body.org.id, email: res.body.user.email };
}

/** Signs up a new shop through the Hub: its owner's session. */
export async function signUp(app: FastifyInstance, shopName = `Shop ${randomString(5)}`): Promise<HubSession> {
  const email = `owner-${randomString(8).toLowerCase()}@example.com`;
  const res = await hub(app, undefined, { method: 'POST', url: '/hub/api/signup', payload: { shop_name: shopName, name: 'Olive Owner', email, password: PASSWORD } });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${res.raw}`);
  return toSession(res);
}

export async function signIn(app: FastifyInstance, email: string, password = PASSWORD): Promise<HubSession> {
  const res = await hub(app, undefined, { method: 'POST', url: '/hub/api/signin', payload: { email, password } });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.raw}`);
  return toSession(res);
}

/** Another member of the owner's org with this role, signed in. */
export async function memberOf(app: FastifyInstance, database: Database, owner: HubSession, role: 'owner' | 'admin' | 'staff'): Promise<HubSession> {
  const email = `${role}-${randomString(8).toLowerCase()}@example.com`;
  await addUserToOrg(database, owner.orgId, { email, role, password: PASSWORD, name: `${role} person` });
  return signIn(app, email);
}

export const WEEKDAY_HOURS = {
  monday: [{ opens: '09:00', closes: '18:00' }], tuesday: [{ opens: '09:00', closes: '18:00' }], wednesday: [{ opens: '09:00', closes: '18:00' }],
  thursday: [{ opens: '09:00', closes: '18:00' }], friday: [{ opens: '09:00', closes: '18:00' }], saturday: [{ opens: '10:00', closes: '16:00' }], sunday: [],
};

export interface HubShop { locationId: string; slug: string; serviceId: string; staffId: string }

/** A London location open weekdays 9–18, a 30-minute haircut (+10 min clean-up, 15-minute grid), one barber. */
export async function setUpShop(app: FastifyInstance, owner: HubSession): Promise<HubShop> {
  const slug = `shop-${randomString(5).toLowerCase()}`;
  const loc = await hub(app, owner, { method: 'POST', url: '/hub/api/locations', payload: {
    name: 'High Street', slug, time_zone: 'Europe/London', address: { line1: '1 High Street', city: 'London', postcode: 'N1 1AA' },
    phone: '020 7946 0123', opening_hours: WEEKDAY_HOURS, minimum_notice_minutes: 60, booking_horizon_days: 60,
  } });
  if (loc.status !== 201) throw new Error(`location: ${loc.status} ${loc.raw}`);
  const svc = await hub(app, owner, { method: 'POST', url: '/hub/api/services', payload: {
    name: 'Haircut', duration_minutes: 30, buffer_minutes: 10, slot_interval_minutes: 15, price: { amount: 2500, currency: 'GBP' }, location_ids: [loc.body.id],
  } });
  if (svc.status !== 201) throw new Error(`service: ${svc.status} ${svc.raw}`);
  const stf = await hub(app, owner, { method: 'POST', url: '/hub/api/staff', payload: {
    display_name: 'Alex', title: 'Barber', location_ids: [loc.body.id], service_ids: [svc.body.id], hours: { [loc.body.id]: WEEKDAY_HOURS },
  } });
  if (stf.status !== 201) throw new Error(`staff: ${stf.status} ${stf.raw}`);
  return { locationId: loc.body.id, slug, serviceId: svc.body.id, staffId: stf.body.id };
}

/** Counts rows of a table for an org: "nothing changed" checks. */
export async function countRows(database: Database, table: 'locations' | 'services' | 'staff' | 'clients' | 'bookings' | 'api_keys' | 'memberships' | 'hub_invitations' | 'location_closures' | 'staff_exceptions' | 'staff_hours', orgId: string): Promise<number> {
  const row = await database.db.selectFrom(table as 'locations').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
  return Number(row.n);
}
