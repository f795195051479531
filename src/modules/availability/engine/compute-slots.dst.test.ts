/**
 * Clock changes and odd offsets, with literal instants. Hours in these tests
 * sit at night on purpose: that is where clocks change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeSlots } from './compute-slots.js';
import type { EngineInput } from './types.js';
import { engineInput, staffMember, startsOf, weekly } from './test-support/fixtures.js';

const night = (overrides: Partial<EngineInput>, hours: [string, string][] = [['00:00', '04:00']]) =>
  engineInput({
    staff: [staffMember('stf_a', { weeklyHours: hours.flatMap(([s, e]) => weekly(s, e)) })],
    ...overrides,
  });

test('London spring forward (Sun 29 Mar 2026): 01:00-01:59 local never exists, never offered', () => {
  const slots = computeSlots(night({
    from: '2026-03-29', to: '2026-03-29',
    service: { durationMinutes: 30, bufferMinutes: 0, slotInterval: 30 },
  }));
  // 00:00 and 00:30 GMT, then 02:00 BST (01:00Z) onwards: 3 real hours of work.
  assert.deepEqual(startsOf(slots, 'stf_a'), [
    '2026-03-29T00:00:00.000Z', '2026-03-29T00:30:00.000Z',
    '2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z',
    '2026-03-29T02:00:00.000Z', '2026-03-29T02:30:00.000Z',
  ]);
});

test('London fall back (Sun 25 Oct 2026): 01:30 exists twice and both are offered', () => {
  const slots = computeSlots(night({
    from: '2026-10-25', to: '2026-10-25',
    service: { durationMinutes: 30, bufferMinutes: 0, slotInterval: 30 },
  }, [['00:00', '03:00']]));
  // 00:00-03:00 local covers 4 real hours: 23:00Z to 03:00Z.
  assert.deepEqual(startsOf(slots, 'stf_a'), [
    '2026-10-24T23:00:00.000Z', '2026-10-24T23:30:00.000Z',
    '2026-10-25T00:00:00.000Z', // 01:00 BST
    '2026-10-25T00:30:00.000Z', // 01:30 BST
    '2026-10-25T01:00:00.000Z', // 01:00 GMT
    '2026-10-25T01:30:00.000Z', // 01:30 GMT
    '2026-10-25T02:00:00.000Z', '2026-10-25T02:30:00.000Z',
  ]);
});

test('London: a Tuesday 09:00 start is 09:00Z before the change and 08:00Z after it', () => {
  const slots = computeSlots(engineInput({
    from: '2026-03-24', to: '2026-03-31',
    staff: [staffMember('stf_a', { weeklyHours: weekly('09:00', '10:00', [2]) })],
  }));
  assert.deepEqual(startsOf(slots, 'stf_a'), ['2026-03-24T09:00:00.000Z', '2026-03-31T08:00:00.000Z']);
});

test('London: a break lying wholly inside the spring-forward gap takes no real time', () => {
  const slots = computeSlots(night({
    from: '2026-03-29', to: '2026-03-29',
    service: { durationMinutes: 60, bufferMinutes: 0, slotInterval: 30 },
  }, [['00:00', '01:15'], ['01:45', '03:00']]));
  // Work is one stretch 00:00Z-02:00Z, so 00:30 GMT → 02:30 BST is bookable.
  assert.deepEqual(startsOf(slots, 'stf_a'), [
    '2026-03-29T00:00:00.000Z', '2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z',
  ]);
});

test('London fall back, back-to-back: the chain runs through the repeated hour', () => {
  const slots = computeSlots(night({
    from: '2026-10-25', to: '2026-10-25',
    service: { durationMinutes: 50, bufferMinutes: 10, slotInterval: null },
  }, [['00:00', '03:00']]));
  assert.deepEqual(startsOf(slots, 'stf_a'), [
    '2026-10-24T23:00:00.000Z', '2026-10-25T00:00:00.000Z',
    '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z',
  ]);
});

test('Asia/Kolkata (+05:30): the grid is local, so local :00 is UTC :30', () => {
  const slots = computeSlots(engineInput({
    timeZone: 'Asia/Kolkata', from: '2026-03-29', to: '2026-03-29',
    service: { durationMinutes: 30, bufferMinutes: 0, slotInterval: 60 },
    staff: [staffMember('stf_a', { weeklyHours: weekly('09:00', '12:00') })],
  }));
  assert.deepEqual(startsOf(slots, 'stf_a'), [
    '2026-03-29T03:30:00.000Z', '2026-03-29T04:30:00.000Z', '2026-03-29T05:30:00.000Z',
  ]);
});

test('Pacific/Chatham (+13:45): local quarter hours are UTC quarter hours shifted by 45 min', () => {
  const slots = computeSlots(engineInput({
    timeZone: 'Pacific/Chatham', from: '2026-01-15', to: '2026-01-15',
    service: { durationMinutes: 30, bufferMinutes: 0, slotInterval: 15 },
    staff: [staffMember('stf_a', { weeklyHours: weekly('09:00', '10:00') })],
  }));
  assert.deepEqual(startsOf(slots, 'stf_a'), [
    '2026-01-14T19:15:00.000Z', '2026-01-14T19:30:00.000Z', '2026-01-14T19:45:00.000Z',
  ]);
});

test('Australia/Lord_Howe fall back by 30 min (Sun 5 Apr 2026, 02:00 → 01:30)', () => {
  const input = (slotInterval: 30 | 60) => night({
    timeZone: 'Australia/Lord_Howe', from: '2026-04-05', to: '2026-04-05',
    service: { durationMinutes: slotInterval, bufferMinutes: 0, slotInterval },
  });
  // 00:00-04:00 local is 4 h 30 min of real time: 13:00Z to 17:30Z.
  assert.deepEqual(startsOf(computeSlots(input(30)), 'stf_a'), [
    '2026-04-04T13:00:00.000Z', '2026-04-04T13:30:00.000Z', '2026-04-04T14:00:00.000Z',
    '2026-04-04T14:30:00.000Z', // 01:30 at +11
    '2026-04-04T15:00:00.000Z', // 01:30 again at +10:30
    '2026-04-04T15:30:00.000Z', '2026-04-04T16:00:00.000Z', '2026-04-04T16:30:00.000Z',
    '2026-04-04T17:00:00.000Z',
  ]);
  // Hourly grid: after the change local :00 is UTC :30 instead of :00.
  assert.deepEqual(startsOf(computeSlots(input(60)), 'stf_a'), [
    '2026-04-04T13:00:00.000Z', '2026-04-04T14:00:00.000Z',
    '2026-04-04T15:30:00.000Z', '2026-04-04T16:30:00.000Z',
  ]);
});

test('Australia/Lord_Howe spring forward by 30 min (Sun 4 Oct 2026, 02:00 → 02:30)', () => {
  const input = (slotInterval: 30 | 60) => night({
    timeZone: 'Australia/Lord_Howe', from: '2026-10-04', to: '2026-10-04',
    service: { durationMinutes: slotInterval, bufferMinutes: 0, slotInterval },
  });
  // 00:00-04:00 local is 3 h 30 min of real time: 13:30Z to 17:00Z; 02:00 local never exists.
  assert.deepEqual(startsOf(computeSlots(input(30)), 'stf_a'), [
    '2026-10-03T13:30:00.000Z', '2026-10-03T14:00:00.000Z', '2026-10-03T14:30:00.000Z',
    '2026-10-03T15:00:00.000Z', // 01:30 at +10:30
    '2026-10-03T15:30:00.000Z', // 02:30 at +11
    '2026-10-03T16:00:00.000Z', '2026-10-03T16:30:00.000Z',
  ]);
  assert.deepEqual(startsOf(computeSlots(input(60)), 'stf_a'), [
    '2026-10-03T13:30:00.000Z', '2026-10-03T14:30:00.000Z', '2026-10-03T16:00:00.000Z',
  ]);
});

test('America/Havana: a gap at midnight (Sun 8 Mar 2026) starts the day at 01:00', () => {
  const slots = computeSlots(night({
    timeZone: 'America/Havana', from: '2026-03-08', to: '2026-03-08',
    service: { durationMinutes: 60, bufferMinutes: 0, slotInterval: 60 },
  }, [['00:00', '03:00']]));
  // 00:00-03:00 local is two real hours, 05:00Z (01:00 CDT) to 07:00Z.
  assert.deepEqual(startsOf(slots, 'stf_a'), ['2026-03-08T05:00:00.000Z', '2026-03-08T06:00:00.000Z']);
});
