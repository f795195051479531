import { useState } from 'react';
import type { HubError } from './api';
import { weeklyHoursProblems, type HoursProblem } from '../../src/lib/weekly-hours.js';
import { WEEKDAYS, type WeeklyHours, type Weekday } from './time';
import { ConfirmDialog, errorFor } from './ui';

const LABEL: Record<Weekday, string> = { monday: 'Monday', tuesday: 'Tuesday', wednesday: 'Wednesday', thursday: 'Thursday', friday: 'Friday', saturday: 'Saturday', sunday: 'Sunday' };
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Every mistake in a week of hours at once, keyed by the field's name in the request (`opening_hours.monday.1.opens`). */
export function hoursProblems(name: string, hours: WeeklyHours): Map<string, string> {
  return new Map(weeklyHoursProblems(hours).map((p: HoursProblem) => [`${name}.${p.path.join('.')}`, capital(p.message)]));
}

/**
 * A week of hours, several ranges a day (the gaps are breaks). `name` is the field's name in the request
 * (e.g. `opening_hours`), so an error such as `opening_hours.monday.1.opens`, from the server or from the
 * check before saving (`problems`, every day at once), shows beside that time.
 */
export function HoursEditor({ id, legend, name, value, onChange, error, problems }: {
  id?: string; legend: string; name: string; value: WeeklyHours; onChange: (v: WeeklyHours) => void; error?: HubError | null; problems?: Map<string, string>;
}) {
  const [askCopy, setAskCopy] = useState(false);
  const [copied, setCopied] = useState('');
  const set = (day: Weekday, ranges: { opens: string; closes: string }[]) => { setCopied(''); onChange({ ...value, [day]: ranges }); };
  const monday = value.monday ?? [];
  const copyToWeekdays = () => {
    setAskCopy(false);
    onChange({ ...value, tuesday: [...monday], wednesday: [...monday], thursday: [...monday], friday: [...monday] });
    setCopied(monday.length ? "Monday's hours copied to Tuesday–Friday." : 'Tuesday–Friday are now closed, like Monday.');
  };
  const problem = (field: string) => problems?.get(field) ?? errorFor(error, field);
  return (
    <fieldset className="hours" id={id} tabIndex={id ? -1 : undefined}>
      <legend>{legend}</legend>
      {WEEKDAYS.map((day) => {
        const ranges = value[day] ?? [];
        return (
          <div className="hours-day" key={day} role="group" aria-label={LABEL[day]}>
            <span className="hours-label">{LABEL[day]}</span>
            <div className="hours-ranges">
              {ranges.length === 0 && <span className="muted">Closed</span>}
              {ranges.map((r, i) => {
                const opensErr = problem(`${name}.${day}.${i}.opens`);
                const closesErr = problem(`${name}.${day}.${i}.closes`);
                const errId = `${name}-${day}-${i}-error`;
                return (
                  <div className="hours-range" key={i}>
                    <input type="time" aria-label={`${LABEL[day]} from`} value={r.opens} aria-invalid={opensErr ? true : undefined} aria-describedby={opensErr ? errId : undefined}
                      onChange={(e) => set(day, ranges.map((x, j) => (j === i ? { ...x, opens: e.target.value } : x)))} />
                    <span aria-hidden="true">–</span>
                    <input type="time" aria-label={`${LABEL[day]} until`} value={r.closes} aria-invalid={closesErr ? true : undefined} aria-describedby={closesErr ? errId : undefined}
                      onChange={(e) => set(day, ranges.map((x, j) => (j === i ? { ...x, closes: e.target.value } : x)))} />
                    <button type="button" className="icon-button" aria-label={`Remove ${LABEL[day]} ${r.opens}–${r.closes}`} onClick={() => set(day, ranges.filter((_, j) => j !== i))}>×</button>
                    {(opensErr || closesErr) && <span className="field-error" id={errId}>{opensErr ? `From: ${opensErr}` : `Until: ${closesErr}`}</span>}
                  </div>
                );
              })}
              <button type="button" className="link-button small" onClick={() => set(day, [...ranges, ranges.length ? { opens: '13:00', closes: '17:00' } : { opens: '09:00', closes: '17:00' }])}>
                + {ranges.length ? 'Add hours' : 'Open'}<span className="sr-only"> on {LABEL[day]}</span>
              </button>
            </div>
          </div>
        );
      })}
      {/* Copying a closed Monday closes four days: said first, and only done when confirmed. */}
      <button type="button" className="secondary small" onClick={() => (monday.length ? copyToWeekdays() : setAskCopy(true))}>Copy Monday to Tuesday–Friday</button>
      <span className="sr-only" role="status">{copied}</span>
      {askCopy && (
        <ConfirmDialog title="Close Tuesday to Friday?" confirmLabel="Close Tuesday–Friday" cancelLabel="Keep their hours" danger
          onConfirm={copyToWeekdays} onCancel={() => setAskCopy(false)}>
          <p>Monday has no hours, so copying it closes Tuesday, Wednesday, Thursday and Friday too.</p>
        </ConfirmDialog>
      )}
    </fieldset>
  );
}

export const summariseHours = (h: WeeklyHours) =>
  WEEKDAYS.filter((d) => (h[d] ?? []).length).map((d) => `${LABEL[d].slice(0, 3)} ${(h[d] ?? []).map((r) => `${r.opens}–${r.closes}`).join(', ')}`).join(' · ') || 'No hours set';

/** Focuses the first time that has a problem (after a refused save). */
export function focusFirstProblem(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('.hours [aria-invalid="true"]')?.focus());
}
