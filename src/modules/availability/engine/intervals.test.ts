import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  findContaining,
  firstEndingAfter,
  intersectIntervals,
  mergeIntervals,
  overlapsAny,
  subtractIntervals,
} from './intervals.js';
import type { Interval } from './types.js';
import { deepFreeze } from './test-support/fixtures.js';

const iv = (start: number, end: number): Interval => ({ start, end });

test('merge sorts, drops empties, joins overlapping and touching intervals', () => {
  const input = deepFreeze([iv(10, 20), iv(0, 5), iv(5, 7), iv(15, 30), iv(40, 40), iv(50, 45), iv(31, 32)]);
  assert.deepEqual(mergeIntervals(input), [iv(0, 7), iv(10, 30), iv(31, 32)]);
});

test('subtract cuts holes, trims edges and removes covered intervals', () => {
  const a = deepFreeze([iv(0, 10), iv(20, 30), iv(40, 50)]);
  const b = deepFreeze([iv(2, 3), iv(5, 22), iv(28, 45)]);
  assert.deepEqual(subtractIntervals(a, b), [iv(0, 2), iv(3, 5), iv(22, 28), iv(45, 50)]);
  assert.deepEqual(subtractIntervals(a, []), a);
  assert.deepEqual(subtractIntervals(a, [iv(-5, 100)]), []);
});

test('intersect keeps only the common parts', () => {
  const a = deepFreeze([iv(0, 10), iv(20, 30)]);
  const b = deepFreeze([iv(5, 25), iv(28, 40)]);
  assert.deepEqual(intersectIntervals(a, b), [iv(5, 10), iv(20, 25), iv(28, 30)]);
  assert.deepEqual(intersectIntervals(a, []), []);
});

test('search helpers: half-open edges', () => {
  const list = deepFreeze([iv(0, 10), iv(20, 30)]);
  assert.equal(firstEndingAfter(list, 10), 1);
  assert.equal(firstEndingAfter(list, 9), 0);
  assert.equal(firstEndingAfter(list, 30), 2);
  assert.equal(overlapsAny(list, 10, 20), false, 'touching is not overlapping');
  assert.equal(overlapsAny(list, 9, 20), true);
  assert.equal(overlapsAny(list, 19, 21), true);
  assert.deepEqual(findContaining(list, 20, 30), iv(20, 30));
  assert.equal(findContaining(list, 5, 21), undefined);
  assert.equal(findContaining(list, 12, 15), undefined);
});

// Set semantics checked against a per-point model on small integers.
const intervalList = fc.array(
  fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 })).map(([s, l]) => iv(s, s + l)),
  { maxLength: 8 },
);
const covers = (list: readonly Interval[], x: number) => list.some((i) => i.start <= x && x < i.end);
const isNormalised = (list: readonly Interval[]) =>
  list.every((i, k) => i.start < i.end && (k === 0 || list[k - 1]!.end < i.start));

test('property: merge/subtract/intersect match point-wise set operations', () => {
  fc.assert(
    fc.property(intervalList, intervalList, (rawA, rawB) => {
      const a = mergeIntervals(rawA);
      const b = mergeIntervals(rawB);
      const diff = subtractIntervals(a, b);
      const both = intersectIntervals(a, b);
      for (const list of [a, b, diff, both]) assert.ok(isNormalised(list));
      for (let x = -1; x <= 82; x++) {
        assert.equal(covers(a, x), covers(rawA, x));
        assert.equal(covers(diff, x), covers(rawA, x) && !covers(rawB, x));
        assert.equal(covers(both, x), covers(rawA, x) && covers(rawB, x));
      }
    }),
    { numRuns: 300 },
  );
});
