import type { Database } from '../../db/connect.js';
import { ApiError } from '../../http/errors.js';
import { iso } from '../../http/schemas.js';
import { localDate, addDays, daysBetween } from '../../lib/zoned-date.js';
import { requireLocation } from '../locations/locations.service.js';
import { requireService } from '../catalog/catalog.service.js';
import { requireStaff } from '../staff/staff.service.js';
import { isServiceOfferedAt } from '../catalog/catalog.repo.js';
import { findBookingByReference } from '../bookings/bookings.repo.js';
import { normaliseReference } from '../bookings/reference.js';
import { computeSlots } from './engine/index.js';
import { eligibleStaffIds, loadEngineInput } from './availability.context.js';

export const MAX_RANGE_DAYS = 62;

export async function getAvailability(
  database: Database,
  orgId: string,
  slug: string,
  query: { service: string; staff?: string; from?: string; to?: string; exclude_booking?: string },
  now: number,
) {
  const location = await requireLocation(database, orgId, slug);
  const service = await requireService(database, orgId, query.service, 'service');
  const from = query.from ?? localDate(now, location.time_zone);
  const to = query.to ?? addDays(from, 6);
  if (to < from) throw new ApiError('parameter_invalid', '`to` must not be before `from`.', 'to');
  if (daysBetween(from, to) > MAX_RANGE_DAYS) throw new ApiError('parameter_invalid', `\`from\` and \`to\` may be at most ${MAX_RANGE_DAYS} days apart.`, 'to');
  if (service.active !== 1 || !(await isServiceOfferedAt(database.db, orgId, service.id, location.id))) {
    throw new ApiError('parameter_invalid', 'This service is not offered at this location.', 'service');
  }
  const eligible = await eligibleStaffIds(database.db, orgId, location.id, service.id);
  let staffIds = eligible;
  if (query.staff !== undefined) {
    const staff = await requireStaff(database, orgId, query.staff, 'staff');
    if (!eligible.includes(staff.id)) throw new ApiError('parameter_invalid', 'This staff member does not offer this service at this location.', 'staff');
    staffIds = [staff.id];
  }
  let excludeBookingId: string | undefined;
  if (query.exclude_booking !== undefined) {
    const booking = await findBookingByReference(database.db, orgId, normaliseReference(query.exclude_booking));
    if (!booking) throw new ApiError('resource_not_found', `No booking with reference \`${query.exclude_booking}\`.`, 'exclude_booking');
    excludeBookingId = booking.id;
  }
  const input = await loadEngineInput(database.db, orgId, { location, service, staffIds, from, to, now, excludeBookingId });
  const slots = computeSlots(input);
  return {
    object: 'availability' as const,
    location: location.slug,
    service: service.id,
    time_zone: location.time_zone,
    from,
    to,
    slots: slots.map((s) => ({ starts_at: iso(s.start), ends_at: iso(s.end), staff_id: s.staffId })),
  };
}
