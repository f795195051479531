import type { Generated } from 'kysely';

/**
 * Row types as stored. Instants are epoch milliseconds (integers) on both engines; booleans are 0/1
 * integers; structured values (opening hours, address) are JSON text. See src/db/README.md.
 */
export interface OrganisationsTable { id: string; slug: string; name: string; created_at: number; updated_at: number }
export interface UsersTable { id: string; email: string; name: string; password_hash: string; created_at: number; updated_at: number }
export interface MembershipsTable { org_id: string; user_id: string; role: 'owner' | 'admin' | 'staff'; created_at: number; updated_at: number }
/**
 * `scope`: a published preset, or `custom` with the fine scopes in `scopes` (JSON array). `location_ids`: JSON
 * array of the locations the key is limited to, or null for every location (API.md §3).
 */
export interface ApiKeysTable {
  id: string; org_id: string; label: string; scope: 'read' | 'read_write' | 'custom'; digest: string; prefix: string; last4: string;
  created_by: string | null; created_at: number; last_used_at: number | null; revoked_at: number | null;
  scopes: string | null; location_ids: string | null;
}
export interface ServerSecretsTable { name: string; value: string }
export interface LocationsTable {
  id: string; org_id: string; slug: string; name: string; time_zone: string; address: string; phone: string | null;
  opening_hours: string; min_notice_minutes: number; horizon_days: number; created_at: number; updated_at: number;
}
export interface LocationClosuresTable { id: string; org_id: string; location_id: string; starts_on: string; ends_on: string; reason: string | null; created_at: number }
export interface ServicesTable {
  id: string; org_id: string; name: string; description: string | null; duration_minutes: number; buffer_minutes: number;
  slot_interval: number | null; price_amount: number; currency: string; active: number; created_at: number; updated_at: number;
}
export interface ServiceLocationsTable { org_id: string; service_id: string; location_id: string }
export interface StaffTable { id: string; org_id: string; display_name: string; title: string | null; bookable: number; created_at: number; updated_at: number }
export interface StaffLocationsTable { org_id: string; staff_id: string; location_id: string }
export interface StaffServicesTable { org_id: string; staff_id: string; service_id: string }
export interface StaffHoursTable { org_id: string; staff_id: string; location_id: string; weekday: number; start_minute: number; end_minute: number }
export interface StaffExceptionsTable {
  id: string; org_id: string; staff_id: string; location_id: string | null; date: string; start_minute: number; end_minute: number;
  kind: 'off' | 'extra'; reason: string | null; created_at: number;
}
export interface ClientsTable {
  id: string; org_id: string; first_name: string | null; last_name: string | null; email: string | null; phone: string | null; notes: string | null;
  email_marketing: number; email_marketing_at: number | null; sms_marketing: number; sms_marketing_at: number | null;
  erased_at: number | null; created_at: number; updated_at: number;
}
/** Which door a change came in by. `system`: a background job or the operator's command. */
export type ChangeSource = 'api' | 'hub' | 'online' | 'system';
/** Where a booking was made (a change by the operator's command or a job still names one of these). */
export type BookingSource = 'api' | 'hub' | 'online';
export type BookingStatus = 'confirmed' | 'cancelled' | 'completed' | 'no_show';
export interface BookingsTable {
  id: string; org_id: string; reference: string; status: BookingStatus; location_id: string; service_id: string; staff_id: string; client_id: string;
  start_ms: number; end_ms: number; block_end_ms: number; duration_minutes: number; buffer_minutes: number; price_amount: number; currency: string;
  service_name: string; notes: string | null; source: BookingSource; created_at: number; updated_at: number;
  cancelled_at: number | null; cancellation_reason: string | null; cancelled_via: ChangeSource | null;
  /** JSON array of the availability rules a Hub member set aside for this booking (a walk-in), or null. */
  rules_set_aside: string | null;
}
export interface IdempotencyKeysTable {
  org_id: string; key: string; fingerprint: string; state: 'running' | 'done'; response_status: number | null; response_body: string | null;
  created_at: number; expires_at: number;
}

/**
 * The transactional outbox (API.md §8). `seq` is assigned by the database; `tx` is the writing transaction's id
 * on PostgreSQL (0 on SQLite); feed order is (tx, seq). `data` is JSON `{ object, previous_attributes? }`;
 * `location_ids` a JSON array of the locations the change concerns, or null when it is org-wide.
 */
export interface EventsTable {
  seq: Generated<number>; tx: Generated<number>; id: string; org_id: string; type: string; source: ChangeSource; request_id: string | null;
  object_id: string; location_ids: string | null; data: string; created_at: number;
}

/** The per-organisation change counter (migration 2026-11-29-02; docs/caches.md). */
export interface OrgVersionsTable { org_id: string; slot: number; version: number }

export interface DB {
  organisations: OrganisationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  api_keys: ApiKeysTable;
  server_secrets: ServerSecretsTable;
  locations: LocationsTable;
  location_closures: LocationClosuresTable;
  services: ServicesTable;
  service_locations: ServiceLocationsTable;
  staff: StaffTable;
  staff_locations: StaffLocationsTable;
  staff_services: StaffServicesTable;
  staff_hours: StaffHoursTable;
  staff_exceptions: StaffExceptionsTable;
  clients: ClientsTable;
  bookings: BookingsTable;
  idempotency_keys: IdempotencyKeysTable;
  events: EventsTable;
  org_versions: OrgVersionsTable;
}
