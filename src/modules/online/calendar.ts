import ical, { ICalEventStatus } from 'ical-generator';
import type { PublicBooking } from './online-booking.service.js';

const oneLine = (a: PublicBooking['location']['address']) => [a.line1, a.line2, a.city, a.postcode].filter(Boolean).join(', ');

/**
 * A booking as an iCalendar file (RFC 5545), built with `ical-generator` rather than by hand: one VEVENT
 * in UTC (so every calendar shows it at the right local time), UID stable per booking (`<reference>@setora`)
 * so a later file for the same booking updates the entry, SEQUENCE rising with each change (`sequence`,
 * e.g. seconds of the last change), STATUS CANCELLED for a cancelled booking.
 */
export function bookingCalendar(b: PublicBooking, opts: { sequence?: number; manageUrl?: string } = {}): string {
  const calendar = ical({ name: b.shop.name, prodId: { company: 'Setora', product: 'Bookings', language: 'EN' } });
  calendar.createEvent({
    id: `${b.reference}@setora`,
    start: new Date(b.starts_at),
    end: new Date(b.ends_at),
    summary: `${b.service.name} at ${b.location.name}`,
    description: [
      `${b.service.name} with ${b.staff.display_name}.`,
      `Booking reference ${b.reference}.`,
      b.location.phone ? `Shop phone: ${b.location.phone}.` : '',
      opts.manageUrl ? `Change or cancel: ${opts.manageUrl}` : '',
    ].filter(Boolean).join('\n'),
    location: `${b.location.name}, ${oneLine(b.location.address)}`,
    status: b.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    sequence: opts.sequence ?? 0,
    ...(opts.manageUrl ? { url: opts.manageUrl } : {}),
  });
  return calendar.toString();
}
