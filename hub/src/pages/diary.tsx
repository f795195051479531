import { useCallback, useEffect, useState } from 'react';
import { get, qs } from '../api';
import { navigate, useLocation } from '../router';
import { addDays, formatLongDate, formatTime } from '../time';
import type { Availability, Booking, DiaryDay, List, Location, Slot } from '../types';
import { FormError, Loading, Notice, PageTitle, useAsync } from '../ui';
import { useSession, canManage } from '../session';
import { Link } from '../router';
import { DiaryGrid } from './diary-grid';
import { BookingPanel } from './booking-panel';
import { NewBooking, type NewBookingPreset } from './new-booking';

/** The diary: a location's day, a column per staff member. State lives in the URL (?location=&date=). */
export function DiaryPage() {
  const { session } = useSession();
  const { query } = useLocation();
  const locations = useAsync(() => get<List<Location>>('/locations'), []);
  const slug = query.get('location') ?? locations.data?.data[0]?.slug;
  const date = query.get('date') ?? undefined;
  const day = useAsync(() => (slug ? get<DiaryDay>(`/diary${qs({ location: slug, date })}`) : Promise.resolve(null)), [slug, date]);
  const [slotService, setSlotService] = useState('');
  const [slots, setSlots] = useState<Slot[]>([]);
  const [openRef, setOpenRef] = useState<string | null>(null);
  const [newBooking, setNewBooking] = useState<NewBookingPreset | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const d = day.data;

  const reloadDay = day.reload;
  const refresh = useCallback(() => { reloadDay(); }, [reloadDay]);
  // Bookings also arrive through the API: refresh when the page comes back into view, and every minute.
  useEffect(() => {
    const onVisible = () => { if (document.visibilityState === 'visible') refresh(); };
    document.addEventListener('visibilitychange', onVisible);
    const t = setInterval(refresh, 60_000);
    return () => { document.removeEventListener('visibilitychange', onVisible); clearInterval(t); };
  }, [refresh]);

  const serviceValid = !!d && d.services.some((s) => s.id === slotService);
  useEffect(() => {
    if (!d || !serviceValid) { setSlots([]); return; }
    let live = true;
    get<Availability>(`/availability${qs({ location: d.location.slug, service: slotService, date: d.date })}`).then((a) => { if (live) setSlots(a.slots); }, () => { if (live) setSlots([]); });
    return () => { live = false; };
  }, [d, slotService, serviceValid]);

  const go = (params: { location?: string; date?: string }) =>
    navigate(`/diary${qs({ location: params.location ?? slug, date: params.date ?? d?.date })}`);

  if (locations.loading && !locations.data) return <main><Loading /></main>;
  if (locations.data && locations.data.data.length === 0) {
    return (
      <main>
        <PageTitle>Diary</PageTitle>
        <Notice>No locations yet. {canManage(session) ? <Link to="/settings/locations">Add your first location in Settings</Link> : 'An owner or admin needs to set up the shop first.'}</Notice>
      </main>
    );
  }
  const booked = (b: Booking) => {
    setNewBooking(null);
    setFlash(`Booked ${b.client.name ?? ''} at ${formatTime(b.starts_at, d!.location.time_zone)} with ${b.staff.display_name} (ref ${b.reference}).`);
    refresh();
  };
  return (
    <main className="wide">
      <div className="diary-toolbar">
        <PageTitle>Diary</PageTitle>
        {locations.data && locations.data.data.length > 1 && (
          <label>Location{' '}
            <select value={slug} onChange={(e) => go({ location: e.target.value })}>
              {locations.data.data.map((l) => <option key={l.id} value={l.slug}>{l.name}</option>)}
            </select>
          </label>
        )}
        {d && (
          <div className="date-nav" role="group" aria-label="Day">
            <button type="button" className="secondary" onClick={() => go({ date: addDays(d.date, -1) })}>‹ <span className="sr-only">Previous day</span></button>
            <button type="button" className="secondary" onClick={() => go({ date: '' })}>Today</button>
            <button type="button" className="secondary" onClick={() => go({ date: addDays(d.date, 1) })}><span className="sr-only">Next day</span> ›</button>
            <label className="sr-only" htmlFor="diary-date">Date</label>
            <input id="diary-date" type="date" value={d.date} onChange={(e) => e.target.value && go({ date: e.target.value })} />
          </div>
        )}
        {d && d.services.length > 0 && (
          <label>Free slots for{' '}
            <select value={slotService} onChange={(e) => setSlotService(e.target.value)}>
              <option value="">(hide)</option>
              {d.services.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
          </label>
        )}
        <button type="button" className="secondary" onClick={refresh}>Refresh</button>
      </div>
      {d && <h2 className="diary-date">{d.location.name} · {formatLongDate(d.date)}{d.closed ? ` · closed${d.closed.reason ? `: ${d.closed.reason}` : ''}` : ''}</h2>}
      {flash && <Notice kind="success">{flash} <button type="button" className="link-button" onClick={() => setFlash(null)}>Dismiss</button></Notice>}
      <FormError error={day.error} />
      {!d ? <Loading what="Loading the day" /> : (
        <>
          <DiaryGrid day={d} slots={slots} serviceName={d.services.find((s) => s.id === slotService)?.name}
            onOpenBooking={(b) => setOpenRef(b.reference)}
            onSlot={(s) => setNewBooking({ staffId: s.staff_id, serviceId: slotService, startsAt: s.starts_at })}
            onNew={(staffId) => setNewBooking({ staffId, serviceId: slotService || undefined })} />
          <Cancelled day={d} onOpen={setOpenRef} />
        </>
      )}
      {d && openRef && <BookingPanel reference={openRef} day={d} onClose={() => setOpenRef(null)} onChanged={refresh} />}
      {d && newBooking && <NewBooking day={d} preset={newBooking} onClose={() => setNewBooking(null)} onBooked={booked} onConflict={refresh} />}
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
