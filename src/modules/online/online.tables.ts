/** The booking page's tables (migration 2026-11-30-02-online-booking). */
export type ContactRequired = 'email' | 'phone' | 'either';

export interface OnlineBookingSettingsTable {
  org_id: string;
  location_id: string;
  enabled: number;
  contact_required: ContactRequired;
  /** Clients may reschedule or cancel online until this many hours before the start. */
  cancellation_window_hours: number;
  /** The reminder goes this many hours before the start (0: no reminder). */
  reminder_hours: number;
  /** A contact may hold at most this many live future online bookings at the location. */
  max_live_bookings: number;
  message: string | null;
  updated_at: number;
}
export interface OnlineHiddenServicesTable { org_id: string; service_id: string }
export interface OnlineHiddenStaffTable { org_id: string; staff_id: string }
/** Only the SHA-256 digest of a manage token is stored. */
export interface ManageLinksTable { digest: string; org_id: string; booking_id: string; created_at: number }

declare module '../../db/schema.js' {
  interface DB {
    online_booking_settings: OnlineBookingSettingsTable;
    online_hidden_services: OnlineHiddenServicesTable;
    online_hidden_staff: OnlineHiddenStaffTable;
    manage_links: ManageLinksTable;
  }
}
