import { useEffect, useState } from 'react';
import { formatTime, ms } from '../time';
import type { Booking, DiaryDay, Slot } from '../types';

const PX_PER_MIN = 1.6;
const MIN = 60_000;

interface Props {
  day: DiaryDay;
  slots: Slot[];
  serviceName?: string;
  onOpenBooking: (b: Booking) => void;
  onSlot: (s: Slot) => void;
  onNew: (staffId: string) => void;
}

/** The visible part of the day: from the hour before anything happens to the hour after (default 08–18). */
function viewRange(day: DiaryDay): [number, number] {
  const dayStart = ms(day.day_starts_at);
  const points: number[] = [];
  for (const i of day.opening_hours) points.push(ms(i.starts_at), ms(i.ends_at));
  for (const s of day.staff) for (const i of [...s.working, ...s.time_off]) points.push(ms(i.starts_at), ms(i.ends_at));
  for (const b of day.bookings) if (b.status !== 'cancelled') points.push(ms(b.starts_at), ms(b.ends_at) + b.buffer_minutes * MIN);
  const hour = 60 * MIN;
  if (!points.length) return [dayStart + 8 * hour, dayStart + 18 * hour];
  const lo = Math.max(dayStart, dayStart + Math.floor((Math.min(...points) - dayStart) / hour) * hour);
  const hi = Math.min(ms(day.day_ends_at), dayStart + Math.ceil((Math.max(...points) - dayStart) / hour) * hour);
  return [lo, Math.max(hi, lo + hour)];
}

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** A column per staff member, bookings as blocks sized by duration with their clean-up time shown after. */
export function DiaryGrid({ day, slots, serviceName, onOpenBooking, onSlot, onNew }: Props) {
  const zone = day.location.time_zone;
  const [start, end] = viewRange(day);
  const now = useNow();
  const y = (t: number) => ((t - start) / MIN) * PX_PER_MIN;
  const height = y(end);
  const hours: number[] = [];
  for (let t = start; t <= end; t += 60 * MIN) hours.push(t);
  const live = day.bookings.filter((b) => b.status !== 'cancelled');
  const showNow = now >= start && now <= end;

  return (
    <div className="diary-scroll">
      <div className="diary" style={{ gridTemplateColumns: `3.5rem repeat(${Math.max(day.staff.length, 1)}, minmax(9.5rem, 1fr))` }} role="group" aria-label={`Diary for ${day.location.name}`}>
        <div className="diary-corner" />
        {day.staff.map((s) => (
          <div className="diary-head" key={s.id}>
            <span className="staff-name">{s.display_name}</span>
            {s.bookable && <button type="button" className="small secondary" onClick={() => onNew(s.id)}>New booking<span className="sr-only"> with {s.display_name}</span></button>}
          </div>
        ))}
        {day.staff.length === 0 && <div className="diary-head muted">No staff work here yet</div>}

        <div className="diary-times" style={{ height }} aria-hidden="true">
          {hours.map((t) => <span key={t} style={{ top: y(t) }}>{formatTime(t, zone)}</span>)}
        </div>
        {day.staff.map((s) => {
          const mine = live.filter((b) => b.staff.id === s.id);
          const free = slots.filter((x) => x.staff_id === s.id);
          return (
            <section className="diary-col" key={s.id} style={{ height }} aria-label={`${s.display_name}: ${mine.length} booking${mine.length === 1 ? '' : 's'}`}>
              {hours.map((t) => <div key={t} className="hour-line" style={{ top: y(t) }} />)}
              {s.working.map((w) => <div key={w.starts_at} className="work" style={{ top: y(ms(w.starts_at)), height: y(ms(w.ends_at)) - y(ms(w.starts_at)) }} />)}
              {s.time_off.map((o) => (
                <div key={o.starts_at} className="off" style={{ top: y(Math.max(ms(o.starts_at), start)), height: y(Math.min(ms(o.ends_at), end)) - y(Math.max(ms(o.starts_at), start)) }}>
                  <span>Off{o.reason ? `: ${o.reason}` : ''}</span>
                </div>
              ))}
              {free.map((slot, i) => {
                const next = free[i + 1];
                const h = Math.min(y(ms(slot.ends_at)), next ? y(ms(next.starts_at)) : Infinity) - y(ms(slot.starts_at));
                const t = formatTime(slot.starts_at, zone);
                return (
                  <button type="button" key={slot.starts_at} className="slot" style={{ top: y(ms(slot.starts_at)), height: Math.max(h - 2, 14) }}
                    aria-label={`Book ${serviceName ?? ''} with ${s.display_name} at ${t}`} onClick={() => onSlot(slot)}>
                    + {t}
                  </button>
                );
              })}
              {mine.map((b) => {
                const top = y(ms(b.starts_at));
                const bodyH = y(ms(b.ends_at)) - top;
                const bufferH = b.buffer_minutes * PX_PER_MIN;
                const label = `${formatTime(b.starts_at, zone)}–${formatTime(b.ends_at, zone)} ${b.client.name ?? 'Erased client'}, ${b.service.name}${b.status !== 'confirmed' ? ` (${b.status.replace('_', '-')})` : ''}`;
                return (
                  <button type="button" key={b.reference} className={`booking status-${b.status}`} style={{ top, height: bodyH + bufferH }}
                    aria-label={label} data-reference={b.reference} onClick={() => onOpenBooking(b)}>
                    <span className="booking-body" style={{ height: bodyH }}>
                      <strong>{formatTime(b.starts_at, zone)} {b.client.name ?? 'Erased client'}</strong>
                      <span>{b.service.name}{b.source === 'api' ? ' · online' : ''}</span>
                    </span>
                    {bufferH > 0 && <span className="booking-buffer" style={{ height: bufferH }} title={`${b.buffer_minutes} min clean-up`} />}
                  </button>
                );
              })}
            </section>
          );
        })}
        {showNow && <div className="now-line" style={{ top: `calc(var(--diary-head) + ${y(now)}px)` }} aria-label={`Now, ${formatTime(now, zone)}`} role="img" />}
      </div>
    </div>
  );
}
