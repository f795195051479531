import { useEffect, useState } from 'preact/hooks';
import { call, downloadCalendar, toError, type Booking, type PageError, type Slot } from './api';
import { timeOf, when, longDate, zoneLabel } from './format';
import { BookingSummary } from './flow';
import { TimePicker } from './times';
import { Alert, Loading, StepHeading } from './ui';

type Mode = 'view' | 'move' | 'confirm-move' | 'confirm-cancel';

/**
 * Manage my booking, opened by the private link (`#manage=<token>`; the token goes to the server in a header,
 * never in a URL): see it, move it to another free time, or cancel it, until the shop's cancellation window;
 * after that, the page says to call the shop and shows its phone number.
 */
export function Manage({ token }: { token: string }) {
  const [booking, setBooking] = useState<Booking | null>(null);
  const [error, setError] = useState<PageError | null>(null);
  const [mode, setMode] = useState<Mode>('view');
  const [slot, setSlot] = useState<Slot | null>(null);
  const [notice, setNotice] = useState<PageError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    call<{ booking: Booking }>('/manage', { token }).then((r) => {
      setBooking(r.booking);
      document.title = `Your booking · ${r.booking.shop.name}`;
    }, (e) => setError(toError(e)));
  }, [token]);

  if (!booking) {
    return error ? <section><StepHeading>We can't open this booking</StepHeading><Alert error={error} /></section> : <Loading what="Opening your booking" />;
  }
  const b = booking;
  const zone = b.location.time_zone;
  const act = async (path: string, body: unknown, message: string) => {
    setBusy(true);
    setError(null);
    try {
      const r = await call<{ booking: Booking }>(path, { method: 'POST', token, body });
      setBooking(r.booking);
      setDone(message);
      setMode('view');
    } catch (e) {
      const err = toError(e);
      if (err.body.code === 'slot_unavailable') {
        setNotice(err);
        setRefresh((n) => n + 1);
        setMode('move');
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };
  const phone = b.location.phone ? <a href={`tel:${b.location.phone}`}>{b.location.phone}</a> : null;

  return (
    <section>
      {mode === 'view' && <StepHeading>Your booking at {b.shop.name}</StepHeading>}
      {done && mode === 'view' && <p class="success" role="status">{done}</p>}
      <BookingSummary booking={b} status />
      <Alert error={error} />

      {mode === 'view' && b.status === 'confirmed' && (b.can_change ? (
        <>
          <p class="muted">You can change or cancel online until {longDate(b.changes_until, zone)}, {timeOf(b.changes_until, zone)} ({zoneLabel(zone)}).</p>
          <div class="actions">
            <button type="button" onClick={() => { setDone(null); setNotice(null); setMode('move'); }}>Change time</button>
            <button type="button" class="danger" onClick={() => { setDone(null); setMode('confirm-cancel'); }}>Cancel booking</button>
            <button type="button" class="secondary" onClick={() => downloadCalendar(token, b.reference).catch((e) => setError(toError(e)))}>Add to calendar (.ics)</button>
          </div>
        </>
      ) : (
        <p class="alert" role="note">Online changes closed {b.location.cancellation_window_hours} hours before your booking. To change or cancel it, please call {b.location.name}{phone ? <> on {phone}</> : ''}.</p>
      ))}
      {mode === 'view' && b.status === 'cancelled' && <p><a class="button" href={`/book/${b.shop.slug}/${b.location.slug}`}>Book again</a></p>}

      {mode === 'move' && (
        <>
          <StepHeading>Choose a new time</StepHeading>
          <TimePicker path="/manage/availability" zone={zone} notice={notice} refreshKey={refresh}
            tokenHeader={token} onPick={(s) => { setSlot(s); setMode('confirm-move'); }} />
          <button type="button" class="secondary" onClick={() => setMode('view')}>Keep my booking as it is</button>
        </>
      )}
      {mode === 'confirm-move' && slot && (
        <>
          <StepHeading>Move your booking?</StepHeading>
          <p>New time: <strong>{when(slot.starts_at, slot.ends_at, zone)}</strong></p>
          <div class="actions">
            <button type="button" class="primary" disabled={busy} onClick={() => act('/manage/reschedule', { starts_at: slot.starts_at, ...(slot.staff_id !== b.staff.id ? { staff: slot.staff_id } : {}) }, 'Your booking has been moved.')}>Move booking</button>
            <button type="button" class="secondary" onClick={() => setMode('move')}>Choose another time</button>
          </div>
        </>
      )}
      {mode === 'confirm-cancel' && (
        <>
          <StepHeading>Cancel this booking?</StepHeading>
          <p>The time is freed for someone else straight away.</p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={() => act('/manage/cancel', {}, 'Your booking has been cancelled.')}>Yes, cancel it</button>
            <button type="button" class="secondary" onClick={() => setMode('view')}>No, keep it</button>
          </div>
        </>
      )}
    </section>
  );
}
