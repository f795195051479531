/**
 * Availability rules one at a time. Europe/London in January is UTC+0, so
 * local times read the same as the literal instants. 2026-01-13 is a Tuesday.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeSlots } from './compute-slots.js';
import type { EngineInput, StaffInput } from './types.js';
import { at, deepFreeze, engineInput, hm, staffMember, startsOf, weekly } from './test-support/fixtures.js';

const TUE = '2026-01-13';
const day = (overrides: Partial<EngineInput>) => engineInput({ from: TUE, to: TUE, ...overrides });
const one = (staff: Partial<StaffInput>) => [staffMember('stf_a', staff)];
const hours = (...times: string[]) => times.map((t) => at(`${TUE}T${t}:00Z`)).map((t) => new Date(t).toISOString());

test('breaks are the gaps between weekly ranges', () => {
  const slots = computeSlots(day({ staff: one({ weeklyHours: [...weekly('09:00', '12:00'), ...weekly('13:00', '17:00')] }) }));
  assert.deepEqual(startsOf(slots, 'stf_a'), hours('09:00', '10:00', '11:00', '13:00', '14:00', '15:00', '16:00'));
});

test('time off removes part of a day, or all of it', () => {
  const part = computeSlots(day({ staff: one({ timeOff: [{ date: TUE, start: hm('10:00'), end: hm('14:00') }] }) }));
  assert.deepEqual(startsOf(part, 'stf_a'), hours('09:00', '14:00', '15:00', '16:00'));
  const whole = computeSlots(day({ staff: one({ timeOff: [{ date: TUE, start: 0, end: 1440 }] }) }));
  assert.deepEqual(whole, []);
});

test('extra hours add time, even on a day with no weekly hours, but not beyond opening hours', () => {
  const extra = [{ date: TUE, start: hm('18:00'), end: hm('20:00') }];
  const added = computeSlots(day({ staff: one({ weeklyHours: weekly('09:00', '11:00'), extraHours: extra }) }));
  assert.deepEqual(startsOf(added, 'stf_a'), hours('09:00', '10:00', '18:00', '19:00'));
  const onlyExtra = computeSlots(day({ staff: one({ weeklyHours: [], extraHours: extra }) }));
  assert.deepEqual(startsOf(onlyExtra, 'stf_a'), hours('18:00', '19:00'));
  const clipped = computeSlots(day({ openingHours: weekly('09:00', '19:00'), staff: one({ weeklyHours: [], extraHours: extra }) }));
  assert.deepEqual(startsOf(clipped, 'stf_a'), hours('18:00'));
});

test('time off wins over extra hours on the same date', () => {
  const slots = computeSlots(day({
    staff: one({
      weeklyHours: [],
      extraHours: [{ date: TUE, start: hm('09:00'), end: hm('12:00') }],
      timeOff: [{ date: TUE, start: hm('10:00'), end: hm('11:00') }],
    }),
  }));
  assert.deepEqual(startsOf(slots, 'stf_a'), hours('09:00', '11:00'));
});

test('staff hours are clipped to the location opening hours; weekdays are ISO', () => {
  const slots = computeSlots(day({ openingHours: weekly('10:00', '16:00') }));
  assert.deepEqual(startsOf(slots, 'stf_a'), hours('10:00', '11:00', '12:00', '13:00', '14:00', '15:00'));
  const week = computeSlots(engineInput({
    from: '2026-01-12', to: '2026-01-18',
    staff: one({ weeklyHours: [{ weekday: 1, start: hm('09:00'), end: hm('10:00') }, { weekday: 7, start: hm('09:00'), end: hm('10:00') }] }),
  }));
  assert.deepEqual(startsOf(week, 'stf_a'), ['2026-01-12T09:00:00.000Z', '2026-01-18T09:00:00.000Z'], 'Monday = 1, Sunday = 7');
});

test('closure dates have no slots; the dates around them do', () => {
  const slots = computeSlots(engineInput({
    from: '2026-01-12', to: '2026-01-14',
    closures: [{ from: TUE, to: TUE }],
    staff: one({ weeklyHours: weekly('09:00', '10:00') }),
  }));
  assert.deepEqual(startsOf(slots, 'stf_a'), ['2026-01-12T09:00:00.000Z', '2026-01-14T09:00:00.000Z']);
});

test('the clean-up rule: the buffer may run into a break or past closing, never into a booking', () => {
  const service = (bufferMinutes: number) => ({ durationMinutes: 50, bufferMinutes, slotInterval: 15 as const });
  const fits = computeSlots(day({ service: service(10), staff: one({ weeklyHours: weekly('09:00', '12:00') }) }));
  assert.equal(startsOf(fits, 'stf_a').at(-1), hours('11:00')[0], '11:00 + 50 = 11:50; 11:15 + 50 would overrun 12:00');
  const longer = computeSlots(day({ service: service(15), staff: one({ weeklyHours: weekly('09:00', '12:00') }) }));
  assert.equal(startsOf(longer, 'stf_a').at(-1), hours('11:00')[0], 'the 15-minute clean-up runs past closing: the slot is kept');
  assert.equal(fits[0]!.end - fits[0]!.start, 50 * 60_000, 'slot end excludes the buffer');
  const last = computeSlots(day({ service: { durationMinutes: 60, bufferMinutes: 0, slotInterval: 30 } }));
  assert.equal(startsOf(last, 'stf_a').at(-1), hours('16:00')[0], '16:00-17:00 is the last; 16:30 would overrun');
  // A barber with lunch at 13:00 keeps the 12:30 slot of a 30-minute cut with a 5-minute clean-up.
  const lunch = computeSlots(day({
    service: { durationMinutes: 30, bufferMinutes: 5, slotInterval: 30 },
    staff: one({ weeklyHours: [...weekly('09:00', '13:00'), ...weekly('14:00', '17:00')] }),
  }));
  assert.ok(startsOf(lunch, 'stf_a').includes(hours('12:30')[0]!), 'the last slot before lunch is not lost to clean-up');
  // But the clean-up may not run into a booking right after lunch starts... nor into one at 13:00 sharp.
  const booked = computeSlots(day({
    service: { durationMinutes: 30, bufferMinutes: 5, slotInterval: 30 },
    staff: one({ weeklyHours: [...weekly('09:00', '13:00'), ...weekly('13:00', '17:00')], busy: [{ start: at(`${TUE}T13:00:00Z`), end: at(`${TUE}T13:30:00Z`) }] }),
  }));
  assert.ok(!startsOf(booked, 'stf_a').includes(hours('12:30')[0]!), '12:30 + 30 + 5 would run into the 13:00 booking');
});

test('minimum notice: a start exactly at now + notice is allowed, earlier ones are not', () => {
  const exact = computeSlots(day({ now: at(`${TUE}T09:00:00Z`), minNoticeMinutes: 60 }));
  assert.equal(startsOf(exact, 'stf_a')[0], hours('10:00')[0]);
  const between = computeSlots(day({
    now: at(`${TUE}T09:10:00Z`), minNoticeMinutes: 60,
    service: { durationMinutes: 30, bufferMinutes: 0, slotInterval: 30 },
  }));
  assert.equal(startsOf(between, 'stf_a')[0], hours('10:30')[0]);
});

test('horizon: a start exactly at now + horizonDays × 24 h is allowed, later ones are not', () => {
  const slots = computeSlots(engineInput({
    now: at('2026-01-12T10:00:00Z'), horizonDays: 1,
    from: '2026-01-12', to: '2026-01-14',
    service: { durationMinutes: 30, bufferMinutes: 0, slotInterval: 30 },
  }));
  assert.equal(startsOf(slots, 'stf_a').at(-1), '2026-01-13T10:00:00.000Z');
  assert.equal(startsOf(slots, 'stf_a')[0], '2026-01-12T10:00:00.000Z');
});

test('busy intervals (bookings with their buffer) block any slot whose duration + buffer meets them', () => {
  const busy = [{ start: at(`${TUE}T11:00:00Z`), end: at(`${TUE}T12:10:00Z`) }];
  const slots = computeSlots(day({
    service: { durationMinutes: 60, bufferMinutes: 15, slotInterval: 15 },
    staff: one({ weeklyHours: weekly('09:00', '14:00'), busy }),
  }));
  // 09:45 + 75 min ends exactly at 11:00 (allowed); 10:00 would overlap; 12:10 is off-grid, so 12:15;
  // 13:00 + 60 ends at 14:00 and its clean-up runs past the end of work (allowed).
  assert.deepEqual(startsOf(slots, 'stf_a'), hours('09:00', '09:15', '09:30', '09:45', '12:15', '12:30', '12:45', '13:00'));
});

test('back-to-back: each free stretch starts a chain stepping by duration + buffer', () => {
  const busy = [{ start: at(`${TUE}T10:05:00Z`), end: at(`${TUE}T10:20:00Z`) }];
  const slots = computeSlots(day({
    service: { durationMinutes: 30, bufferMinutes: 5, slotInterval: null },
    staff: one({ weeklyHours: weekly('09:00', '12:00'), busy }),
  }));
  // 09:35 + 35 min would run into the booking at 10:05; 11:30 + 30 ends at 12:00 (its clean-up runs past it).
  assert.deepEqual(startsOf(slots, 'stf_a'), hours('09:00', '10:20', '10:55', '11:30'));
});

test('several staff: ordered by start, then staff id, whatever the input order', () => {
  const slots = computeSlots(day({
    staff: [
      staffMember('stf_b', { weeklyHours: weekly('09:00', '11:00') }),
      staffMember('stf_a', { weeklyHours: weekly('10:00', '12:00') }),
      staffMember('stf_c', { weeklyHours: weekly('09:00', '10:00') }),
    ],
  }));
  assert.deepEqual(startsOf(slots), [
    '2026-01-13T09:00:00.000Z stf_b', '2026-01-13T09:00:00.000Z stf_c',
    '2026-01-13T10:00:00.000Z stf_a', '2026-01-13T10:00:00.000Z stf_b',
    '2026-01-13T11:00:00.000Z stf_a',
  ]);
});

test('inputs are never mutated (frozen input, unsorted busy and rules)', () => {
  const raw: EngineInput = {
    ...day({}),
    staff: [staffMember('stf_b', {
      weeklyHours: [...weekly('13:00', '17:00'), ...weekly('09:00', '12:00')],
      timeOff: [{ date: TUE, start: hm('15:00'), end: hm('16:00') }, { date: TUE, start: hm('14:00'), end: hm('14:30') }],
      busy: [{ start: at(`${TUE}T11:00:00Z`), end: at(`${TUE}T11:30:00Z`) }, { start: at(`${TUE}T09:00:00Z`), end: at(`${TUE}T09:30:00Z`) }],
    })],
  };
  const snapshot = structuredClone(raw);
  const input = deepFreeze(raw);
  assert.deepEqual(startsOf(computeSlots(input), 'stf_b'), hours('10:00', '13:00', '16:00'));
  assert.deepEqual(input, snapshot);
});

test('an empty window (from after to) has no slots; an unknown zone or a bad date is a RangeError', () => {
  assert.deepEqual(computeSlots(engineInput({ from: '2026-01-14', to: '2026-01-13' })), []);
  assert.throws(() => computeSlots(engineInput({ timeZone: 'Europe/Londn' })), RangeError);
  assert.throws(() => computeSlots(engineInput({ from: '2026-01-32' })), RangeError);
  assert.throws(() => computeSlots(engineInput({ service: { durationMinutes: 0, bufferMinutes: 0, slotInterval: 15 } })), RangeError);
});
