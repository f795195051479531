/** Builders for engine tests. Test-only; not exported from the engine. */
import type { EngineInput, StaffInput, Weekday, WeeklyRange } from '../types.js';

/** Recursively freezes a value so any mutation by the engine throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Epoch ms of an ISO-8601 instant; keeps expected values literal and readable. */
export function at(instant: string): number {
  const t = Date.parse(instant);
  if (Number.isNaN(t)) throw new Error(`bad instant ${instant}`);
  return t;
}

export function iso(t: number): string {
  return new Date(t).toISOString();
}

/** 'HH:MM' → minutes from midnight. */
export function hm(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + m!;
}

/** The same local hours on each of the given weekdays (default: every day). */
export function weekly(
  start: string,
  end: string,
  weekdays: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7],
): WeeklyRange[] {
  return weekdays.map((weekday) => ({ weekday, start: hm(start), end: hm(end) }));
}

export function staffMember(id: string, overrides: Partial<StaffInput> = {}): StaffInput {
  return { id, weeklyHours: weekly('09:00', '17:00'), timeOff: [], extraHours: [], busy: [], ...overrides };
}

/**
 * A frozen input that is open all day every day, with no notice and a long
 * horizon, so each test only states the rule it is about.
 */
export function engineInput(overrides: Partial<EngineInput> = {}): EngineInput {
  return deepFreeze({
    now: at('2020-01-01T00:00:00Z'),
    timeZone: 'Europe/London',
    from: '2026-03-24',
    to: '2026-03-24',
    openingHours: weekly('00:00', '24:00'),
    closures: [],
    minNoticeMinutes: 0,
    horizonDays: 10_000,
    service: { durationMinutes: 60, bufferMinutes: 0, slotInterval: 60 },
    staff: [staffMember('stf_a')],
    ...overrides,
  });
}

/** Slot starts as ISO strings, for one staff member or all (then "iso staffId"). */
export function startsOf(slots: readonly { start: number; staffId: string }[], staffId?: string): string[] {
  return slots
    .filter((s) => staffId === undefined || s.staffId === staffId)
    .map((s) => (staffId === undefined ? `${iso(s.start)} ${s.staffId}` : iso(s.start)));
}
