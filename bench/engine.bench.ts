/**
 * Availability engine benchmark: one London location (Mon–Sat 09:00–19:00),
 * 10 staff with varied hours and breaks, a 31-day window that includes the
 * March clock change, 15-min grid, 45-min service + 10-min buffer, and 2,000
 * existing bookings. Data come from a seeded PRNG so runs are comparable.
 *
 * Run alone: node --import tsx bench/engine.bench.ts  (prints JSON)
 */
import { computeSlots, type EngineInput, type Interval, type StaffInput, type Weekday } from '../src/modules/availability/engine/index.js';
import { prng } from '../src/lib/prng.js';

const WARM_UP_CALLS = 50;
const TIMED_CALLS = 200;


const h = (hours: number) => Math.round(hours * 60);

export function buildBenchInput(): EngineInput {
  const random = prng(20260316);
  const from = '2026-03-16';
  const days = 31;
  const dayStart = Date.parse(`${from}T00:00:00Z`);
  const staff: StaffInput[] = [];
  for (let i = 0; i < 10; i++) {
    const start = [9, 9.5, 10, 11][i % 4]!;
    const end = [17, 18, 19, 18.5][i % 4]!;
    const lunch = 12 + (i % 3) * 0.5;
    const dayOff = ((i % 6) + 1) as Weekday; // one weekday off each, Sunday closed anyway
    const weeklyHours = ([1, 2, 3, 4, 5, 6] as Weekday[])
      .filter((d) => d !== dayOff)
      .flatMap((weekday) => [
        { weekday, start: h(start), end: h(lunch) },
        { weekday, start: h(lunch + 0.75), end: h(end) },
      ]);
    staff.push({
      id: `stf_${String(i).padStart(2, '0')}`,
      weeklyHours,
      timeOff: i === 3 ? [{ date: '2026-03-25', start: 0, end: 1440 }] : [],
      extraHours: i === 4 ? [{ date: '2026-03-22', start: h(10), end: h(14) }] : [],
      busy: [],
    });
  }
  // 2,000 bookings of 45 min + 10 min buffer on the local quarter hours
  // between 09:00 and 18:00, in random order; some overlap, as legacy data may.
  for (let n = 0; n < 2000; n++) {
    const member = staff[Math.floor(random() * staff.length)]!;
    const day = Math.floor(random() * days);
    const quarter = Math.floor(random() * 36);
    // Approximate UTC (BST from 29 Mar): the engine doesn't care where busy falls.
    const offsetHours = day >= 13 ? 1 : 0;
    const start = dayStart + day * 86_400_000 + (9 - offsetHours) * 3_600_000 + quarter * 15 * 60_000;
    const busy: Interval = { start, end: start + 55 * 60_000 };
    member.busy.push(busy);
  }
  return {
    now: Date.parse('2026-03-16T07:00:00Z'),
    timeZone: 'Europe/London',
    from,
    to: '2026-04-15',
    openingHours: ([1, 2, 3, 4, 5, 6] as Weekday[]).map((weekday) => ({ weekday, start: h(9), end: h(19) })),
    closures: [{ from: '2026-04-03', to: '2026-04-03' }],
    minNoticeMinutes: 60,
    horizonDays: 90,
    service: { durationMinutes: 45, bufferMinutes: 10, slotInterval: 15 },
    staff,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

export async function benchEngine(): Promise<{ name: string; medianMs: number; p99Ms: number; calls: number }> {
  const input = buildBenchInput();
  let sink = 0;
  for (let i = 0; i < WARM_UP_CALLS; i++) sink += computeSlots(input).length;
  const times: number[] = [];
  for (let i = 0; i < TIMED_CALLS; i++) {
    const t0 = performance.now();
    sink += computeSlots(input).length;
    times.push(performance.now() - t0);
  }
  if (sink === 0) throw new Error('benchmark produced no slots: the scenario is broken');
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    name: 'availability engine: 10 staff × 31 days, 2,000 bookings, 15-min grid',
    medianMs: round(percentile(times, 0.5)),
    p99Ms: round(percentile(times, 0.99)),
    calls: TIMED_CALLS,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchEngine(), null, 2));
}
