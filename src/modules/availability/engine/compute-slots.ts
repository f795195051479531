/**
 * computeSlots: every (start, staff) a client may book in [from, to].
 *
 * Per local date and staff: working time = (weekly ∪ extra) − time off,
 * ∩ opening hours, nothing on closure dates; converted to instants once per
 * range edge. Each working interval is then extended by the buffer (clean-up
 * may run into a break or past closing), busy time is subtracted, and the
 * candidate starts are walked (slot-starts.ts): so the service time lies in
 * working time and service + buffer overlap no booking. A slot's service time
 * never spans two local dates: each date is computed on its own, so an answer
 * for [from, to] doesn't depend on rules of neighbouring dates.
 */
import type { EngineInput, Slot } from './types.js';
import { subtractIntervals } from './intervals.js';
import { buildLocalDays } from './local-day.js';
import { compileAllStaff, compileLocation, isClosed, workingIntervals } from './rules.js';
import { pushStarts, startRulesFor } from './slot-starts.js';
import { validateInput } from './validate-input.js';

/** Slots sorted by start, then staffId (code-unit order). Pure; never mutates input. */
export function computeSlots(input: EngineInput): Slot[] {
  const zone = validateInput(input);
  const rules = startRulesFor(input);
  const location = compileLocation(input);
  const staff = compileAllStaff(input.staff);
  const slots: Slot[] = [];
  const starts: number[] = [];
  for (const day of buildLocalDays(zone, input.from, input.to)) {
    if (day.end - rules.durationMs < rules.minStart) continue;
    if (day.start > rules.maxStart) break;
    if (isClosed(location, day.date)) continue;
    const daySlots: Slot[] = [];
    for (const member of staff) {
      for (const work of workingIntervals(location, member, day)) {
        const withCleanUp = [{ start: work.start, end: work.end + rules.bufferMs }];
        for (const free of subtractIntervals(withCleanUp, member.busy)) {
          starts.length = 0;
          pushStarts(starts, free, day, rules);
          for (const start of starts) {
            daySlots.push({ start, end: start + rules.durationMs, staffId: member.id });
          }
        }
      }
    }
    // Days tile time in order, and staff were visited in id order, so a
    // stable sort by start alone gives (start, staffId) order.
    daySlots.sort((a, b) => a.start - b.start);
    for (const slot of daySlots) slots.push(slot);
  }
  return slots;
}
