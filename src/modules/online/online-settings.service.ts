import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import { findLocationById } from '../locations/locations.repo.js';
import type { ContactRequired } from './online.tables.js';
import * as repo from './online-settings.repo.js';

/** A location's online booking settings as the Hub edits them and the page obeys them. */
export interface OnlineSettings {
  enabled: boolean;
  contact_required: ContactRequired;
  /** Hours before the start after which a client can no longer reschedule or cancel online. */
  cancellation_window_hours: number;
  /** Hours before the start the reminder is sent; 0 = no reminder. */
  reminder_hours: number;
  /** Live future online bookings one contact (email or phone) may hold at the location. */
  max_live_bookings: number;
  /** Shown at the top of the page (plain text). */
  message: string | null;
}

/** A location nobody has set up yet: online booking off, the documented defaults otherwise. */
export const DEFAULT_SETTINGS: OnlineSettings = Object.freeze({
  enabled: false, contact_required: 'email', cancellation_window_hours: 24, reminder_hours: 24, max_live_bookings: 3, message: null,
});

export function toSettings(row: repo.OnlineSettingsRow | undefined): OnlineSettings {
  if (!row) return DEFAULT_SETTINGS;
  return {
    enabled: row.enabled === 1,
    contact_required: row.contact_required,
    cancellation_window_hours: row.cancellation_window_hours,
    reminder_hours: row.reminder_hours,
    max_live_bookings: row.max_live_bookings,
    message: row.message,
  };
}

export async function settingsFor(db: Kysely<DB>, orgId: string, locationId: string): Promise<OnlineSettings> {
  return toSettings(await repo.findSettings(db, orgId, locationId));
}

/**
 * Changes a location's online booking settings (owners and admins, in the Hub). Unset fields keep their value
 * (or the default for a location never set up). Errors: `404` for an unknown location (or another org's).
 */
export async function updateOnlineSettings(database: Database, orgId: string, locationId: string, patch: Partial<OnlineSettings>, now: number): Promise<OnlineSettings> {
  const location = await findLocationById(database.db, orgId, locationId);
  if (!location) throw notFound('location_id');
  const current = await settingsFor(database.db, orgId, locationId);
  const next = { ...current, ...patch };
  const row = {
    enabled: next.enabled ? 1 : 0,
    contact_required: next.contact_required,
    cancellation_window_hours: next.cancellation_window_hours,
    reminder_hours: next.reminder_hours,
    max_live_bookings: next.max_live_bookings,
    message: next.message?.trim() || null,
    updated_at: now,
  };
  await repo.upsertSettings(database.db, orgId, locationId, row, row);
  return toSettings({ org_id: orgId, location_id: locationId, ...row });
}

/** Keeps a service or staff member off the booking page (`online: false`) or puts it back. `404` if unknown. */
export async function setBookableOnline(database: Database, orgId: string, kind: 'service' | 'staff', id: string, online: boolean): Promise<void> {
  const table = kind === 'service' ? 'services' : 'staff';
  const exists = await database.db.selectFrom(table).select('id').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!exists) throw notFound(kind);
  if (kind === 'service') await repo.setServiceHidden(database.db, orgId, id, !online);
  else await repo.setStaffHidden(database.db, orgId, id, !online);
}

/** Turns online booking on at these locations with the defaults (the demo shop). */
export async function enableOnlineBooking(database: Database, orgId: string, locationIds: string[], now: number): Promise<void> {
  for (const id of locationIds) await updateOnlineSettings(database, orgId, id, { enabled: true }, now);
}

/** The booking page's address for an org (and optionally one location). */
export const bookingPageUrl = (publicUrl: string, orgSlug: string, locationSlug?: string) =>
  `${publicUrl}/book/${encodeURIComponent(orgSlug)}${locationSlug ? `/${encodeURIComponent(locationSlug)}` : ''}`;
