/**
 * Property tests: generated zones (incl. half-hour and 45-minute offsets and
 * 30-minute / 2-hour DST shifts), windows around clock changes, rules,
 * bookings and services, checked against a brute-force minute walk.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkSlot } from './check-slot.js';
import { computeSlots } from './compute-slots.js';
import type { EngineInput, Slot } from './types.js';
import { engineInputs } from './test-support/arbitraries.js';
import { deepFreeze, iso } from './test-support/fixtures.js';
import { bruteForce } from './test-support/oracle.js';
import { wallClockOf } from './test-support/zones.js';

const MIN = 60_000;
const RUNS = 100;
const frozenInputs = engineInputs.map((input) => deepFreeze(input));
const key = (s: Slot) => `${iso(s.start)}..${iso(s.end)} ${s.staffId}`;

test('property: every slot is inside working and opening hours, free, on the grid, within notice and horizon', () => {
  fc.assert(
    fc.property(frozenInputs, (input) => {
      const slots = computeSlots(input);
      const oracle = bruteForce(input);
      const { durationMinutes, bufferMinutes, slotInterval } = input.service;
      const span = (durationMinutes + bufferMinutes) * MIN;
      for (const [n, slot] of slots.entries()) {
        const prev = slots[n - 1];
        if (prev !== undefined) {
          assert.ok(prev.start < slot.start || (prev.start === slot.start && prev.staffId < slot.staffId), 'sorted, no duplicates');
        }
        assert.equal(slot.end - slot.start, durationMinutes * MIN, 'end excludes the buffer');
        assert.ok(slot.start >= input.now + input.minNoticeMinutes * MIN, 'notice');
        assert.ok(slot.start <= input.now + input.horizonDays * 24 * 60 * MIN, 'horizon');
        if (slotInterval !== null) {
          const wall = wallClockOf(slot.start, input.timeZone);
          assert.equal((wall / MIN) % slotInterval, 0, `local minute on the ${slotInterval}-min grid`);
        }
        const member = input.staff.find((s) => s.id === slot.staffId)!;
        for (const b of member.busy) {
          assert.ok(b.end <= slot.start || slot.start + span <= b.start, 'no booking overlaps the slot + buffer');
        }
        const tables = oracle.staff.find((s) => s.id === slot.staffId)!;
        // The service time is working time; the buffer after it may run into a break or past closing.
        for (let t = slot.start; t < slot.end; t += MIN) {
          const i = (t - oracle.walkStart) / MIN;
          assert.equal(tables.staffOk[i], 1, `staff works at ${iso(t)}`);
          assert.equal(tables.openingOk[i], 1, `location open at ${iso(t)}`);
        }
      }
    }),
    { numRuns: RUNS },
  );
});

test('property: computeSlots offers exactly what a minute-by-minute brute force finds', () => {
  fc.assert(
    fc.property(frozenInputs, (input) => {
      assert.deepEqual(computeSlots(input).map(key), bruteForce(input).slots.map(key));
    }),
    { numRuns: RUNS },
  );
});

/** Starts worth probing: every offered slot, its neighbours, and random minutes. */
function probes(input: EngineInput, slots: Slot[], randomMinutes: number[]): { staffId: string; start: number }[] {
  const oracle = bruteForce(input);
  const ids = [...input.staff.map((s) => s.id), 'stf_unknown'];
  const out: { staffId: string; start: number }[] = [];
  for (const s of slots) {
    out.push(s);
    for (const d of [-5, 1, 30]) out.push({ staffId: s.staffId, start: s.start + d * MIN });
  }
  for (const [k, m] of randomMinutes.entries()) {
    out.push({ staffId: ids[k % ids.length]!, start: oracle.walkStart + (m % oracle.minutes) * MIN });
  }
  // Keep the probes inside the oracle's walk (it only knows those minutes).
  const end = oracle.walkStart + (oracle.minutes - 1) * MIN;
  return out.filter((p) => p.start >= oracle.walkStart && p.start <= end);
}

test('property: checkSlot agrees with computeSlots and gives the brute force\'s reason', () => {
  fc.assert(
    fc.property(frozenInputs, fc.array(fc.nat(), { minLength: 10, maxLength: 30 }), (input, randomMinutes) => {
      const slots = computeSlots(input);
      const offered = new Set(slots.map((s) => `${s.start} ${s.staffId}`));
      const oracle = bruteForce(input);
      for (const { staffId, start } of probes(input, slots.slice(0, 20), randomMinutes)) {
        const verdict = checkSlot(input, staffId, start);
        const label = `${staffId} at ${iso(start)}`;
        assert.equal(verdict, oracle.reason(staffId, start), label);
        if (input.service.slotInterval !== null) {
          // Grid services: accepted exactly when offered.
          assert.equal(verdict === null, offered.has(`${start} ${staffId}`), label);
        } else if (offered.has(`${start} ${staffId}`)) {
          // Back-to-back: every offered start is accepted; checkSlot may also
          // accept other fitting starts, which the oracle's reason covers.
          assert.equal(verdict, null, label);
        }
      }
    }),
    { numRuns: RUNS },
  );
});
