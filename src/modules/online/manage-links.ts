import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { digestToken, newToken } from '../hub/hub-guard.js';
import './online.tables.js';

/** A manage link works until this long after the booking's end; after that it is an unknown link (404). */
export const MANAGE_LINK_DAYS_AFTER_END = 30;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Mints a private "manage my booking" token (32 random bytes, base64url) for a booking, inside the caller's
 * transaction, and stores only its SHA-256 digest (like API keys and Hub sessions): the plaintext exists in
 * the answer to the client and in the link of one message, nowhere else. A booking may hold several tokens
 * (the page's, one per message); each is as good as the others.
 */
export async function mintManageToken(trx: Kysely<DB>, orgId: string, bookingId: string, now: number): Promise<string> {
  const token = newToken();
  await trx.insertInto('manage_links').values({ digest: digestToken(token), org_id: orgId, booking_id: bookingId, created_at: now }).execute();
  return token;
}

/**
 * The booking a token opens, or undefined (wrong shape: no database read; unknown digest). The token is what
 * tells us the organisation, as an API key does: the one unscoped read here.
 */
export async function findManageLink(db: Kysely<DB>, token: string): Promise<{ org_id: string; booking_id: string } | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  return db.selectFrom('manage_links').select(['org_id', 'booking_id']).where('digest', '=', digestToken(token)).executeTakeFirst();
}

/**
 * The page address that opens a booking: the token travels in the fragment (`#manage=`), which browsers never
 * send to a server, so it stays out of access logs, proxies and `Referer` headers.
 */
export const manageUrl = (publicUrl: string, orgSlug: string, token: string) => `${publicUrl}/book/${encodeURIComponent(orgSlug)}#manage=${token}`;
