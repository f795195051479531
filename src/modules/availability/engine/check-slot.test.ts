/**
 * checkSlot reasons and their priority. London in January is UTC+0.
 * 2026-01-13 is a Tuesday; staff work 09:00-17:00, 60-min service on a 30-min grid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSlot } from './check-slot.js';
import type { EngineInput } from './types.js';
import { at, engineInput, staffMember, weekly } from './test-support/fixtures.js';

const TUE = '2026-01-13';
const booking = { start: at(`${TUE}T12:00:00Z`), end: at(`${TUE}T13:10:00Z`) };
const input = (overrides: Partial<EngineInput> = {}) => engineInput({
  now: at(`${TUE}T08:00:00Z`),
  minNoticeMinutes: 60,
  horizonDays: 2,
  from: '2026-01-12',
  to: '2026-01-16',
  service: { durationMinutes: 60, bufferMinutes: 0, slotInterval: 30 },
  staff: [staffMember('stf_a', { busy: [booking] })],
  ...overrides,
});
const check = (time: string, overrides: Partial<EngineInput> = {}, staffId = 'stf_a') =>
  checkSlot(input(overrides), staffId, at(time));

test('an offered slot is accepted', () => {
  assert.equal(check(`${TUE}T09:00:00Z`), null);
  assert.equal(check(`${TUE}T13:30:00Z`), null, 'right after the booking (off-grid 13:10 → 13:30)');
  assert.equal(check(`${TUE}T16:00:00Z`), null, 'the last slot of the day');
});

test('reasons, one at a time', () => {
  assert.equal(check(`${TUE}T08:30:00Z`), 'too_soon');
  assert.equal(check('2026-01-15T09:00:00Z'), 'beyond_horizon');
  assert.equal(check(`${TUE}T09:10:00Z`), 'not_on_slot_grid');
  assert.equal(check(`${TUE}T16:30:00Z`), 'outside_working_hours', 'would overrun 17:00');
  assert.equal(check(`${TUE}T11:30:00Z`), 'overlaps_booking');
  assert.equal(check(`${TUE}T13:00:00Z`), 'overlaps_booking', 'the booking\'s buffer runs to 13:10');
});

test('priority: too_soon > beyond_horizon > not_on_slot_grid > outside_working_hours > overlaps_booking', () => {
  // Before now + notice AND off-grid AND outside hours.
  assert.equal(check(`${TUE}T08:10:00Z`), 'too_soon');
  // Zero horizon makes everything after now+notice too far: beyond wins over the grid.
  assert.equal(check(`${TUE}T09:10:00Z`, { horizonDays: 0 }), 'beyond_horizon');
  // Off-grid and outside hours: the grid is the more helpful answer.
  assert.equal(check(`${TUE}T18:10:00Z`), 'not_on_slot_grid');
  // Overruns the working day AND overlaps a booking: overlap is only said when hours are fine.
  const late = { start: at(`${TUE}T16:45:00Z`), end: at(`${TUE}T17:30:00Z`) };
  assert.equal(check(`${TUE}T16:30:00Z`, { staff: [staffMember('stf_a', { busy: [late] })] }), 'outside_working_hours');
});

test('outside working hours also covers unknown staff and dates outside the window; closures and time off say so', () => {
  assert.equal(check(`${TUE}T09:00:00Z`, {}, 'stf_nobody'), 'outside_working_hours');
  assert.equal(check(`${TUE}T09:00:00Z`, { from: '2026-01-14', to: '2026-01-14' }), 'outside_working_hours');
  assert.equal(check(`${TUE}T09:00:00Z`, { closures: [{ from: TUE, to: TUE }] }), 'location_closed');
  const off = [{ date: TUE, start: 0, end: 1440 }];
  assert.equal(check(`${TUE}T09:00:00Z`, { staff: [staffMember('stf_a', { timeOff: off })] }), 'staff_time_off');
  // Time off is only blamed when it is what removes the time: 18:00 is outside hours either way.
  assert.equal(check(`${TUE}T18:00:00Z`, { staff: [staffMember('stf_a', { timeOff: off })] }), 'outside_working_hours');
  const morningOff = [{ date: TUE, start: 9 * 60, end: 10 * 60 }];
  assert.equal(check(`${TUE}T09:30:00Z`, { staff: [staffMember('stf_a', { timeOff: morningOff })] }), 'staff_time_off', 'partly in the absence');
  assert.equal(check(`${TUE}T10:00:00Z`, { staff: [staffMember('stf_a', { timeOff: morningOff })] }), null, 'right after it');
  // A closure on a day the staff member is also away: the closure is the reason.
  assert.equal(check(`${TUE}T09:00:00Z`, { closures: [{ from: TUE, to: TUE }], staff: [staffMember('stf_a', { timeOff: off })] }), 'location_closed');
});

test('set aside (a Hub walk-in): each rule can be left unchecked, an overlap never', () => {
  const aside = (...rules: Parameters<typeof checkSlot>[3] extends ReadonlySet<infer R> | undefined ? R[] : never) => new Set(rules);
  const at9 = at(`${TUE}T09:00:00Z`);
  assert.equal(checkSlot(input(), 'stf_a', at(`${TUE}T08:10:00Z`), aside('too_soon')), 'not_on_slot_grid');
  assert.equal(checkSlot(input(), 'stf_a', at(`${TUE}T08:10:00Z`), aside('too_soon', 'not_on_slot_grid')), 'outside_working_hours');
  assert.equal(checkSlot(input(), 'stf_a', at(`${TUE}T08:10:00Z`), aside('too_soon', 'not_on_slot_grid', 'outside_working_hours')), null);
  assert.equal(checkSlot(input(), 'stf_a', at('2026-01-15T09:00:00Z'), aside('beyond_horizon')), null);
  assert.equal(checkSlot(input({ closures: [{ from: TUE, to: TUE }] }), 'stf_a', at9, aside('location_closed')), null);
  assert.equal(checkSlot(input({ staff: [staffMember('stf_a', { timeOff: [{ date: TUE, start: 0, end: 1440 }] })] }), 'stf_a', at9, aside('staff_time_off')), null);
  assert.equal(checkSlot(input(), 'stf_a', at(`${TUE}T11:30:00Z`), aside('too_soon', 'beyond_horizon', 'not_on_slot_grid', 'outside_working_hours', 'location_closed', 'staff_time_off')), 'overlaps_booking');
});

test('rescheduling: the caller drops the booking being moved from busy (exclude_booking)', () => {
  assert.equal(check(`${TUE}T12:00:00Z`), 'overlaps_booking');
  assert.equal(check(`${TUE}T12:00:00Z`, { staff: [staffMember('stf_a', { busy: [] })] }), null);
});

test('back-to-back services accept any start that fits, never not_on_slot_grid', () => {
  const b2b = { service: { durationMinutes: 25, bufferMinutes: 5, slotInterval: null } } as const;
  assert.equal(check(`${TUE}T09:07:00Z`, b2b), null, 'not a chain start, but it fits');
  assert.equal(check(`${TUE}T11:40:00Z`, b2b), 'overlaps_booking');
  assert.equal(check(`${TUE}T16:36:00Z`, b2b), 'outside_working_hours', 'the service itself would overrun 17:00');
  assert.equal(check(`${TUE}T16:35:00Z`, b2b), null, 'the clean-up may run past closing');
  assert.equal(check('2026-01-14T08:59:00Z', b2b), 'outside_working_hours');
});

test('clock changes: both London 01:30s on 25 Oct 2026 are bookable; 02:00 BST on 29 Mar is', () => {
  const night = (from: string) => ({
    now: at('2026-01-01T00:00:00Z'), horizonDays: 365, from, to: from,
    staff: [staffMember('stf_a', { weeklyHours: weekly('00:00', '03:00') })],
  });
  const thirty = { service: { durationMinutes: 30, bufferMinutes: 0, slotInterval: 30 } } as const;
  assert.equal(check('2026-10-25T00:30:00Z', { ...night('2026-10-25'), ...thirty }), null, '01:30 BST');
  assert.equal(check('2026-10-25T01:30:00Z', { ...night('2026-10-25'), ...thirty }), null, '01:30 GMT');
  assert.equal(check('2026-10-25T01:15:00Z', { ...night('2026-10-25'), ...thirty }), 'not_on_slot_grid');
  assert.equal(check('2026-03-29T01:00:00Z', { ...night('2026-03-29'), ...thirty }), null, '02:00 BST');
  assert.equal(check('2026-03-29T02:30:00Z', { ...night('2026-03-29'), ...thirty }), 'outside_working_hours', '03:30 BST');
});
