import { useEffect, useMemo, useState } from 'preact/hooks';
import { call, downloadCalendar, PageError, toError, type Booked, type Booking, type Location, type Service, type Shop, type Slot, type Staff } from './api';
import { addressLine, dayOf, minutes, money, timeOf, when, longDate, zoneLabel } from './format';
import { TimePicker } from './times';
import { Alert, Field, StepHeading } from './ui';

export interface Offer { shop: Shop; location: Location; services: Service[]; staff: Staff[] }
type Step = 'service' | 'staff' | 'time' | 'details' | 'confirm' | 'done';
interface Choice { step: Step; service?: string; staff?: string; slot?: Slot; day?: string }
interface Details { first_name: string; last_name: string; email: string; phone: string; notes: string; email_marketing: boolean; sms_marketing: boolean; website: string }

const STEPS: Step[] = ['service', 'staff', 'time', 'details', 'confirm'];
const LABELS: Record<Step, string> = { service: 'Service', staff: 'Who', time: 'Time', details: 'Your details', confirm: 'Confirm', done: 'Booked' };
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

/** The choice from the address (deep links such as `?service=svc_…&staff=any` open at the right step). */
function fromUrl(offer: Offer): Choice {
  const q = new URLSearchParams(location.search);
  const service = offer.services.find((s) => s.id === q.get('service'))?.id;
  const staffParam = q.get('staff');
  const staff = staffParam === 'any' || offer.staff.some((s) => s.id === staffParam) ? staffParam! : undefined;
  if (!service) return { step: 'service' };
  return { step: staff ? 'time' : 'staff', service, staff };
}

/**
 * The booking flow at one location: service → staff or anyone → day and time → details → confirm → booked.
 * Each step is a history entry (the back button goes one step back) and the choices live in the address.
 */
