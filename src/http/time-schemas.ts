import { z } from 'zod';
import { parseCalendarDate, parseInstant } from '../lib/instant.js';
import { HHMM_RE } from '../lib/wall-clock.js';

/**
 * Request schemas for times, all built on the one parser in `src/lib/instant.ts` (API.md §5). Values stay
 * strings (the OpenAPI document shows them as such); services turn them into epoch ms with `instantMs`.
 */

/** Any RFC 3339 instant with an explicit offset naming a real moment (years 2000–2199). */
export const InstantInput = z.string().max(64).superRefine((text, ctx) => {
  const parsed = parseInstant(text);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason, input: text });
}).meta({ format: 'date-time', examples: ['2026-12-01T10:00:00Z'] });

/**
 * A booking's start: an instant on a whole minute (seconds and fractions zero), so that what is stored is
 * exactly what was sent and what is returned (to the second) is exactly what is stored.
 */
export const StartInstantInput = z.string().max(64).superRefine((text, ctx) => {
  const parsed = parseInstant(text);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason, input: text });
  else if (!parsed.value.wholeMinute) ctx.addIssue({ code: 'custom', message: 'a booking starts on a whole minute: seconds and fractions must be zero', input: text });
}).meta({ format: 'date-time', examples: ['2026-12-01T10:00:00Z'] });

/** A real calendar date `YYYY-MM-DD` (years 2000–2199), in the location's zone wherever it is used. */
export const LocalDateInput = z.string().max(10).superRefine((text, ctx) => {
  const parsed = parseCalendarDate(text);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason, input: text });
}).meta({ format: 'date', examples: ['2026-12-01'] });

/** A local wall-clock time of day `HH:MM` (00:00–23:59). */
export const LocalTimeInput = z.string().max(5).regex(HHMM_RE, 'expected a time as HH:MM').refine((t) => t !== '24:00', 'expected a time of day, 00:00 to 23:59');
