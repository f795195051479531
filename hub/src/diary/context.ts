import type { DiaryLocation, DiaryService, DiaryStaff } from '../types';

/** What the diary's dialogs need from the view they were opened in (a day or a week). */
export interface DiaryContext { location: DiaryLocation; staff: DiaryStaff[]; services: DiaryService[] }

/** Staff who can take a service here: bookable, and offering it. */
export const staffFor = (ctx: DiaryContext, serviceId: string) => ctx.staff.filter((s) => s.bookable && (!serviceId || s.service_ids.includes(serviceId)));
