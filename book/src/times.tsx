import { useEffect, useState } from 'preact/hooks';
import { call, toError, type Availability, type PageError, type Slot } from './api';
import { addDays, dayLabel, dayOf, timeOf, todayIn, zoneLabel } from './format';
import { Alert, Loading } from './ui';

const WEEK = 7;

/**
 * Free times, a week at a time: the days with free times as buttons, then that day's times. Shown in the
 * shop's zone and labelled so. `path` is the availability endpoint (with its query); several staff free at
 * the same time show one button ("anyone").
 */
export function TimePicker({ path, zone, onPick, notice, refreshKey = 0, tokenHeader, initialDay }: { path: string; zone: string; onPick: (slot: Slot) => void; notice?: PageError | null; refreshKey?: number; tokenHeader?: string; initialDay?: string }) {
  // Back on this step (e.g. the time was taken meanwhile): the week and day chosen before.
  const [from, setFrom] = useState(() => (initialDay && initialDay >= addDays(todayIn(zone), WEEK) ? initialDay : todayIn(zone)));
  const [data, setData] = useState<Availability | null>(null);
  const [error, setError] = useState<PageError | null>(null);
  const [day, setDay] = useState<string | null>(initialDay ?? null);

  useEffect(() => {
    let live = true;
    setData(null);
    setError(null);
    const sep = path.includes('?') ? '&' : '?';
    // This week needs no dates: the server's default is today and six days on, in the shop's zone (and the
    // page may have asked for exactly that already, while it loaded).
    const url = from === todayIn(zone) ? path : `${path}${sep}from=${from}&to=${addDays(from, WEEK - 1)}`;
    call<Availability>(url, { token: tokenHeader }).then((a) => {
      if (!live) return;
      setData(a);
      const days = [...new Set(a.slots.map((s) => dayOf(s.starts_at, zone)))];
      setDay((d) => (d && days.includes(d) ? d : days[0] ?? null));
    }, (e) => live && setError(toError(e)));
    return () => { live = false; };
  }, [path, from, zone, refreshKey, tokenHeader]);

  const today = todayIn(zone);
  const byDay = new Map<string, Slot[]>();
  for (const s of data?.slots ?? []) {
    const d = dayOf(s.starts_at, zone);
    const list = byDay.get(d) ?? [];
    if (!list.some((x) => x.starts_at === s.starts_at)) list.push(s);
    byDay.set(d, list);
  }
  const times = day ? byDay.get(day) ?? [] : [];
  return (
    <div class="times">
      <p class="zone-note">Times are in {zoneLabel(zone)} ({zone}).</p>
      <Alert error={notice} />
      <div class="week-nav">
        <button type="button" class="secondary" disabled={from <= today} onClick={() => setFrom(from <= addDays(today, WEEK) ? today : addDays(from, -WEEK))}>‹ Earlier</button>
        <span>{dayLabel(from, zone)} – {dayLabel(addDays(from, WEEK - 1), zone)}</span>
        <button type="button" class="secondary" onClick={() => setFrom(addDays(from, WEEK))}>Later ›</button>
      </div>
      {error ? <Alert error={error} /> : !data ? <Loading what="Finding free times" /> : byDay.size === 0 ? (
        <p class="empty">No free times this week. Try later dates.</p>
      ) : (
        <>
          <div class="days" role="group" aria-label="Days with free times">
            {[...byDay.keys()].map((d) => (
              <button type="button" key={d} class={d === day ? 'day selected' : 'day'} aria-pressed={d === day} onClick={() => setDay(d)}>{dayLabel(d, zone)}</button>
            ))}
          </div>
          <div class="slots" role="group" aria-label={`Free times on ${day ? dayLabel(day, zone) : ''}`}>
            {times.map((s) => <button type="button" key={s.starts_at} class="slot" onClick={() => onPick(s)}>{timeOf(s.starts_at, zone)}</button>)}
          </div>
        </>
      )}
    </div>
  );
}
