/**
 * The Hub's types, derived from the response schemas of `/hub/api` (`src/modules/hub/hub.schemas.ts`):
 * what the server declares it sends is what the pages are written against. Type-only imports: nothing of
 * the server (nor zod) is bundled.
 */
import type { z } from 'zod';
import type * as H from '../../src/modules/hub/hub.schemas.js';

type Out<T extends z.ZodType> = z.output<T>;

export type Session = Out<typeof H.HubSession>;
export type Role = Session['role'];
export interface List<T> { object: 'list'; data: T[]; has_more?: boolean; next_cursor?: string | null }
export type Team = Out<typeof H.Team>;
export type InvitationPreview = Out<typeof H.InvitationPreview>;
export type CreatedInvitation = Out<typeof H.CreatedInvitation>;
export type ApiKey = Out<typeof H.HubApiKey>;
export type CreatedApiKey = Out<typeof H.CreatedApiKey>;

export type Location = Out<typeof H.HubLocation>;
export type Service = Out<typeof H.HubService>;
export type Staff = Out<typeof H.HubStaff>;
export type StaffException = Out<typeof H.StaffException>;

export type Booking = Out<typeof H.Booking>;
export type BookingStatus = Booking['status'];
/** Rules a Hub member may knowingly set aside for a walk-in (never an overlap with another booking). */
export type SettableRule = Booking['rules_set_aside'][number];
/** One booking as the booking panel reads it: with the client's contact details. */
export type BookingDetail = Out<typeof H.HubBooking>;
export type Cancellation = Out<typeof H.Cancellation>;
export type Availability = Out<typeof H.Availability>;
export type Slot = Availability['slots'][number];

/** One local day of a location: 23 or 25 hours on a clock change. */
export type DiaryDayBody = Out<typeof H.DiaryDayBody>;
export type DiaryDay = Out<typeof H.DiaryDay>;
export type DiaryWeek = Out<typeof H.DiaryWeek>;
export type DiaryStaff = Out<typeof H.DiaryStaff>;
export type DiaryLocation = DiaryDay['location'];
export type DiaryService = DiaryDay['services'][number];
export type Interval = DiaryDayBody['opening_hours'][number];

export type Client = Out<typeof H.HubClient>;
export type ClientPage = Out<typeof H.ClientPage>;

export const clientName = (c: { first_name: string | null; last_name: string | null; erased_at?: string | null }) =>
  c.erased_at ? 'Erased client' : [c.first_name, c.last_name].filter(Boolean).join(' ') || 'Unnamed client';
