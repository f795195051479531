import type { PublicBooking } from '../online/online-booking.service.js';
import { bookingCalendar } from '../online/calendar.js';
import { escapeHtml } from '../../lib/html.js';
import type { MessageKind } from './messages.tables.js';

export interface ComposedMessage {
  subject: string;
  text: string;
  html: string;
  /** The booking as an iCalendar file (RFC 5545), attached as `booking-<reference>.ics`. */
  ics: string;
}


/** "Tuesday 8 December 2026, 10:30–11:00 (UK time)": in the shop's zone, labelled with it. */
export function whenText(b: PublicBooking): string {
  const zone = b.location.time_zone;
  const { day, time } = formattersFor(zone);
  const label = zone === 'Europe/London' ? 'UK time' : `${zone.replace(/_/g, ' ')} time`;
  return `${day.format(Date.parse(b.starts_at))}, ${time.format(Date.parse(b.starts_at))}–${time.format(Date.parse(b.ends_at))} (${label})`;
}

// Intl formatters are costly to build (a fraction of a millisecond each) and immutable: one per zone or currency.
const zoneFormatters = new Map<string, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();
function formattersFor(zone: string) {
  let f = zoneFormatters.get(zone);
  if (!f) {
    f = {
      day: new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      time: new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    };
    zoneFormatters.set(zone, f);
  }
  return f;
}
const currencyFormatters = new Map<string, Intl.NumberFormat>();
const money = (p: PublicBooking['price']) => {
  let f = currencyFormatters.get(p.currency);
  if (!f) currencyFormatters.set(p.currency, (f = new Intl.NumberFormat('en-GB', { style: 'currency', currency: p.currency })));
  return f.format(p.amount / 100);
};

const HEADLINE: Record<MessageKind, (b: PublicBooking) => { subject: string; lead: string }> = {
  confirmation: (b) => ({ subject: `Booking confirmed: ${b.service.name} at ${b.location.name}`, lead: 'Your booking is confirmed.' }),
  reschedule: (b) => ({ subject: `Booking moved: ${b.service.name} at ${b.location.name}`, lead: 'Your booking has been moved. Here are the new details.' }),
  cancellation: (b) => ({ subject: `Booking cancelled: ${b.service.name} at ${b.location.name}`, lead: 'Your booking has been cancelled.' }),
  reminder: (b) => ({ subject: `Reminder: ${b.service.name} at ${b.location.name}`, lead: 'A reminder of your booking.' }),
};

/**
 * A service message about a booking (confirmation, reschedule, cancellation, reminder): plain text and HTML
 * saying the same, with the shop's name, address and phone, the time in the shop's zone (labelled), the
 * booking's calendar file, and the manage link (or, for a cancellation, the booking page to book again).
 * Service messages need no marketing consent (UK PECR reg. 22 covers marketing only).
 */
export function composeMessage(kind: MessageKind, b: PublicBooking, links: { manageUrl?: string; bookUrl?: string; sequence: number }): ComposedMessage {
  const { subject, lead } = HEADLINE[kind](b);
  const address = [b.location.address.line1, b.location.address.line2, b.location.address.city, b.location.address.postcode].filter(Boolean) as string[];
  const hello = b.client.first_name ? `Hello ${b.client.first_name},` : 'Hello,';
  const details: [string, string][] = [
    ['What', `${b.service.name} (${b.service.duration_minutes} minutes), ${money(b.price)}`],
    ['With', b.staff.display_name],
    ['When', whenText(b)],
    ['Where', `${b.location.name}, ${address.join(', ')}`],
    ['Reference', b.reference],
  ];
  const action = kind === 'cancellation'
    ? (links.bookUrl ? { text: 'Book again', url: links.bookUrl } : undefined)
    : links.manageUrl ? { text: 'Change or cancel your booking', url: links.manageUrl } : undefined;
  const callUs = b.location.phone ? `Questions? Call ${b.location.name} on ${b.location.phone}.` : '';
  const window = kind !== 'cancellation' ? `Online changes are possible until ${b.location.cancellation_window_hours} hours before the start.` : '';

  const text = [
    hello, '', lead, '',
    ...details.map(([k, v]) => `${k}: ${v}`), '',
    ...(action ? [`${action.text}: ${action.url}`, window, ''] : []),
    callUs, '', `${b.shop.name}`, ...address, b.location.phone ?? '',
  ].filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n').trim() + '\n';

  const rows = details.map(([k, v]) => `<tr><th scope="row" style="text-align:left;padding:4px 12px 4px 0">${escapeHtml(k)}</th><td style="padding:4px 0">${escapeHtml(v)}</td></tr>`).join('');
  const html = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,sans-serif;color:#1a1a1a;line-height:1.5;max-width:560px;margin:0 auto;padding:16px">
<p>${escapeHtml(hello)}</p><p><strong>${escapeHtml(lead)}</strong></p>
<table role="presentation" style="border-collapse:collapse">${rows}</table>
${action ? `<p><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#1f4e79;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(action.text)}</a></p>${window ? `<p style="color:#555">${escapeHtml(window)}</p>` : ''}` : ''}
${callUs ? `<p>${escapeHtml(callUs)}</p>` : ''}
<p style="color:#555">${escapeHtml(b.shop.name)}<br>${address.map(escapeHtml).join('<br>')}${b.location.phone ? `<br>${escapeHtml(b.location.phone)}` : ''}</p>
</body></html>`;
  return { subject, text, html, ics: bookingCalendar(b, { sequence: links.sequence, manageUrl: kind === 'cancellation' ? undefined : links.manageUrl }) };
}
