import { DEMO_BOOKING_REFERENCE, DEMO_IDS, nextDemoWeekdayAt } from '../modules/demo/demo-facts.js';

/**
 * Examples shown in the OpenAPI document, /docs and docs/api-reference.md, in the demo shop's terms (the shop
 * `npm start` makes on an empty database: its slugs, service and staff ids and booking `K7QX-2M4P` are fixed,
 * see src/modules/demo/demo-facts.ts). Contact details are Ofcom's drama numbers (07700 900xxx) and
 * `example.com`, which no demo client has, so an example booking always creates a new client.
 * test/openapi-completeness.test.ts checks that each example validates against the schema it illustrates.
 */
export const EXAMPLE_IDS = { service: DEMO_IDS.services.skinFade, staff: DEMO_IDS.staff.marcusReid, client: 'cli_fz3asfm3whnv20vh', booking: 'bkg_1j6z09gnwa46e6v8' };

/** The documented new client: in no demo shop (test/demo.test.ts). */
export const EXAMPLE_CLIENT = { first_name: 'Alex', last_name: 'Morgan', email: 'alex.morgan@example.com', phone: '07700 900123', e164: '+447700900123' };

const consent = { email_marketing: true, email_marketing_given_at: '2026-11-20T10:02:11Z', sms_marketing: false, sms_marketing_given_at: null };

export const clientExample = {
  object: 'client', id: EXAMPLE_IDS.client, first_name: EXAMPLE_CLIENT.first_name, last_name: EXAMPLE_CLIENT.last_name, email: EXAMPLE_CLIENT.email, phone: EXAMPLE_CLIENT.e164,
  notes: null, consent, created_at: '2026-11-20T10:02:11Z', updated_at: '2026-11-20T10:02:11Z',
};

export const bookingExample = {
  object: 'booking', id: EXAMPLE_IDS.booking, reference: DEMO_BOOKING_REFERENCE, status: 'confirmed', location: 'shoreditch',
  service: { id: EXAMPLE_IDS.service, name: 'Skin Fade' }, staff: { id: EXAMPLE_IDS.staff, display_name: 'Marcus Reid' },
  client: { id: EXAMPLE_IDS.client, name: 'Alex Morgan' }, starts_at: '2026-12-01T10:00:00Z', ends_at: '2026-12-01T10:45:00Z',
  duration_minutes: 45, buffer_minutes: 10, price: { amount: 3200, currency: 'GBP' }, notes: null, source: 'api', rules_set_aside: [],
  created_at: '2026-11-28T09:15:00Z', updated_at: '2026-11-28T09:15:00Z', cancelled_at: null, cancellation_reason: null, cancelled_via: null,
};

/** 10:00 on a weekday with Marcus Reid: a time the demo shop keeps free (`fillLiveExamples` moves it to the next weekday). */
export const createBookingExample = {
  location: 'shoreditch', service: EXAMPLE_IDS.service, staff: EXAMPLE_IDS.staff, starts_at: '2026-12-01T10:00:00Z',
  client: { first_name: EXAMPLE_CLIENT.first_name, last_name: EXAMPLE_CLIENT.last_name, email: EXAMPLE_CLIENT.email, phone: EXAMPLE_CLIENT.phone },
};
export const rescheduleBookingExample = { starts_at: '2026-12-01T11:30:00Z' };
export const cancelBookingExample = { reason: 'Client is unwell' };

export const createClientExample = { first_name: EXAMPLE_CLIENT.first_name, last_name: EXAMPLE_CLIENT.last_name, email: 'Alex.Morgan@example.com', phone: EXAMPLE_CLIENT.phone, marketing_consent: { email: true } };

const hours = (opens: string, closes: string) => [{ opens, closes }];
export const locationExample = {
  object: 'location', id: 'loc_5jctgv1tqxd83pr0', slug: 'shoreditch', name: 'Fade & Bloom Shoreditch', time_zone: 'Europe/London',
  address: { line1: '112 Curtain Road', line2: null, city: 'London', postcode: 'EC2A 3AH', country: 'GB' }, phone: '+441632960001',
  opening_hours: {
    monday: hours('09:00', '19:00'), tuesday: hours('09:00', '19:00'), wednesday: hours('09:00', '19:00'), thursday: hours('09:00', '19:00'),
    friday: hours('09:00', '19:00'), saturday: hours('09:00', '17:00'), sunday: hours('10:00', '16:00'),
  },
  minimum_notice_minutes: 60, booking_horizon_days: 90, closures: [], created_at: '2026-11-20T10:00:00Z', updated_at: '2026-11-20T10:00:00Z',
};

export const serviceExample = {
  object: 'service', id: EXAMPLE_IDS.service, name: 'Skin Fade', description: 'Clipper fade blended to the skin, finished with a scissor cut on top.',
  duration_minutes: 45, buffer_minutes: 10, slot_interval_minutes: 15, price: { amount: 3200, currency: 'GBP' }, active: true,
  locations: ['clapham', 'shoreditch'], created_at: '2026-11-20T10:00:00Z', updated_at: '2026-11-20T10:00:00Z',
};

