import type { HubError } from './api';
import { WEEKDAYS, type WeeklyHours, type Weekday } from './time';
import { errorFor } from './ui';

const LABEL: Record<Weekday, string> = { monday: 'Monday', tuesday: 'Tuesday', wednesday: 'Wednesday', thursday: 'Thursday', friday: 'Friday', saturday: 'Saturday', sunday: 'Sunday' };

/**
 * A week of hours, several ranges a day (the gaps are breaks). `name` is the field's name in the request
 * (e.g. `opening_hours`), so an error such as `opening_hours.monday.1.opens` shows beside that time.
 */
export function HoursEditor({ legend, name, value, onChange, error }: { legend: string; name: string; value: WeeklyHours; onChange: (v: WeeklyHours) => void; error?: HubError | null }) {
  const set = (day: Weekday, ranges: { opens: string; closes: string }[]) => onChange({ ...value, [day]: ranges });
  const copyToWeekdays = () => {
    const monday = value.monday ?? [];
    onChange({ ...value, tuesday: [...monday], wednesday: [...monday], thursday: [...monday], friday: [...monday] });
  };
  return (
    <fieldset className="hours">
      <legend>{legend}</legend>
      {WEEKDAYS.map((day) => {
        const ranges = value[day] ?? [];
        return (
          <div className="hours-day" key={day} role="group" aria-label={LABEL[day]}>
            <span className="hours-label">{LABEL[day]}</span>
            <div className="hours-ranges">
              {ranges.length === 0 && <span className="muted">Closed</span>}
              {ranges.map((r, i) => {
                const opensErr = errorFor(error, `${name}.${day}.${i}.opens`);
                const closesErr = errorFor(error, `${name}.${day}.${i}.closes`);
                return (
                  <div className="hours-range" key={i}>
                    <input type="time" aria-label={`${LABEL[day]} from`} value={r.opens} aria-invalid={opensErr ? true : undefined}
                      onChange={(e) => set(day, ranges.map((x, j) => (j === i ? { ...x, opens: e.target.value } : x)))} />
                    <span aria-hidden="true">–</span>
                    <input type="time" aria-label={`${LABEL[day]} until`} value={r.closes} aria-invalid={closesErr ? true : undefined}
                      onChange={(e) => set(day, ranges.map((x, j) => (j === i ? { ...x, closes: e.target.value } : x)))} />
                    <button type="button" className="icon-button" aria-label={`Remove ${LABEL[day]} ${r.opens}–${r.closes}`} onClick={() => set(day, ranges.filter((_, j) => j !== i))}>×</button>
                    {(opensErr || closesErr) && <span className="field-error" role="alert">{opensErr ? `From: ${opensErr}` : `Until: ${closesErr}`}</span>}
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
      <button type="button" className="secondary small" onClick={copyToWeekdays}>Copy Monday to Tuesday–Friday</button>
    </fieldset>
  );
}

export const summariseHours = (h: WeeklyHours) =>
  WEEKDAYS.filter((d) => (h[d] ?? []).length).map((d) => `${LABEL[d].slice(0, 3)} ${(h[d] ?? []).map((r) => `${r.opens}–${r.closes}`).join(', ')}`).join(' · ') || 'No hours set';
