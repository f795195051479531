import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weeklyHoursProblems } from './weekly-hours.js';

test('every day\'s mistakes at once, each on the field it names', () => {
  const problems = weeklyHoursProblems({
    monday: [{ opens: '09:00', closes: '17:00' }, { opens: '16:00', closes: '19:00' }],
    tuesday: [{ opens: '09:00', closes: '12:00' }, { opens: '12:00', closes: '24:00' }],
    wednesday: [{ opens: '13:00', closes: '18:00' }, { opens: '09:00', closes: '14:00' }],
    friday: [{ opens: '10:00', closes: '09:00' }, { opens: '', closes: '12:00' }],
  });
  assert.deepEqual(problems, [
    { path: ['monday', 1, 'opens'], message: 'overlaps another range that day' },
    { path: ['wednesday', 0, 'opens'], message: 'overlaps another range that day' },
    { path: ['friday', 0, 'closes'], message: 'must be later than the opening time' },
    { path: ['friday', 1, 'opens'], message: 'expected a time as HH:MM' },
  ]);
});

test('ranges that touch, a day closing at midnight, and closed days are fine', () => {
  assert.deepEqual(weeklyHoursProblems({ monday: [{ opens: '09:00', closes: '12:00' }, { opens: '12:00', closes: '24:00' }], sunday: [] }), []);
});