const split = [{ opens: '09:00', closes: '13:00' }, { opens: '14:00', closes: '19:00' }];
export const staffExample = {
  object: 'staff', id: EXAMPLE_IDS.staff, display_name: 'Marcus Reid', title: 'Senior Barber', bookable: true, locations: ['shoreditch'],
  services: [DEMO_IDS.services.skinFade, DEMO_IDS.services.classicCut, DEMO_IDS.services.beardTrim, DEMO_IDS.services.hotTowelShave],
  working_hours: { shoreditch: { monday: split, tuesday: split, wednesday: split, thursday: split, friday: split, saturday: hours('09:00', '17:00'), sunday: [] } },
  time_off: [{ date: '2026-12-03', starts: '16:00', ends: '18:00', location: null }], extra_hours: [],
  created_at: '2026-11-20T10:00:00Z', updated_at: '2026-11-20T10:00:00Z',
};

export const availabilityExample = {
  object: 'availability', location: 'shoreditch', service: EXAMPLE_IDS.service, time_zone: 'Europe/London', from: '2026-12-01', to: '2026-12-07',
  slots: [
    { starts_at: '2026-12-01T09:00:00Z', ends_at: '2026-12-01T09:45:00Z', staff_id: EXAMPLE_IDS.staff },
    { starts_at: '2026-12-01T09:15:00Z', ends_at: '2026-12-01T10:00:00Z', staff_id: EXAMPLE_IDS.staff },
  ],
};

/**
 * Examples for path parameters and required query parameters, by OpenAPI path and name: the demo shop's own
 * slug, ids and booking reference, so "Try it out" answers 200 as printed.
 */
export function parameterExample(path: string, name: string): string | undefined {
  if (name === 'slug') return 'shoreditch';
  if (name === 'reference') return DEMO_BOOKING_REFERENCE;
  if (name === 'service') return EXAMPLE_IDS.service;
  if (name === 'id' && path.startsWith('/v1/services/')) return EXAMPLE_IDS.service;
  if (name === 'id' && path.startsWith('/v1/staff/')) return EXAMPLE_IDS.staff;
  return undefined;
}

/**
 * The document as served, with the booking examples moved to the demo shop's next weekday (10:00 to book,
 * 11:30 to reschedule, London time: the window the demo keeps free), so that they can be booked as printed on
 * the day the reference is read. Mutates and returns `doc` (callers pass a copy).
 */
export function fillLiveExamples<T extends Record<string, any>>(doc: T, now: number): T {
  const media = (path: string) => doc.paths?.[path]?.post?.requestBody?.content?.['application/json'];
  const create = media('/v1/bookings');
  if (create?.example) create.example = { ...create.example, starts_at: nextDemoWeekdayAt(now, 10 * 60) };
  const reschedule = media('/v1/bookings/{reference}/reschedule');
  if (reschedule?.example) reschedule.example = { ...reschedule.example, starts_at: nextDemoWeekdayAt(now, 11 * 60 + 30) };
  return doc;
}

const err = (code: string, message: string, param?: string, extra: Record<string, unknown> = {}) =>
  ({ error: { code, message, ...(param ? { param } : {}), ...extra, request_id: 'req_7f3k2m9x01a2b3' } });

/** One example error body per status of an operation (`path` as in the OpenAPI document, lower-case `method`). */
export function errorExample(status: number, path: string, method: string): unknown {
  const post = method === 'post';
  switch (status) {
    case 400:
      if (path === '/v1/bookings' && post) return err('parameter_unknown', 'Unknown field `start_time`: this endpoint does not take it. Did you mean `starts_at`?', 'start_time');
      return post ? err('parameter_missing', 'Missing required field `starts_at`.', 'starts_at') : err('parameter_invalid', 'Invalid query parameter `limit`: Too big: expected number to be <=100', 'limit');
    case 401: return err('invalid_api_key', 'The provided API key is invalid or has been revoked.', 'Authorization');
    case 403: return err('insufficient_scope', 'This API key has the `read` scope; this request needs `read_write`.', 'Authorization');
    case 404: {
      // as the server words them: never echoing the id (src/http/errors.ts)
      if (path === '/v1/bookings' && post) return err('resource_not_found', 'No service with this id.', 'service');
      const what = path.startsWith('/v1/bookings/') ? 'booking with this reference' : path.startsWith('/v1/services/') ? 'service with this id'
        : path.startsWith('/v1/staff/') ? 'staff member with this id' : path.startsWith('/v1/clients/') ? 'client with this id' : 'location with this slug';
      return path.includes('{') ? err('resource_not_found', `No ${what}.`) : err('resource_not_found', 'No location with this slug.', 'location');
    }
    case 409:
      if (path.endsWith('/cancel')) return err('booking_not_modifiable', 'This booking is cancelled and can no longer be changed.', undefined, { status: 'cancelled' });
      if (path === '/v1/clients') return err('client_already_exists', 'A client with this email address already exists.', 'email', { existing_id: EXAMPLE_IDS.client });
      return err('slot_unavailable', 'Marcus Reid already has a booking (or its clean-up time) at that time.', 'starts_at', { reason: 'overlaps_booking' });
    case 413: return err('payload_too_large', 'The request body is larger than 1 MiB.');
    case 415: return err('unsupported_media_type', 'Send request bodies as JSON with `Content-Type: application/json`.', 'Content-Type');
    case 422: return err('idempotency_key_reused', 'This Idempotency-Key was already used for a different request. Use a new key for a new request.', 'Idempotency-Key');
    case 429: return err('rate_limited', 'Too many requests for this API key. Slow down and retry after the time in `Retry-After`.');
    case 500: return err('internal_error', 'Something went wrong on our side. Quote the request id if you contact support.');
    case 503: return err('service_unavailable', 'The server is busy. Retry after the time in `Retry-After`.');
    default: return undefined;
  }
}
