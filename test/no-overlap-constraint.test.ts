import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { insertBooking, type BookingPatch, type BookingRow } from '../src/modules/bookings/bookings.repo.js';
import { isOverlapViolation } from '../src/db/errors.js';
import { newId, newReference } from '../src/lib/ids.js';

const T = Date.parse('2026-12-01T10:00:00Z');
const MIN = 60_000;

/**
 * The database itself refuses overlapping live bookings of one staff member (buffer included), below any
 * service check: an exclusion constraint on PostgreSQL, triggers on SQLite.
 */
forEachEngine('no-overlap guarantee in the database', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  let shop: TestShop;
  before(async () => {
    ctx = await startTestApp(engine);
    org = await seedOrg(ctx.database);
    shop = await seedShop(ctx.database, org.orgId, Date.now());
  });
  after(() => ctx.close());

  const row = (staffId: string, start: number, minutes: number, buffer: number, status: BookingRow['status'] = 'confirmed'): Omit<BookingRow, 'org_id'> => ({
    id: newId('bkg'), reference: newReference(), status, location_id: shop.location.id, service_id: shop.haircut.id, staff_id: staffId, client_id: shop.client.id,
    start_ms: start, end_ms: start + minutes * MIN, block_end_ms: start + (minutes + buffer) * MIN, duration_minutes: minutes, buffer_minutes: buffer,
    price_amount: 0, currency: 'GBP', service_name: 'Haircut', notes: null, source: 'api', created_at: 0, updated_at: 0,
    cancelled_at: status === 'cancelled' ? 1 : null, cancellation_reason: null, cancelled_via: null, rules_set_aside: null,
  });
  // Straight to the table: this suite tests the database's own guarantee, not the use cases.
  const updateBooking = (db: typeof ctx.database.db, orgId: string, id: string, patch: BookingPatch) =>
    db.updateTable('bookings').set(patch).where('org_id', '=', orgId).where('id', '=', id).execute();
  const insert = (r: Omit<BookingRow, 'org_id'>) => insertBooking(ctx.database.db, org.orgId, r);
  const refused = async (p: Promise<unknown>, what: string) => {
    await assert.rejects(p, (err) => isOverlapViolation(err), what);
  };

  test('overlaps (including into a buffer) are refused; touching, other staff and cancelled rows are fine', async () => {
    await insert(row(shop.alex.id, T, 30, 10)); // busy 10:00–10:40
    await refused(insert(row(shop.alex.id, T, 30, 0)), 'same start');
    await refused(insert(row(shop.alex.id, T + 35 * MIN, 30, 0)), 'starts inside the buffer');
    await refused(insert(row(shop.alex.id, T - 20 * MIN, 30, 0)), 'ends inside');
    await refused(insert(row(shop.alex.id, T - 60 * MIN, 180, 0)), 'wraps around');
    await insert(row(shop.alex.id, T + 40 * MIN, 30, 0)); // touches the buffer's end
    await insert(row(shop.alex.id, T - 30 * MIN, 30, 0)); // ends exactly at the start
    await insert(row(shop.blake.id, T, 30, 10)); // another staff member
    await insert(row(shop.alex.id, T, 30, 10, 'cancelled')); // cancelled rows don't count
    const other = await seedOrg(ctx.database);
    const theirs = await seedShop(ctx.database, other.orgId, Date.now());
    await insertBooking(ctx.database.db, other.orgId, { ...row(theirs.alex.id, T, 30, 10), location_id: theirs.location.id, service_id: theirs.haircut.id, client_id: theirs.client.id });
  });

  test('moving a booking onto another, or un-cancelling into an overlap, is refused', async () => {
    const a = row(shop.alex.id, T + 5 * 60 * MIN, 30, 0);
    const b = row(shop.alex.id, T + 6 * 60 * MIN, 30, 0);
    await insert(a);
    await insert(b);
    await refused(updateBooking(ctx.database.db, org.orgId, b.id, { start_ms: a.start_ms + 10 * MIN, end_ms: a.end_ms + 10 * MIN, block_end_ms: a.end_ms + 10 * MIN }), 'move onto');
    await updateBooking(ctx.database.db, org.orgId, b.id, { start_ms: b.start_ms + 15 * MIN, end_ms: b.end_ms + 15 * MIN, block_end_ms: b.end_ms + 15 * MIN }); // moving itself is fine
    const c = row(shop.alex.id, a.start_ms, 30, 0, 'cancelled');
    await insert(c);
    await refused(updateBooking(ctx.database.db, org.orgId, c.id, { status: 'confirmed' }), 'un-cancel');
  });

  test('the database refuses a booking that points into another organisation', async () => {
    const other = await seedOrg(ctx.database);
    const theirs = await seedShop(ctx.database, other.orgId, Date.now());
    await assert.rejects(insert({ ...row(theirs.alex.id, T + 20 * 60 * MIN, 30, 0) }));
    await assert.rejects(insert({ ...row(shop.alex.id, T + 21 * 60 * MIN, 30, 0), client_id: theirs.client.id }));
  });
});
