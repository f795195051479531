import type { Database } from './db/connect.js';
import { orgVersionReader, type OrgVersionReader } from './db/change-signal.js';
import { availabilityMemo, type AvailabilityMemo } from './modules/availability/availability.service.js';
import { locationMemo, type LocationMemo } from './modules/locations/locations.service.js';

/**
 * What an app keeps in memory about stored data: created by `buildApp` with the app, handed to the routes
 * that use it, dropped when the app closes. Every entry is remembered under its organisation's data version
 * (db/change-signal.ts), so it is exactly the fresh answer whichever instance made the change. The rules for
 * each cache are in docs/caches.md.
 */
export interface AppCaches {
  /** The org's data version now (a coalesced read on PostgreSQL; the data epoch on SQLite). */
  versions: OrgVersionReader;
  availability: AvailabilityMemo;
  locations: LocationMemo;
}

export function createCaches(database: Database): AppCaches {
  return { versions: orgVersionReader(database), availability: availabilityMemo(), locations: locationMemo() };
}

export function dropCaches(caches: AppCaches): void {
  caches.availability.entries.clear();
  caches.locations.entries.clear();
}
