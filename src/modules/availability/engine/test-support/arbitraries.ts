/**
 * fast-check generators for whole engine inputs: windows around DST changes,
 * night-time hours (where changes happen), overlapping rules, bookings.
 * Everything is minute-aligned except `now`, so the minute-walk oracle is exact.
 */
import fc from 'fast-check';
import type { DateRange, EngineInput, Interval, StaffInput, Weekday, WeeklyRange } from '../types.js';
import { TEST_ZONES, changeDates, shiftDate } from './zones.js';

const MIN = 60_000;

const minuteOfDay = fc.oneof(
  fc.integer({ min: 0, max: 96 }).map((q) => q * 15), // quarter hours, incl. 24:00
  fc.integer({ min: 0, max: 16 }).map((q) => q * 15), // the night, where clocks change
  fc.integer({ min: 0, max: 1440 }),
);

const rangeLength = fc.oneof(fc.integer({ min: 1, max: 120 }), { weight: 3, arbitrary: fc.integer({ min: 120, max: 720 }) });
const localRange = fc
  .tuple(minuteOfDay, rangeLength)
  .map(([start, length]) => ({ start: Math.min(start, 1439), end: Math.min(1440, Math.min(start, 1439) + length) }));

const weekday = fc.integer({ min: 1, max: 7 }).map((d) => d as Weekday);

const weeklyRanges = (maxLength: number): fc.Arbitrary<WeeklyRange[]> =>
  fc.oneof(
    fc.array(fc.tuple(weekday, localRange).map(([w, r]) => ({ weekday: w, ...r })), { maxLength }),
    // The same hours (gaps between them are breaks) every day, so a window
    // on any weekday has work.
    {
      weight: 3,
      arbitrary: fc.array(localRange, { minLength: 1, maxLength: 3 }).map((rs) =>
        rs.flatMap((r) => [1, 2, 3, 4, 5, 6, 7].map((w) => ({ weekday: w as Weekday, ...r }))),
      ),
    },
  );

/**
 * Windows: one to two days around a 2026 clock change (shifted so the change
 * day is first, last or in the middle), or around a month end. Few distinct
 * windows on purpose: the oracle asks Luxon about every minute, and memoises.
 */
const window = fc.constantFrom(...TEST_ZONES).chain((timeZone) => {
  const changes = changeDates(timeZone).filter((d) => d.startsWith('2026-'));
  const ordinary = fc.constantFrom('2026-06-30', '2026-12-31');
  const anchor = changes.length === 0
    ? ordinary
    : fc.oneof(
        { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -1, max: 0 })).map(([d, n]) => shiftDate(d, n)) },
        { weight: 1, arbitrary: fc.constant('2026-06-30') },
      );
  return fc.record({ timeZone: fc.constant(timeZone), from: anchor, days: fc.integer({ min: 1, max: 2 }) });
});

const dateRanges = (dates: string[], maxLength: number): fc.Arbitrary<DateRange[]> =>
  fc.array(fc.tuple(fc.constantFrom(...dates), localRange).map(([date, r]) => ({ date, ...r })), { maxLength });

function staffFor(id: string, dates: string[], windowStart: number, windowMinutes: number): fc.Arbitrary<StaffInput> {
  const busy: fc.Arbitrary<Interval[]> = fc.array(
    fc.tuple(fc.integer({ min: 0, max: windowMinutes }), fc.integer({ min: 1, max: 240 })).map(([s, l]) => ({
      start: windowStart + s * MIN,
      end: windowStart + (s + l) * MIN,
    })),
    { maxLength: 6 },
  );
  return fc.record({
    id: fc.constant(id),
    weeklyHours: weeklyRanges(6),
    timeOff: dateRanges(dates, 2),
    extraHours: dateRanges(dates, 2),
    busy,
  });
}

export const engineInputs: fc.Arbitrary<EngineInput> = window.chain(({ timeZone, from, days }) => {
  const dates = Array.from({ length: days }, (_, k) => shiftDate(from, k));
  const to = dates[dates.length - 1]!;
  // Bookings may sit anywhere the window's instants can be, and a bit beyond.
  const windowStart = Date.parse(`${from}T00:00:00Z`) - 15 * 3_600_000;
  const windowMinutes = days * 1440 + 27 * 60;
  const ids = fc.shuffledSubarray(['stf_b', 'stf_a', 'stf_c'], { minLength: 1 });
  return fc.record({
    // Mostly before the window (everything bookable), sometimes inside it.
    now: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: -2 * 1440 * MIN, max: -1440 * MIN }) },
      { weight: 2, arbitrary: fc.integer({ min: -1440 * MIN, max: days * 1440 * MIN }) },
    ).map((d) => Date.parse(`${from}T00:00:00Z`) + d),
    timeZone: fc.constant(timeZone),
    from: fc.constant(from),
    to: fc.constant(to),
    openingHours: fc.oneof(
      { weight: 3, arbitrary: fc.constant([1, 2, 3, 4, 5, 6, 7].map((w) => ({ weekday: w as Weekday, start: 0, end: 1440 }))) },
      { weight: 1, arbitrary: weeklyRanges(8) },
    ),
    closures: fc.oneof(
      { weight: 8, arbitrary: fc.constant<{ from: string; to: string }[]>([]) },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.constantFrom(...dates), fc.integer({ min: 0, max: 1 })).map(([d, n]) => [{ from: d, to: shiftDate(d, n) }]),
      },
    ),
    minNoticeMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 600 })),
    horizonDays: fc.oneof({ weight: 3, arbitrary: fc.constant(365) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) }),
    service: fc.record({
      durationMinutes: fc.oneof(fc.constantFrom(15, 30, 45, 60, 90), fc.integer({ min: 1, max: 180 })),
      bufferMinutes: fc.oneof(fc.constantFrom(0, 5, 10, 15), fc.integer({ min: 0, max: 40 })),
      slotInterval: fc.constantFrom(5, 10, 15, 30, 60, null),
    }),
    staff: ids.chain((list) => fc.tuple(...list.map((id) => staffFor(id, dates, windowStart, windowMinutes)))),
  });
});
