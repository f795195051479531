import type { ChangeSource } from '../../db/schema.js';
import type { Role } from '../orgs/orgs.repo.js';

/**
 * Who is making a change, passed to every write use case: the organisation (from the credential, never
 * from the request), the door it came in by, the request it belongs to (for the event's `request_id`), and
 * the instant it happens (epoch ms; from the app's injectable clock, never read inside the use case).
 * A Hub member's role decides what they may set aside (walk-ins).
 */
export interface Actor {
  orgId: string;
  source: ChangeSource;
  requestId?: string;
  now: number;
  hub?: { userId: string; role: Role };
  /** A location-limited API key: the locations it may act at (ids); absent = every location (API.md §3). */
  locationIds?: readonly string[] | null;
}

/** An actor for background jobs, seeding and the operator's command. */
export const systemActor = (orgId: string, now: number = Date.now()): Actor => ({ orgId, source: 'system', now });
