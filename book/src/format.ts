import type { Address, Money } from './api';

/** Times are shown in the shop's zone, and labelled so: a client abroad sees the shop's clock. */
export const zoneLabel = (zone: string) => (zone === 'Europe/London' ? 'UK time' : `${zone.replace(/_/g, ' ')} time`);

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(zone: string, kind: 'time' | 'day' | 'date' | 'ymd'): Intl.DateTimeFormat {
  const key = `${zone}|${kind}`;
  let f = cache.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = kind === 'time' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : kind === 'day' ? { weekday: 'short', day: 'numeric', month: 'short' }
      : kind === 'date' ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
      : { year: 'numeric', month: '2-digit', day: '2-digit' };
    f = new Intl.DateTimeFormat(kind === 'ymd' ? 'en-CA' : 'en-GB', { timeZone: zone, ...opts });
    cache.set(key, f);
  }
  return f;
}

export const timeOf = (iso: string, zone: string) => fmt(zone, 'time').format(Date.parse(iso));
export const dayOf = (iso: string, zone: string) => fmt(zone, 'ymd').format(Date.parse(iso));
export const longDate = (iso: string, zone: string) => fmt(zone, 'date').format(Date.parse(iso));
/** A local date (YYYY-MM-DD) as a short label; noon UTC is that date in any zone. */
export const dayLabel = (date: string, zone: string) => fmt(zone, 'day').format(Date.parse(`${date}T12:00:00Z`));
export const todayIn = (zone: string) => fmt(zone, 'ymd').format(Date.now());
export const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export const money = (m: Money) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: m.currency }).format(m.amount / 100);
export const minutes = (n: number) => (n < 60 ? `${n} min` : `${Math.floor(n / 60)} h${n % 60 ? ` ${n % 60} min` : ''}`);
export const addressLine = (a: Address) => [a.line1, a.line2, a.city, a.postcode].filter(Boolean).join(', ');
export const when = (startsAt: string, endsAt: string, zone: string) =>
  `${longDate(startsAt, zone)}, ${timeOf(startsAt, zone)}–${timeOf(endsAt, zone)} (${zoneLabel(zone)})`;
