import { DateTime } from 'luxon';

/**
 * What the demo shop made on first start (`npm start` on an empty database) always has, so that README's
 * walkthrough, docs/ and the OpenAPI examples can name it: fixed ids for its services and staff, one booking
 * with a known reference, and a window that the seeded bookings leave free. A shop made later by
 * `setora demo` gets random ids (ids are unique across organisations), the same names, and the same free window.
 * A leaf module (no imports from the app) because src/http/examples.ts reads it.
 */
export const DEMO_IDS = {
  services: {
    skinFade: 'svc_4kw618ey0dw6b3x6',
    classicCut: 'svc_xd88smvax3ty1gjg',
    beardTrim: 'svc_at5cmxszwrxswkfy',
    hotTowelShave: 'svc_zfxvkwaqy366j259',
    cutAndColour: 'svc_vczyr8kdnkgbwmxr',
    gelManicure: 'svc_wtnpcq679x0bvw27',
    browShape: 'svc_gpbx7rzkf7r8qwvh',
  },
  staff: {
    marcusReid: 'stf_cwk41y067q7fs98m',
    devPatel: 'stf_r4sshqzwk1nmdxqr',
    aishaKhan: 'stf_3f3xs7c7e9r00cc1',
    sofiaRossi: 'stf_3y9pzdd17t4t1xyh',
    tomHughes: 'stf_9gvq7fwtfx8mtww0',
    graceBennett: 'stf_v4w6emb6ps4rqs91',
  },
} as const;

/** A confirmed Skin Fade with Marcus Reid at Shoreditch, the next weekday at 15:00 (London), in every demo shop. */
export const DEMO_BOOKING_REFERENCE = 'K7QX-2M4P';

export const DEMO_TIME_ZONE = 'Europe/London';

/**
 * Marcus Reid (Shoreditch, Monday to Friday) is left free by the seeded bookings and time off from 10:00 to
 * 12:30 local time, so the documented examples (a Skin Fade at 10:00, rescheduled to 11:30) can be booked as
 * printed. Minutes after local midnight.
 */
export const DEMO_KEPT_FREE = { staffId: DEMO_IDS.staff.marcusReid, weekdays: [1, 2, 3, 4, 5], start: 10 * 60, end: 12 * 60 + 30 } as const;

/**
 * Contact details in the demo shop come from Ofcom's fictional 01632 960xxx range and the `example.org`
 * domain; documentation and OpenAPI examples use 07700 900xxx / 020 7946 0xxx and `example.com`, so a
 * documented example never matches a demo client (test/demo.test.ts checks both ways).
 */
export const demoPhone = (n: number): string => `+441632960${String(n).padStart(3, '0')}`;
export const DEMO_EMAIL_DOMAIN = 'example.org';

/**
 * The demo shop's next weekday after the day of `now` (London), as an instant at `minutes` after local
 * midnight (RFC 3339, UTC). Used for live "Try it out" examples and the demo booking. Set as a wall-clock
 * time, so a clock-change day still gives 10:00 local (Luxon resolves the zone's offset that day).
 */
export function nextDemoWeekdayAt(now: number, minutes: number): string {
  let day = DateTime.fromMillis(now, { zone: DEMO_TIME_ZONE }).startOf('day').plus({ days: 1 });
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toUTC().toISO({ suppressMilliseconds: true })!;
}