export function BookingFlow({ offer }: { offer: Offer }) {
  const [choice, setChoice] = useState<Choice>(() => (history.state as Choice | null)?.step ? history.state as Choice : fromUrl(offer));
  const [details, setDetails] = useState<Details>({ first_name: '', last_name: '', email: '', phone: '', notes: '', email_marketing: false, sms_marketing: false, website: '' });
  const [error, setError] = useState<PageError | null>(null);
  const [notice, setNotice] = useState<PageError | null>(null);
  const [busy, setBusy] = useState(false);
  const [booked, setBooked] = useState<Booked | null>(null);
  const [key, setKey] = useState(newKey);
  const [refresh, setRefresh] = useState(0);
  const zone = offer.location.time_zone;

  useEffect(() => {
    const pop = () => setChoice((history.state as Choice | null)?.step ? history.state as Choice : fromUrl(offer));
    addEventListener('popstate', pop);
    return () => removeEventListener('popstate', pop);
  }, [offer]);

  const go = (next: Choice) => {
    const q = new URLSearchParams();
    if (next.service) q.set('service', next.service);
    if (next.staff) q.set('staff', next.staff);
    history.pushState(next, '', `${location.pathname}${q.size ? `?${q}` : ''}`);
    setError(null);
    if (next.step !== 'time') setNotice(null);
    if (next.step === 'confirm') setKey(newKey()); // a new submission; a double click re-sends this same key
    setChoice(next);
  };

  const service = offer.services.find((s) => s.id === choice.service);
  const staffChoices = useMemo(() => offer.staff.filter((s) => service && s.service_ids.includes(service.id)), [offer, service]);
  const staffName = (id?: string) => offer.staff.find((s) => s.id === id)?.display_name;

  const submit = async () => {
    if (busy || !service || !choice.slot) return;
    setBusy(true);
    setError(null);
    try {
      const result = await call<Booked>(`/shops/${offer.shop.slug}/locations/${offer.location.slug}/bookings`, {
        method: 'POST', key,
        body: {
          service: service.id, ...(choice.staff && choice.staff !== 'any' ? { staff: choice.staff } : {}), starts_at: choice.slot.starts_at,
          first_name: details.first_name, last_name: details.last_name,
          ...(details.email.trim() ? { email: details.email } : {}), ...(details.phone.trim() ? { phone: details.phone } : {}),
          ...(details.notes.trim() ? { notes: details.notes } : {}),
          marketing: { email: details.email_marketing, sms: details.sms_marketing },
          ...(details.website ? { website: details.website } : {}),
        },
      });
      setBooked(result);
      history.replaceState({ step: 'done' }, '', location.pathname);
      setChoice({ step: 'done' });
    } catch (e) {
      const err = toError(e);
      if (err.body.code === 'slot_unavailable') {
        // Taken meanwhile: say why, and show fresh times.
        setNotice(new PageError(409, { ...err.body, message: `Sorry, that time has just been taken or is no longer available (${err.body.reason?.replace(/_/g, ' ') ?? 'unavailable'}). Please choose another time.` }));
        setRefresh((n) => n + 1);
        history.replaceState({ ...choice, step: 'time', slot: undefined }, '', location.href);
        setChoice({ ...choice, step: 'time', slot: undefined });
      } else if (err.body.param && ['first_name', 'last_name', 'email', 'phone', 'notes'].includes(err.body.param)) {
        setError(err);
        history.replaceState({ ...choice, step: 'details' }, '', location.href);
        setChoice({ ...choice, step: 'details' });
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (choice.step === 'done' && booked) return <Done booked={booked} />;
  const current = STEPS.indexOf(choice.step);
  return (
    <>
      <ol class="progress" aria-label="Booking steps">
        {STEPS.map((s, i) => <li key={s} class={i === current ? 'current' : i < current ? 'done' : ''} aria-current={i === current ? 'step' : undefined}>{LABELS[s]}</li>)}
      </ol>
      {choice.step !== 'service' && <button type="button" class="back link" onClick={() => history.back()}>‹ Back</button>}

      {choice.step === 'service' && (
        <section>
          <StepHeading>Choose a service</StepHeading>
          {offer.services.length === 0 ? <p>There is nothing to book online here at the moment. Please call the shop.</p> : (
            <ul class="choices">
              {offer.services.map((s) => (
                <li key={s.id}>
                  <button type="button" class="choice" onClick={() => go({ step: 'staff', service: s.id })}>
                    <span class="choice-name">{s.name}</span>
                    <span class="choice-meta">{minutes(s.duration_minutes)} · {money(s.price)}</span>
                    {s.description && <span class="choice-desc">{s.description}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {choice.step === 'staff' && service && (
        <section>
          <StepHeading>Who would you like?</StepHeading>
          <ul class="choices">
            <li><button type="button" class="choice" onClick={() => go({ ...choice, step: 'time', staff: 'any' })}><span class="choice-name">Anyone available</span><span class="choice-meta">The most free times</span></button></li>
            {staffChoices.map((s) => (
              <li key={s.id}><button type="button" class="choice" onClick={() => go({ ...choice, step: 'time', staff: s.id })}>
                <span class="choice-name">{s.display_name}</span>{s.title && <span class="choice-meta">{s.title}</span>}
              </button></li>
            ))}
          </ul>
        </section>
      )}

      {choice.step === 'time' && service && (
        <section>
          <StepHeading>Choose a day and time</StepHeading>
          <p class="muted">{service.name} with {choice.staff === 'any' ? 'anyone available' : staffName(choice.staff)}</p>
          <TimePicker
            path={`/shops/${encodeURIComponent(offer.shop.slug)}/locations/${encodeURIComponent(offer.location.slug)}/availability?service=${service.id}${choice.staff && choice.staff !== 'any' ? `&staff=${choice.staff}` : ''}`}
            zone={zone} notice={notice} refreshKey={refresh} initialDay={choice.day}
            onPick={(slot) => go({ ...choice, step: 'details', slot, day: dayOf(slot.starts_at, zone) })}
          />
        </section>
      )}

      {choice.step === 'details' && service && choice.slot && (
        <section>
          <StepHeading>Your details</StepHeading>
          <p class="muted">{service.name}, {when(choice.slot.starts_at, choice.slot.ends_at, zone)}</p>
          <form noValidate onSubmit={(e) => { e.preventDefault(); go({ ...choice, step: 'confirm' }); }}>
            <Alert error={error && !['first_name', 'last_name', 'email', 'phone', 'notes'].includes(error.body.param ?? '') ? error : null} />
            <div class="grid-2">
              <Field id="first_name" label="First name" required autocomplete="given-name" error={error} value={details.first_name} onInput={(v) => setDetails({ ...details, first_name: v })} />
              <Field id="last_name" label="Last name" required autocomplete="family-name" error={error} value={details.last_name} onInput={(v) => setDetails({ ...details, last_name: v })} />
              <Field id="email" label="Email" type="email" autocomplete="email" required={offer.location.contact_required === 'email'} error={error}
                hint={offer.location.contact_required === 'either' ? 'An email address or a phone number, so the shop can reach you.' : 'Your confirmation is sent here.'}
                value={details.email} onInput={(v) => setDetails({ ...details, email: v })} />
              <Field id="phone" label="Phone" type="tel" autocomplete="tel" required={offer.location.contact_required === 'phone'} error={error}
                value={details.phone} onInput={(v) => setDetails({ ...details, phone: v })} />
            </div>
            <Field id="notes" label="Anything the shop should know?" multiline error={error} value={details.notes} onInput={(v) => setDetails({ ...details, notes: v })} />
            <fieldset>
              <legend>News and offers from {offer.shop.name}</legend>
              <p class="hint">Optional. Your booking messages are sent either way.</p>
              <label class="check"><input type="checkbox" checked={details.email_marketing} onChange={(e) => setDetails({ ...details, email_marketing: (e.currentTarget as HTMLInputElement).checked })} /> Send me news and offers by email</label>
              <label class="check"><input type="checkbox" checked={details.sms_marketing} onChange={(e) => setDetails({ ...details, sms_marketing: (e.currentTarget as HTMLInputElement).checked })} /> Send me news and offers by text message</label>
            </fieldset>
            <div class="hp" aria-hidden="true">
              <label for="website">Leave this empty</label>
              <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" value={details.website} onInput={(e) => setDetails({ ...details, website: (e.currentTarget as HTMLInputElement).value })} />
            </div>
            <button type="submit">Continue</button>
          </form>
        </section>
      )}

      {choice.step === 'confirm' && service && choice.slot && (
        <section>
          <StepHeading>Check and confirm</StepHeading>
          <dl class="summary">
            <dt>Service</dt><dd>{service.name} ({minutes(service.duration_minutes)}), {money(service.price)}</dd>
            <dt>With</dt><dd>{choice.staff === 'any' ? 'Anyone available' : staffName(choice.staff)}</dd>
            <dt>When</dt><dd>{when(choice.slot.starts_at, choice.slot.ends_at, zone)}</dd>
            <dt>Where</dt><dd>{offer.location.name}, {addressLine(offer.location.address)}</dd>
            <dt>Name</dt><dd>{details.first_name} {details.last_name}</dd>
            {details.email && <><dt>Email</dt><dd>{details.email}</dd></>}
            {details.phone && <><dt>Phone</dt><dd>{details.phone}</dd></>}
          </dl>
          <Alert error={error} />
          <button type="button" class="primary" disabled={busy} aria-busy={busy} onClick={submit}>{busy ? 'Booking…' : 'Confirm booking'}</button>
        </section>
      )}
    </>
  );
}

/** A booking's details as the client sees them (reference and status first when asked). */
export function BookingSummary({ booking: b, status = false }: { booking: Booking; status?: boolean }) {
  const zone = b.location.time_zone;
  return (
    <dl class="summary">
      {status && <>
        <dt>Reference</dt><dd class="reference">{b.reference}</dd>
        <dt>Status</dt><dd>{b.status === 'confirmed' ? 'Confirmed' : b.status === 'cancelled' ? 'Cancelled' : b.status === 'completed' ? 'Completed' : 'Missed'}</dd>
      </>}
      <dt>Service</dt><dd>{b.service.name} ({minutes(b.service.duration_minutes)}), {money(b.price)}</dd>
      <dt>With</dt><dd>{b.staff.display_name}</dd>
      <dt>When</dt><dd>{when(b.starts_at, b.ends_at, zone)}</dd>
      <dt>Where</dt><dd>{b.location.name}, {addressLine(b.location.address)}</dd>
    </dl>
  );
}

/** The confirmation page: reference, details, the calendar file, and the private manage link. */
export function Done({ booked }: { booked: Booked }) {
  const b = booked.booking;
  const zone = b.location.time_zone;
  const [error, setError] = useState<PageError | null>(null);
  return (
    <section>
      <StepHeading>You're booked</StepHeading>
      <p class="success" role="status">Booking confirmed. Reference <strong class="reference">{b.reference}</strong>.</p>
      <BookingSummary booking={b} />
      <Alert error={error} />
      <div class="actions">
        <button type="button" class="secondary" onClick={() => downloadCalendar(booked.manage_token, b.reference).catch((e) => setError(toError(e)))}>Add to calendar (.ics)</button>
        <a class="button" href={booked.manage_url}>Manage my booking</a>
      </div>
      <p class="muted">Keep this link private: it lets you change or cancel this booking until {longDate(b.changes_until, zone)}, {timeOf(b.changes_until, zone)} ({zoneLabel(zone)}). It is also in your confirmation email.</p>
      <p class="manage-url"><label for="manage-link">Your private link</label><input id="manage-link" readOnly value={booked.manage_url} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} /></p>
    </section>
  );
}
