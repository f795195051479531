/**
 * Examples shown in the OpenAPI document and /docs, in the demo shop's terms (`npm start`, `setora demo`).
 * Slugs are the demo's own; ids are random per shop, so take them from `GET /v1/services` and friends.
 * test/openapi-examples.test.ts checks that each example validates against the schema it illustrates.
 */
export const EXAMPLE_IDS = { service: 'svc_4kw618ey0dw6b3x6', staff: 'stf_cwk41y067q7fs98m', client: 'cli_fz3asfm3whnv20vh', booking: 'bkg_1j6z09gnwa46e6v8' };

const consent = { email_marketing: true, email_marketing_given_at: '2026-11-20T10:02:11Z', sms_marketing: false, sms_marketing_given_at: null };

export const clientExample = {
  object: 'client', id: EXAMPLE_IDS.client, first_name: 'Olivia', last_name: 'Smith', email: 'olivia.smith@example.com', phone: '+447700900100',
  notes: null, consent, created_at: '2026-11-20T10:02:11Z', updated_at: '2026-11-20T10:02:11Z',
};

export const bookingExample = {
  object: 'booking', id: EXAMPLE_IDS.booking, reference: 'K7QX-2M4P', status: 'confirmed', location: 'shoreditch',
  service: { id: EXAMPLE_IDS.service, name: 'Skin Fade' }, staff: { id: EXAMPLE_IDS.staff, display_name: 'Marcus Reid' },
  client: { id: EXAMPLE_IDS.client, name: 'Olivia Smith' }, starts_at: '2026-12-01T10:00:00Z', ends_at: '2026-12-01T10:45:00Z',
  duration_minutes: 45, buffer_minutes: 10, price: { amount: 3200, currency: 'GBP' }, notes: null, source: 'api', rules_set_aside: [],
  created_at: '2026-11-28T09:15:00Z', updated_at: '2026-11-28T09:15:00Z', cancelled_at: null, cancellation_reason: null, cancelled_via: null,
};

export const createBookingExample = {
  location: 'shoreditch', service: EXAMPLE_IDS.service, starts_at: '2026-12-01T10:00:00Z',
  client: { first_name: 'Olivia', last_name: 'Smith', email: 'olivia.smith@example.com', phone: '07700 900100' },
};

export const createClientExample = { first_name: 'Olivia', last_name: 'Smith', email: 'Olivia.Smith@example.com', phone: '07700 900100', marketing_consent: { email: true } };

const hours = (opens: string, closes: string) => [{ opens, closes }];
export const locationExample = {
  object: 'location', id: 'loc_5jctgv1tqxd83pr0', slug: 'shoreditch', name: 'Fade & Bloom Shoreditch', time_zone: 'Europe/London',
  address: { line1: '112 Curtain Road', line2: null, city: 'London', postcode: 'EC2A 3AH', country: 'GB' }, phone: '+442071234567',
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

export const staffExample = {
  object: 'staff', id: EXAMPLE_IDS.staff, display_name: 'Marcus Reid', title: 'Senior Barber', bookable: true, locations: ['shoreditch'],
  services: [EXAMPLE_IDS.service], working_hours: { shoreditch: { ...locationExample.opening_hours, monday: [{ opens: '09:00', closes: '13:00' }, { opens: '14:00', closes: '19:00' }], sunday: [] } },
  time_off: [{ date: '2026-12-03', starts: '09:00', ends: '11:00', location: null }], extra_hours: [],
  created_at: '2026-11-20T10:00:00Z', updated_at: '2026-11-20T10:00:00Z',
};

export const availabilityExample = {
  object: 'availability', location: 'shoreditch', service: EXAMPLE_IDS.service, time_zone: 'Europe/London', from: '2026-12-01', to: '2026-12-07',
  slots: [
    { starts_at: '2026-12-01T09:00:00Z', ends_at: '2026-12-01T09:45:00Z', staff_id: EXAMPLE_IDS.staff },
    { starts_at: '2026-12-01T09:15:00Z', ends_at: '2026-12-01T10:00:00Z', staff_id: EXAMPLE_IDS.staff },
  ],
};
