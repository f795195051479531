import { useEffect, useMemo, useRef, useState } from 'react';
import { getAvailability, getDay, getWeek } from '../data/diary';
import { listLocations } from '../data/setup';
import { Link, navigate, useLocation } from '../router';
import { canManage, useSession } from '../session';
import { addDays, formatLongDate, formatShortDate, formatTime, todayIn } from '../time';
import type { Booking, DiaryDay, DiaryWeek } from '../types';
import { FormError, Loading, Notice, PageTitle, RadioChips, useAsync } from '../ui';
import { qs } from '../api';
import { BookingPanel } from './booking-panel';
import { dayColumns, weekColumns } from './columns';
import type { DiaryContext } from './context';
import { dayAxis, weekAxis } from './layout';
import { MoveConfirm, type MoveRequest } from './move-confirm';
import { NewBooking, type NewBookingPreset } from './new-booking';
import { TimeGrid } from './time-grid';

type View = { kind: 'day'; data: DiaryDay } | { kind: 'week'; data: DiaryWeek };

/**
 * The diary: a location's day (a column per staff member) or week (a column per day, for everyone or one
 * staff member). Its state lives in the URL: `?location=&date=&view=week&staff=`.
 */
export function DiaryPage() {
  const { session } = useSession();
  const { query } = useLocation();
  const locations = useAsync(listLocations, []);
  const slug = query.get('location') ?? locations.data?.data[0]?.slug;
  const date = query.get('date') ?? undefined;
  const kind = query.get('view') === 'week' ? 'week' : 'day';
  // Whose diary: `?staff=<id>`, or everyone's (`?staff=all`); by default a member linked to a staff record
  // sees their own ("My day"), everyone else the whole shop.
  const mine = session.staff?.id;
  const staffQuery = query.get('staff');
  const who = staffQuery === 'all' ? undefined : staffQuery ?? mine;
  const view = useAsync<View | null>(async () => {
    if (!slug) return null;
    return kind === 'week' ? { kind, data: await getWeek(slug, date, who) } : { kind, data: await getDay(slug, date) };
  }, [slug, date, kind, who]);
  const v = view.data;
  const [openRef, setOpenRef] = useState<string | null>(null);
  const [newBooking, setNewBooking] = useState<NewBookingPreset | null>(null);
  const [moveReq, setMoveReq] = useState<MoveRequest | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const focusAfter = useRef<string | null>(null);
  const flashRef = useRef<HTMLDivElement>(null);

  const refresh = view.reload;
  // Bookings also arrive through the API: refresh when the page comes back into view, and every minute.
  useEffect(() => {
    const onVisible = () => { if (document.visibilityState === 'visible') refresh(); };
    document.addEventListener('visibilitychange', onVisible);
    const t = setInterval(refresh, 60_000);
    return () => { document.removeEventListener('visibilitychange', onVisible); clearInterval(t); };
  }, [refresh]);

  // Free start times of one service, shown in the day view (the first service unless another is chosen).
  const [freeFor, setFreeFor] = useState('');
  const day = v?.kind === 'day' ? v.data : null;
  const freeService = day?.services.find((s) => s.id === freeFor)?.id ?? day?.services[0]?.id ?? '';
  const free = useAsync(async () => {
    const out = new Map<string, string[]>();
    if (!day || !freeService) return out;
    for (const s of (await getAvailability({ location: day.location.slug, service: freeService, date: day.date })).slots) out.set(s.staff_id, [...(out.get(s.staff_id) ?? []), s.starts_at]);
    return out;
  }, [day, freeService]);

  // After a booking is made or moved, focus goes to it in the grid (else to the message saying what happened).
  // The grid may draw it a few frames after the data arrives (a busy phone): look for it for up to about a second.
  useEffect(() => {
    const ref = focusAfter.current;
    if (!ref || !v || view.loading) return;
    focusAfter.current = null;
    let frames = 0;
    const look = () => {
      const block = document.querySelector<HTMLElement>(`.booking[data-reference="${ref}"]`);
      if (block) block.focus();
      else if (++frames < 60) requestAnimationFrame(look);
      else flashRef.current?.focus();
    };
    look();
  }, [v, view.loading]);

  const ctx = useMemo<DiaryContext | null>(() => (v ? { location: v.data.location, services: v.data.services, staff: v.data.staff } : null), [v]);
  if (locations.loading && !locations.data) return <main><Loading /></main>;
  if (locations.data && locations.data.data.length === 0) {
    return (
      <main>
        <PageTitle>Diary</PageTitle>
        <Notice>No locations yet. {canManage(session) ? <Link to="/settings/locations">Add your first location in Settings</Link> : 'An owner or admin needs to set up the shop first.'}</Notice>
      </main>
    );
  }

  const href = (p: { location?: string; date?: string; view?: string; staff?: string | null }) =>
    `/diary${qs({ location: p.location ?? slug, date: p.date ?? (v?.kind === 'day' ? v.data.date : date), view: (p.view ?? kind) === 'week' ? 'week' : undefined, staff: p.staff === null ? undefined : p.staff ?? staffQuery ?? undefined })}`;
  const go = (p: Parameters<typeof href>[0]) => navigate(href(p));
  const zone = v?.data.location.time_zone ?? 'Europe/London';
  const shownDate = v ? (v.kind === 'day' ? v.data.date : v.data.from) : date ?? '';
  const step = kind === 'week' ? 7 : 1;

  const say = (message: string, ref?: string) => { setFlash(message); focusAfter.current = ref ?? null; refresh(); };
  const booked = (b: Booking) => { setNewBooking(null); say(`Booked ${b.client.name ?? ''} at ${formatTime(b.starts_at, zone)} with ${b.staff.display_name} (ref ${b.reference}).`, b.reference); };
  const act = { onNew: (d: string, staffId?: string) => setNewBooking({ date: d, staffId, serviceId: freeService || undefined }), dayHref: (d: string) => href({ date: d, view: 'day' }) };
  const everyone = !v ? [] : v.kind === 'day' ? dayColumns(v.data, free.data ?? new Map(), act) : weekColumns(v.data, who, act);
  // One person's day: their column, or everyone's with a word when they have none here that day.
  const theirs = v?.kind === 'day' && who ? everyone.filter((c) => c.staffId === who) : everyone;
  const columns = theirs.length ? theirs : everyone;
  const absent = v?.kind === 'day' && who && !theirs.length ? session.staff?.id === who ? 'You are' : `${v.data.staff.find((s) => s.id === who)?.display_name ?? 'They'} is` : null;
  const axis = !v ? null : v.kind === 'day' ? dayAxis(v.data, zone) : weekAxis(v.data.days, zone);
  const person = who && theirs.length ? v?.data.staff.find((s) => s.id === who) : undefined;
  const pick = (value: string) => go({ staff: value === 'all' && !mine ? null : value });

  return (
    <main className="wide diary-page">
      <div className="diary-toolbar">
        <PageTitle>Diary</PageTitle>
        <nav className="view-switch" aria-label="View">
          <Link to={href({ view: 'day' })} aria-current={kind === 'day' ? 'page' : undefined}>Day</Link>
          <Link to={href({ view: 'week' })} aria-current={kind === 'week' ? 'page' : undefined}>Week</Link>
        </nav>
        {locations.data && locations.data.data.length > 1 && (
          <label className="inline-label">Location{' '}
            <select value={slug} onChange={(e) => go({ location: e.target.value, staff: null })}>
              {locations.data.data.map((l) => <option key={l.id} value={l.slug}>{l.name}</option>)}
            </select>
          </label>
        )}
        {v && v.data.staff.length > 1 && (
          <label className="inline-label"><span className="narrow-hidden">{kind === 'week' ? 'Whose week' : 'Whose day'}</span>{' '}
            <select value={who ?? 'all'} onChange={(e) => pick(e.target.value)}>
              <option value="all">Everyone</option>
              {v.data.staff.map((s) => <option key={s.id} value={s.id}>{s.display_name}{s.id === mine ? ' (you)' : ''}</option>)}
            </select>
          </label>
        )}
        {v && (
          <div className="date-nav" role="group" aria-label={kind === 'week' ? 'Week' : 'Day'}>
            <button type="button" className="secondary" onClick={() => go({ date: addDays(shownDate, -step) })}>‹ <span className="sr-only">{kind === 'week' ? 'Previous week' : 'Previous day'}</span></button>
            <button type="button" className="secondary" onClick={() => go({ date: todayIn(zone) })}>Today</button>
            <button type="button" className="secondary" onClick={() => go({ date: addDays(shownDate, step) })}><span className="sr-only">{kind === 'week' ? 'Next week' : 'Next day'}</span> ›</button>
            <label className="sr-only" htmlFor="diary-date">Date</label>
            <input id="diary-date" type="date" value={kind === 'day' ? shownDate : date ?? shownDate} onChange={(e) => e.target.value && go({ date: e.target.value })} />
          </div>
        )}
        <button type="button" className="secondary refresh" onClick={refresh}>Refresh</button>
      </div>
      {v && (
        <h2 className="diary-date">
          {v.kind === 'day'
            ? `${person ? `${person.id === mine ? 'My day' : person.display_name} · ` : ''}${v.data.location.name} · ${formatLongDate(v.data.date)}${v.data.closed ? ` · closed${v.data.closed.reason ? `: ${v.data.closed.reason}` : ''}` : ''}`
            : `${person ? `${person.display_name} · ` : ''}${v.data.location.name} · week of ${formatShortDate(v.data.from)}`}
        </h2>
      )}
      {day && day.services.length > 0 && (
        <div className="free-for">
          <span className="free-for-label" aria-hidden="true">Free times for</span>
          <RadioChips label="Free times for" value={freeService} onChange={setFreeFor} className="chips-compact"
            options={day.services.map((s) => ({ value: s.id, label: s.name, title: `${s.duration_minutes} min` }))} />
        </div>
      )}
      {absent && <Notice>{absent} not working at {v?.data.location.name} that day: here is everyone's diary.</Notice>}
      {flash && <div className="alert alert-success" role="status" tabIndex={-1} ref={flashRef}>{flash} <button type="button" className="link-button" onClick={() => setFlash(null)}>Dismiss</button></div>}
      <FormError error={view.error} />
      {!v || !axis ? <Loading what="Loading the diary" /> : (
        <>
          <TimeGrid label={v.kind === 'day' ? `Diary for ${v.data.location.name}, ${formatLongDate(v.data.date)}` : `Week of ${formatLongDate(v.data.from)}`}
            zone={zone} axis={axis} columns={columns} withStaff={v.kind === 'week' && !who} today={todayIn(zone)}
            onOpen={(b) => setOpenRef(b.reference)}
            onEmpty={(col, at) => setNewBooking({ date: at.date, time: at.time, staffId: col.staffId ?? undefined, serviceId: freeService || undefined })}
            onMove={(b, to) => setMoveReq({ booking: b, to: { ...to, staffName: columns.find((c) => c.staffId === to.staffId)?.staffName ?? b.staff.display_name } })} />
          {v.kind === 'day' && <Cancelled day={v.data} onOpen={setOpenRef} />}
        </>
      )}
      {ctx && openRef && <BookingPanel reference={openRef} ctx={ctx} onClose={() => setOpenRef(null)} onChanged={(_b, message) => { if (message) setFlash(message); refresh(); }} />}
      {ctx && newBooking && <NewBooking ctx={ctx} preset={newBooking} onClose={() => setNewBooking(null)} onBooked={booked} onConflict={refresh} />}
      {moveReq && <MoveConfirm request={moveReq} zone={zone} onClose={() => setMoveReq(null)} onRefused={refresh}
        onMoved={(b, message) => { setMoveReq(null); say(message, b.reference); }} />}
    </main>
  );
}

function Cancelled({ day, onOpen }: { day: DiaryDay; onOpen: (ref: string) => void }) {
  const cancelled = day.bookings.filter((b) => b.status === 'cancelled');
  if (!cancelled.length) return null;
  return (
    <details className="cancelled">
      <summary>{cancelled.length} cancelled booking{cancelled.length > 1 ? 's' : ''} this day</summary>
      <ul className="plain">
        {cancelled.map((b) => (
          <li key={b.reference}><button type="button" className="link-button" onClick={() => onOpen(b.reference)}>
            {formatTime(b.starts_at, day.location.time_zone)} {b.client.name ?? 'Erased client'} · {b.service.name} · {b.staff.display_name}{b.cancellation_reason ? ` · ${b.cancellation_reason}` : ''}
          </button></li>
        ))}
      </ul>
    </details>
  );
}
