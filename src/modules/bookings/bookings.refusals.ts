import { ApiError } from '../../http/errors.js';
import { iso } from '../../http/schemas.js';
import { localDate } from '../../lib/zoned-date.js';
import type { SlotRejection } from '../availability/engine/index.js';
import type { LocationRow } from '../locations/locations.repo.js';
import type { ServiceRow } from '../catalog/catalog.repo.js';

/** Every `reason` a `409 slot_unavailable` can carry (API.md §2): the engine's, plus one about the staff member. */
export const SLOT_REASONS = [
  'overlaps_booking', 'outside_working_hours', 'staff_time_off', 'location_closed', 'too_soon', 'beyond_horizon',
  'staff_does_not_offer_service', 'not_on_slot_grid',
] as const satisfies readonly (SlotRejection | 'staff_does_not_offer_service')[];
export type SlotReason = (typeof SLOT_REASONS)[number];

export interface RefusalFacts {
  location: Pick<LocationRow, 'name' | 'time_zone' | 'min_notice_minutes' | 'horizon_days'>;
  service: Pick<ServiceRow, 'name' | 'slot_interval'>;
  startMs: number;
  now: number;
  /** The staff member concerned; absent when no one was named and nobody can take the time. */
  staffName?: string;
  /** A way out, appended to the message (e.g. "pass `staff` …"). */
  fix?: string;
}

/** What is wrong, in words a receptionist or an integrator can act on; names the staff member. */
function describe(reason: SlotReason, f: RefusalFacts): string {
  const who = f.staffName;
  switch (reason) {
    case 'overlaps_booking':
      return who ? `${who} already has a booking (or its clean-up time) at that time.` : `Everyone who offers ${f.service.name} at ${f.location.name} is already booked at that time.`;
    case 'outside_working_hours':
      return who ? `${who} does not work at that time at ${f.location.name}.` : `No one who offers ${f.service.name} works at ${f.location.name} at that time.`;
    case 'staff_time_off':
      return who ? `${who} is away (time off) at that time.` : `Everyone who offers ${f.service.name} and works then is away (time off).`;
    case 'location_closed':
      return `${f.location.name} is closed on ${localDate(f.startMs, f.location.time_zone)}.`;
    case 'too_soon':
      return f.startMs <= f.now
        ? 'That time has already passed.'
        : `That time is within ${f.location.name}'s minimum notice of ${f.location.min_notice_minutes} minutes: the earliest start now is ${iso(f.now + f.location.min_notice_minutes * 60_000)}.`;
    case 'beyond_horizon':
      return `That time is beyond ${f.location.name}'s booking horizon of ${f.location.horizon_days} days.`;
    case 'not_on_slot_grid':
      return `That start is not on ${f.service.name}'s ${f.service.slot_interval}-minute slot grid: local start times are multiples of ${f.service.slot_interval} minutes from midnight.`;
    case 'staff_does_not_offer_service':
      return who ? `${who} does not offer ${f.service.name} at ${f.location.name}.` : `No bookable staff member offers ${f.service.name} at ${f.location.name}.`;
  }
}

/** `409 slot_unavailable` with its typed `reason` (API.md §2). */
export function slotUnavailable(reason: SlotReason, facts: RefusalFacts, param = 'starts_at'): ApiError {
  const message = facts.fix ? `${describe(reason, facts)} ${facts.fix}` : describe(reason, facts);
  return new ApiError('slot_unavailable', message, param, { reason });
}

/** The most useful single reason when no candidate can take the time (nearest to what the caller can change). */
export function bestReason(reasons: SlotReason[]): SlotReason {
  for (const r of ['too_soon', 'beyond_horizon', 'not_on_slot_grid', 'location_closed', 'overlaps_booking', 'staff_time_off'] as const) {
    if (reasons.includes(r)) return r;
  }
  return reasons[0] ?? 'staff_does_not_offer_service';
}

/** `409 booking_not_modifiable` (API.md §2). */
export const notModifiable = (message: string, status?: string) => new ApiError('booking_not_modifiable', message, undefined, status ? { status } : {});
