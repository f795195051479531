import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from './errors.js';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

/** `limit` and `cursor`, shared by every list's query schema. */
export const listQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe('1 to 100, default 25.'),
  cursor: z.string().min(1).max(512).optional().describe('`next_cursor` from the previous page.'),
};

/**
 * A list filter's value: present means "filter by this", so an empty or blank value is
 * `400 parameter_invalid` (API.md §6), never "no filter".
 */
export const filterParam = (max: number) =>
  z.string().max(max).refine((v) => v.trim().length > 0, 'must not be empty or blank: leave the filter out to list everything');

export type Position = (string | number)[];

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * Opaque, signed cursors. The payload names the list and the org, so a cursor from another list or org,
 * or one with a changed byte, is refused as `parameter_invalid` on `cursor`. The key is a secret shared by
 * every instance through the database.
 */
export function cursorCodec(secret: string) {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest().subarray(0, 12);
  const invalid = () => new ApiError('parameter_invalid', 'The cursor is not valid for this list. Use `next_cursor` from the previous page.', 'cursor');
  return {
    encode(list: string, orgId: string, position: Position): string {
      const payload = Buffer.from(JSON.stringify([list, orgId, position])).toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },
    decode(list: string, orgId: string, cursor: string): Position {
      const [payload, mac, extra] = cursor.split('.');
      if (!payload || !mac || extra !== undefined) throw invalid();
      const given = Buffer.from(mac, 'base64url');
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      const [l, o, position] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [string, string, Position];
      if (l !== list || o !== orgId || !Array.isArray(position)) throw invalid();
      return position;
    },
  };
}

export type CursorCodec = ReturnType<typeof cursorCodec>;

/** Repos fetch `limit + 1` rows; this trims and builds the page with the next cursor. */
export function toPage<R, T>(rows: R[], limit: number, map: (r: R) => T, next: (last: R) => string): ListPage<T> {
  const hasMore = rows.length > limit;
  const kept = hasMore ? rows.slice(0, limit) : rows;
  return { object: 'list', data: kept.map(map), has_more: hasMore, next_cursor: hasMore ? next(kept[kept.length - 1]!) : null };
}

export const listSchema = <T extends z.ZodType>(item: T) =>
  z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() });
