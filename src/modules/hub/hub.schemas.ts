import { z } from 'zod';
import { Money } from '../../http/schemas.js';
import { Availability } from '../availability/availability.schemas.js';
import { Booking } from '../bookings/bookings.schemas.js';
import { Service } from '../catalog/catalog.schemas.js';
import { Client } from '../clients/clients.schemas.js';
import { Location, OpeningHours } from '../locations/locations.schemas.js';

/**
 * Response schemas of `/hub/api`: each route declares what it answers (serialised through them, so nothing
 * unnamed leaves the server), and the Hub derives its types from them (`hub/src/types.ts`, type-only
 * imports: no server code in the bundle). One shape, written once, for both sides.
 */

const Role = z.enum(['owner', 'admin', 'staff']);
const StaffRef = z.object({ id: z.string(), display_name: z.string() });
const Instant = z.string();
const Nullable = z.string().nullable();

/** A list as the Hub's routes answer it: every item (setup), or a page (`has_more`, `next_cursor`). */
export const HubList = <T extends z.ZodType>(item: T) =>
  z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean().optional(), next_cursor: Nullable.optional() });

// ---- session, team, keys ------------------------------------------------------------------------------

export const HubSession = z.object({
  object: z.literal('hub_session'),
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  org: z.object({ id: z.string(), name: z.string(), slug: z.string() }).nullable(),
  role: Role,
  staff: StaffRef.nullable().describe('Their own staff record in this org ("My day").'),
  orgs: z.array(z.object({ id: z.string(), name: z.string(), slug: z.string(), role: Role })),
  csrf_token: z.string(),
});
export const SignedOut = z.object({ object: z.literal('signed_out') });
export const PasswordChanged = z.object({ object: z.literal('password_changed'), other_sessions_ended: z.boolean() });

export const Invitation = z.object({
  object: z.literal('invitation'), id: z.string(), role: Role, email: Nullable, created_at: Instant, created_by: Nullable,
  expires_at: Instant, accepted_at: Nullable, revoked_at: Nullable,
});
export const CreatedInvitation = z.object({ invitation: Invitation, token: z.string(), path: z.string(), url: z.string() });
export const InvitationPreview = z.object({ object: z.literal('invitation_preview'), org: z.object({ name: z.string() }), role: Role, email: Nullable, expires_at: Instant });
export const Team = z.object({
  object: z.literal('team'),
  members: z.array(z.object({ user_id: z.string(), name: z.string(), email: z.string(), role: Role, joined_at: Instant, you: z.boolean(), staff: StaffRef.nullable() })),
  invitations: z.array(Invitation),
});

export const HubApiKey = z.object({
  object: z.literal('api_key'), id: z.string(), label: z.string(), display: z.string(), created_at: Instant,
  scope: z.enum(['read', 'read_write']).nullable().describe('The preset, or null for picked scopes.'), scopes: z.array(z.string()), locations: z.array(z.string()).nullable(),
  created_by: Nullable, created_by_name: Nullable, last_used_at: Nullable, revoked_at: Nullable,
});
export const CreatedApiKey = z.object({ key: HubApiKey, plaintext: z.string().describe('The only time it is sent.') });

// ---- setup ---------------------------------------------------------------------------------------------

export const HubLocation = Location.extend({
  closures: z.array(z.object({ id: z.string(), starts_on: z.string(), ends_on: z.string(), reason: Nullable })),
});
export const HubService = Service.omit({ locations: true }).extend({ location_ids: z.array(z.string()) });
export const StaffException = z.object({
  id: z.string(), date: z.string(), kind: z.enum(['off', 'extra']), all_day: z.boolean(), starts: z.string(), ends: z.string(), location_id: Nullable, reason: Nullable,
});
export const HubStaff = z.object({
  object: z.literal('staff'), id: z.string(), display_name: z.string(), title: Nullable, bookable: z.boolean(),
  location_ids: z.array(z.string()), service_ids: z.array(z.string()),
  hours: z.record(z.string(), OpeningHours).describe('Weekly hours per location id.'),
  exceptions: z.array(StaffException), created_at: Instant, updated_at: Instant,
});

// ---- the diary -----------------------------------------------------------------------------------------

const Interval = z.object({ starts_at: Instant, ends_at: Instant });
export const DiaryStaff = z.object({
  id: z.string(), display_name: z.string(), title: Nullable, bookable: z.boolean(), service_ids: z.array(z.string()),
  working: z.array(Interval), time_off: z.array(Interval.extend({ reason: Nullable })),
});
const DiaryLocation = z.object({ id: z.string(), slug: z.string(), name: z.string(), time_zone: z.string() });
const DiaryService = z.object({ id: z.string(), name: z.string(), duration_minutes: z.number().int(), buffer_minutes: z.number().int(), price: Money });
const dayFields = {
  date: z.string(), day_starts_at: Instant, day_ends_at: Instant,
  closed: z.object({ reason: Nullable }).nullable(),
  opening_hours: z.array(Interval),
  staff: z.array(DiaryStaff),
  bookings: z.array(Booking),
};
export const DiaryDayBody = z.object(dayFields);
export const DiaryDay = z.object({ object: z.literal('diary_day'), location: DiaryLocation, now: Instant, ...dayFields, services: z.array(DiaryService) });
export const DiaryWeek = z.object({
  object: z.literal('diary_week'), location: DiaryLocation, from: z.string(), to: z.string(), now: Instant,
  services: z.array(DiaryService), staff: z.array(DiaryStaff), days: z.array(DiaryDayBody),
});
export { Availability };
/** A booking as its panel shows it: with the client's contact details. */
export const HubBooking = Booking.extend({
  client: z.object({ id: z.string(), name: Nullable, email: Nullable, phone: Nullable, erased: z.boolean() }),
});
export const Cancellation = z.object({
  object: z.literal('cancellation'), reason: z.string(), cancelled: z.array(Booking),
  refused: z.array(z.object({ reference: z.string(), error: z.object({ code: z.string(), message: z.string() }) })),
});

// ---- clients -------------------------------------------------------------------------------------------

export const HubClient = Client.extend({ erased_at: Nullable });
export const ClientPage = z.object({ object: z.literal('client_page'), client: HubClient, bookings: z.array(Booking) });
export const ClientExport = z.object({
  object: z.literal('client_export'), exported_at: Instant, controller: z.object({ name: Nullable }), client: HubClient, bookings: z.array(Booking),
});
export { Booking };
