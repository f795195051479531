import type { WeeklyHours } from './time';

export type Role = 'owner' | 'admin' | 'staff';
export interface Session {
  user: { id: string; email: string; name: string };
  org: { id: string; name: string; slug: string };
  role: Role;
  orgs: { id: string; name: string; slug: string; role: Role }[];
  csrf_token: string;
}
export interface List<T> { object: 'list'; data: T[]; has_more?: boolean; next_cursor?: string | null }
export interface Money { amount: number; currency: string }

export interface Location {
  id: string; slug: string; name: string; time_zone: string;
  address: { line1: string; line2: string | null; city: string; postcode: string; country: string };
  phone: string | null; opening_hours: WeeklyHours; minimum_notice_minutes: number; booking_horizon_days: number;
  closures: { id: string; starts_on: string; ends_on: string; reason: string | null }[];
}
export interface Service {
  id: string; name: string; description: string | null; duration_minutes: number; buffer_minutes: number;
  slot_interval_minutes: number | null; price: Money; active: boolean; location_ids: string[];
}
export interface StaffException { id: string; date: string; kind: 'off' | 'extra'; all_day: boolean; starts: string; ends: string; location_id: string | null; reason: string | null }
export interface Staff {
  id: string; display_name: string; title: string | null; bookable: boolean; location_ids: string[]; service_ids: string[];
  hours: Record<string, WeeklyHours>; exceptions: StaffException[];
}
export interface Booking {
  reference: string; status: 'confirmed' | 'cancelled' | 'completed' | 'no_show'; location: string;
  service: { id: string; name: string }; staff: { id: string; display_name: string };
  client: { id: string; name: string | null; email?: string | null; phone?: string | null; erased?: boolean };
  starts_at: string; ends_at: string; duration_minutes: number; buffer_minutes: number; price: Money; notes: string | null;
  source: 'api' | 'hub'; created_at: string; cancelled_at: string | null; cancellation_reason: string | null; cancelled_via: 'api' | 'hub' | null;
}
export interface Interval { starts_at: string; ends_at: string }
export interface DiaryDay {
  location: { id: string; slug: string; name: string; time_zone: string };
  date: string; day_starts_at: string; day_ends_at: string; now: string;
  closed: { reason: string | null } | null;
  opening_hours: Interval[];
  staff: { id: string; display_name: string; title: string | null; bookable: boolean; service_ids: string[]; working: Interval[]; time_off: (Interval & { reason: string | null })[] }[];
  bookings: Booking[];
  services: { id: string; name: string; duration_minutes: number; buffer_minutes: number; price: Money }[];
}
export interface Slot { starts_at: string; ends_at: string; staff_id: string }
export interface Availability { time_zone: string; slots: Slot[] }
export interface Client {
  id: string; first_name: string | null; last_name: string | null; email: string | null; phone: string | null; notes: string | null;
  consent: { email_marketing: boolean; email_marketing_given_at: string | null; sms_marketing: boolean; sms_marketing_given_at: string | null };
  created_at: string; erased_at: string | null;
}
export interface ApiKey {
  id: string; label: string; scope: 'read' | 'read_write' | null; scopes: string[]; locations: string[] | null; display: string; created_at: string; created_by: string | null;
  created_by_name: string | null; last_used_at: string | null; revoked_at: string | null;
}
export interface Team {
  members: { user_id: string; name: string; email: string; role: Role; joined_at: string; you: boolean }[];
  invitations: { id: string; role: Role; email: string | null; created_at: string; created_by: string | null; expires_at: string }[];
}

export const clientName = (c: { first_name: string | null; last_name: string | null; erased_at?: string | null }) =>
  c.erased_at ? 'Erased client' : [c.first_name, c.last_name].filter(Boolean).join(' ') || 'Unnamed client';
