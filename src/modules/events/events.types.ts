/** The event types of API.md §8, as published: the closed list. */
export const EVENT_TYPES = [
  'booking.created', 'booking.rescheduled', 'booking.cancelled', 'booking.completed', 'booking.no_show',
  'client.created', 'client.updated', 'client.erased',
  'location.created', 'location.updated',
  'service.created', 'service.updated',
  'staff.created', 'staff.updated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
