import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildLocalDays, dayMinuteToInstant } from './local-day.js';
import { loadZone, localToUtc } from './zone-time.js';
import { at, hm, iso } from './test-support/fixtures.js';
import { TEST_ZONES, changeDates, shiftDate, wallClockOf } from './test-support/zones.js';

// [zone, local date, local time, expected instant] — literal instants.
const cases: [string, string, string, string][] = [
  // Europe/London, spring forward Sun 29 Mar 2026 01:00 GMT → 02:00 BST.
  ['Europe/London', '2026-03-24', '09:00', '2026-03-24T09:00:00Z'],
  ['Europe/London', '2026-03-31', '09:00', '2026-03-31T08:00:00Z'],
  ['Europe/London', '2026-03-29', '00:59', '2026-03-29T00:59:00Z'],
  ['Europe/London', '2026-03-29', '01:00', '2026-03-29T01:00:00Z'], // in the gap → right after it
  ['Europe/London', '2026-03-29', '01:30', '2026-03-29T01:00:00Z'], // in the gap → right after it
  ['Europe/London', '2026-03-29', '02:00', '2026-03-29T01:00:00Z'],
  ['Europe/London', '2026-03-29', '02:30', '2026-03-29T01:30:00Z'],
  // Europe/London, fall back Sun 25 Oct 2026 02:00 BST → 01:00 GMT.
  ['Europe/London', '2026-10-25', '00:00', '2026-10-24T23:00:00Z'],
  ['Europe/London', '2026-10-25', '01:30', '2026-10-25T00:30:00Z'], // twice → first occurrence (BST)
  ['Europe/London', '2026-10-25', '01:59', '2026-10-25T00:59:00Z'],
  ['Europe/London', '2026-10-25', '02:00', '2026-10-25T02:00:00Z'],
  ['Europe/London', '2026-10-25', '24:00', '2026-10-26T00:00:00Z'],
  // Asia/Kolkata, +05:30 all year.
  ['Asia/Kolkata', '2026-03-29', '09:00', '2026-03-29T03:30:00Z'],
  ['Asia/Kolkata', '2026-03-29', '00:00', '2026-03-28T18:30:00Z'],
  // Australia/Lord_Howe: +11 → +10:30 on Sun 5 Apr 2026 at 02:00; back on Sun 4 Oct 2026 at 02:00.
  ['Australia/Lord_Howe', '2026-04-05', '01:45', '2026-04-04T14:45:00Z'], // twice → first (+11)
  ['Australia/Lord_Howe', '2026-04-05', '02:00', '2026-04-04T15:30:00Z'],
  ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-03T15:30:00Z'], // in the 30-min gap
  ['Australia/Lord_Howe', '2026-10-04', '02:30', '2026-10-03T15:30:00Z'],
  ['Australia/Lord_Howe', '2026-10-04', '09:00', '2026-10-03T22:00:00Z'],
  // Pacific/Chatham, +13:45 in (southern) summer.
  ['Pacific/Chatham', '2026-01-15', '09:00', '2026-01-14T19:15:00Z'],
  // America/Havana: the gap is at midnight (Sun 8 Mar 2026 00:00 → 01:00).
  ['America/Havana', '2026-03-08', '00:00', '2026-03-08T05:00:00Z'],
  ['America/Havana', '2026-03-08', '00:30', '2026-03-08T05:00:00Z'],
  ['America/Havana', '2026-03-08', '01:00', '2026-03-08T05:00:00Z'],
];

test('localToUtc: literal instants across DST gaps, repeats and odd offsets', () => {
  for (const [zone, date, time, expected] of cases) {
    assert.equal(iso(localToUtc(date, hm(time), zone)), iso(at(expected)), `${zone} ${date} ${time}`);
  }
});

test('localToUtc rejects unknown zones and bad dates', () => {
  assert.throws(() => localToUtc('2026-01-01', 0, 'Mars/Olympus'), RangeError);
  assert.throws(() => localToUtc('2026-02-30', 0, 'UTC'), RangeError);
});

test('local days tile time: 23 h and 25 h on London change days', () => {
  const days = buildLocalDays(loadZone('Europe/London'), '2026-03-28', '2026-10-26');
  for (let i = 1; i < days.length; i++) assert.equal(days[i]!.start, days[i - 1]!.end);
  const hours = (date: string) => {
    const d = days.find((x) => x.date === date)!;
    return (d.end - d.start) / 3_600_000;
  };
  assert.equal(hours('2026-03-28'), 24);
  assert.equal(hours('2026-03-29'), 23);
  assert.equal(hours('2026-10-25'), 25);
});

test('property: the per-day fast path equals localToUtc, which matches the rule', () => {
  const dateNearChange = fc.constantFrom(...TEST_ZONES).chain((zone) => {
    const changes = changeDates(zone);
    const anyDay = fc.integer({ min: 0, max: 3 * 365 }).map((n) => shiftDate('2025-01-01', n));
    const nearChange = changes.length === 0
      ? anyDay
      : fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -1, max: 1 })).map(([d, n]) => shiftDate(d, n));
    return fc.tuple(fc.constant(zone), fc.oneof(nearChange, anyDay));
  });
  fc.assert(
    fc.property(dateNearChange, fc.integer({ min: 0, max: 1440 }), ([zoneName, date], minute) => {
      const zone = loadZone(zoneName);
      const [day] = buildLocalDays(zone, date, date);
      const t = localToUtc(date, minute, zone);
      assert.equal(dayMinuteToInstant(day!, minute), t);
      // The rule, checked on Luxon's own clock fields: the clock reads the
      // wanted time (or later) at t, and reads earlier all the time before t.
      const wanted = Date.parse(`${date}T00:00:00Z`) + minute * 60_000;
      assert.ok(wallClockOf(t, zoneName) >= wanted, 'clock reads the time (or later) at t');
      for (let back = 1; back <= 150; back += 1) {
        assert.ok(wallClockOf(t - back * 60_000, zoneName) < wanted, `earlier ${back} min before t`);
      }
    }),
    { numRuns: 200 },
  );
});
