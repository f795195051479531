import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, eachLocalDate, formatLocalDate, isoWeekday, parseLocalDate } from './local-dates.js';

test('parse/format round-trip and ISO weekdays', () => {
  assert.equal(parseLocalDate('1970-01-01'), 0);
  assert.equal(isoWeekday(0), 4, '1970-01-01 was a Thursday');
  assert.equal(isoWeekday(parseLocalDate('2026-03-29')), 7);
  assert.equal(isoWeekday(parseLocalDate('2026-03-24')), 2);
  assert.equal(isoWeekday(parseLocalDate('1969-12-29')), 1, 'before the epoch too');
  assert.equal(formatLocalDate(parseLocalDate('2028-02-29')), '2028-02-29');
});

test('strict date parsing rejects rolled-over and malformed dates', () => {
  for (const bad of ['2026-02-30', '2026-13-01', '2026-1-01', '26-01-01', '2026-01-01T00:00', '']) {
    assert.throws(() => parseLocalDate(bad), RangeError, bad);
  }
});

test('iteration is inclusive, crosses month and year ends, and is empty when from > to', () => {
  assert.deepEqual(
    eachLocalDate('2026-12-30', '2027-01-02').map((d) => `${d.date}/${d.weekday}`),
    ['2026-12-30/3', '2026-12-31/4', '2027-01-01/5', '2027-01-02/6'],
  );
  assert.deepEqual(eachLocalDate('2026-03-02', '2026-03-01'), []);
  assert.equal(addDays('2026-02-28', 1), '2026-03-01');
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
});
