/**
 * The diary: a location's day or week, free times, and the booking changes. A start goes to the server as
 * the free time it offered (`starts_at`, the only way to name the second 01:30 of a fall-back night) or as
 * the location's wall clock (`date` + `time`, typed or pointed at), which the server converts with the
 * availability engine's own rule.
 */
import { get, post, qs } from '../api';
import type { Availability, Booking, BookingDetail, Cancellation, DiaryDay, DiaryWeek, List, SettableRule } from '../types';

export type ClientChoice = string | { first_name: string; last_name?: string; email?: string; phone?: string };

/** Where a booking starts: a free time as offered, or a local date and time. */
export type Start = { starts_at: string } | { date: string; time: string };

export const getDay = (location: string, date?: string) => get<DiaryDay>(`/diary${qs({ location, date })}`);
/** The Monday-to-Sunday week holding `date`, optionally one staff member's only. */
export const getWeek = (location: string, date?: string, staff?: string) => get<DiaryWeek>(`/week${qs({ location, date, staff })}`);
export const getAvailability = (q: { location: string; service: string; date: string; staff?: string; exclude_booking?: string }) =>
  get<Availability>(`/availability${qs(q)}`);

export const getBooking = (reference: string) => get<BookingDetail>(`/bookings/${reference}`);
/** `setAside`: rules knowingly set aside for a walk-in (the server never sets aside an overlap). */
export const createBooking = (b: { location: string; service: string; staff?: string; start: Start; client: ClientChoice; notes?: string; setAside?: SettableRule[] }) =>
  post<Booking>('/bookings', {
    location: b.location, service: b.service, ...(b.staff ? { staff: b.staff } : {}), ...b.start, client: b.client,
    ...(b.notes ? { notes: b.notes } : {}), ...(b.setAside?.length ? { set_aside: b.setAside } : {}),
  });
export const rescheduleBooking = (reference: string, to: { start: Start; staff?: string; setAside?: SettableRule[] }) =>
  post<Booking>(`/bookings/${reference}/reschedule`, { ...to.start, ...(to.staff ? { staff: to.staff } : {}), ...(to.setAside?.length ? { set_aside: to.setAside } : {}) });
export const cancelBooking = (reference: string, reason?: string) => post<Booking>(`/bookings/${reference}/cancel`, reason ? { reason } : {});
export const recordOutcome = (reference: string, status: 'completed' | 'no_show') => post<Booking>(`/bookings/${reference}/outcome`, { status });

/** What a closure, a day off or an erasure would leave behind (ids; dates and times local to each location). */
export interface AffectedQuery { location?: string; staff?: string; client?: string; from?: string; to?: string; starts?: string; ends?: string }
export const listAffected = (q: AffectedQuery) => get<List<Booking>>(`/affected-bookings${qs({ ...q })}`);
/** Cancels these bookings with one reason, each through the booking core. */
export const cancelMany = (references: string[], reason: string) => post<Cancellation>('/affected-bookings/cancel', { references, reason });
