/**
 * Guards against caller bugs. The HTTP layer validates user input; these
 * checks only stop a programming error from silently producing no slots
 * (or an endless loop, e.g. a zero-length span).
 */
import type { IANAZone } from 'luxon';
import type { EngineInput } from './types.js';
import { parseLocalDate } from './local-dates.js';
import { loadZone } from './zone-time.js';

const GRIDS = new Set<unknown>([5, 10, 15, 30, 60, null]);

function assertFinite(name: string, value: number, min: number): void {
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`${name} must be a finite number >= ${min}, got ${value}`);
  }
}

/** Throws RangeError on an unusable input; returns the loaded zone. */
export function validateInput(input: EngineInput): IANAZone {
  const zone = loadZone(input.timeZone);
  parseLocalDate(input.from);
  parseLocalDate(input.to);
  assertFinite('now', input.now, -Infinity);
  assertFinite('minNoticeMinutes', input.minNoticeMinutes, 0);
  assertFinite('horizonDays', input.horizonDays, 0);
  assertFinite('service.durationMinutes', input.service.durationMinutes, Number.MIN_VALUE);
  assertFinite('service.bufferMinutes', input.service.bufferMinutes, 0);
  if (!GRIDS.has(input.service.slotInterval)) {
    throw new RangeError(`service.slotInterval must be 5, 10, 15, 30, 60 or null`);
  }
  for (const c of input.closures) {
    parseLocalDate(c.from);
    parseLocalDate(c.to);
  }
  return zone;
}
