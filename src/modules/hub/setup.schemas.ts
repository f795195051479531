import { daysBetween } from '../../lib/zoned-date.js';
import { parseCalendarDate } from '../../lib/instant.js';
import { z } from 'zod';
import { HHMM_RE, WEEKDAYS, parseHHMM } from '../../lib/wall-clock.js';
import { weeklyHoursProblems } from '../../lib/weekly-hours.js';
import { LocalDate } from '../../http/schemas.js';
import { SLOT_INTERVALS } from '../catalog/catalog.schemas.js';

export const HHMM = z.string().regex(HHMM_RE, 'expected a time as HH:MM');
const Range = z.strictObject({ opens: HHMM, closes: HHMM });

/**
 * A week of hours (several ranges a day; gaps are breaks), checked for order and overlap by the one rule
 * (`src/lib/weekly-hours.ts`, which the Hub also runs before saving), each problem on the field it names.
 */
export const WeeklyHoursInput = z
  .strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(Range).max(12).optional()])) as Record<(typeof WEEKDAYS)[number], z.ZodOptional<z.ZodArray<typeof Range>>>)
  .superRefine((hours, ctx) => {
    for (const p of weeklyHoursProblems(hours)) ctx.addIssue({ code: 'custom', message: p.message, path: p.path });
  });
export type WeeklyHoursInput = z.infer<typeof WeeklyHoursInput>;

const Slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lower-case letters, digits and dashes').max(60);
const Id = z.string().min(1).max(100);
const Text = (max: number) => z.string().trim().min(1).max(max);
const OptionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const AddressInput = z.strictObject({
  line1: Text(200),
  line2: OptionalText(200),
  city: Text(100),
  postcode: Text(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code, e.g. GB').default('GB'),
});

const locationFields = {
  name: Text(100),
  slug: Slug,
  time_zone: z.string().min(1).max(64),
  address: AddressInput,
  phone: z.string().trim().max(40).nullable().optional(),
  opening_hours: WeeklyHoursInput,
  minimum_notice_minutes: z.number().int().min(0).max(7 * 24 * 60),
  booking_horizon_days: z.number().int().min(1).max(730),
};
export const CreateLocationBody = z.strictObject({ ...locationFields, minimum_notice_minutes: locationFields.minimum_notice_minutes.default(60), booking_horizon_days: locationFields.booking_horizon_days.default(90) });
export const UpdateLocationBody = z.strictObject(locationFields).partial();
export const ClosureBody = z.strictObject({ starts_on: LocalDate, ends_on: LocalDate, reason: OptionalText(200) })
  .refine((c) => c.ends_on >= c.starts_on, { message: 'must not be before the first day', path: ['ends_on'] })
  // one closure is at most a year (what the affected-bookings preview covers in one question)
  .refine((c) => c.ends_on < c.starts_on || !parseCalendarDate(c.starts_on).ok || !parseCalendarDate(c.ends_on).ok || daysBetween(c.starts_on, c.ends_on) <= 366, { message: 'may be at most 366 days after the first day', path: ['ends_on'] });

const serviceFields = {
  name: Text(100),
  description: OptionalText(2000),
  duration_minutes: z.number().int().min(5).max(12 * 60),
  buffer_minutes: z.number().int().min(0).max(4 * 60),
  slot_interval_minutes: z.union([z.literal(SLOT_INTERVALS[0]), ...SLOT_INTERVALS.slice(1).map((n) => z.literal(n))]).nullable(),
  price: z.strictObject({ amount: z.number().int().min(0).max(100_000_000), currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code, e.g. GBP') }),
  active: z.boolean(),
  location_ids: z.array(Id).max(100),
};
export const CreateServiceBody = z.strictObject({ ...serviceFields, buffer_minutes: serviceFields.buffer_minutes.default(0), slot_interval_minutes: serviceFields.slot_interval_minutes.default(15), active: serviceFields.active.default(true) });
export const UpdateServiceBody = z.strictObject(serviceFields).partial();

const staffFields = {
  display_name: Text(100),
  title: OptionalText(100),
  bookable: z.boolean(),
  location_ids: z.array(Id).max(100),
  service_ids: z.array(Id).max(500),
  hours: z.record(Id, WeeklyHoursInput).describe('Weekly hours per location id.'),
};
export const CreateStaffBody = z.strictObject({ ...staffFields, bookable: staffFields.bookable.default(true), hours: staffFields.hours.default({}) });
export const UpdateStaffBody = z.strictObject(staffFields).partial();

export const ExceptionBody = z.strictObject({
  date: LocalDate,
  kind: z.enum(['off', 'extra']).default('off'),
  all_day: z.boolean().default(false),
  starts: HHMM.optional(),
  ends: HHMM.optional(),
  location_id: Id.nullable().optional(),
  reason: OptionalText(200),
}).superRefine((e, ctx) => {
  if (e.all_day) return;
  if (e.starts === undefined) ctx.addIssue({ code: 'custom', message: 'a start time, or all day', path: ['starts'] });
  if (e.ends === undefined) ctx.addIssue({ code: 'custom', message: 'an end time, or all day', path: ['ends'] });
  if (e.starts !== undefined && e.ends !== undefined && parseHHMM(e.ends) <= parseHHMM(e.starts)) ctx.addIssue({ code: 'custom', message: 'must be later than the start', path: ['ends'] });
});

export const IdParams = z.object({ id: Id });
