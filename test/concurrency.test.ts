import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { listen, post } from './helpers/http.js';

const NOW = Date.parse('2026-11-23T08:00:00Z');

/** No two live bookings of one staff member overlap (buffers included), checked in the database itself. */
export async function assertNoOverlaps(ctx: TestContext, orgId: string): Promise<number> {
  const rows = await ctx.database.db.selectFrom('bookings').select(['staff_id', 'start_ms', 'block_end_ms', 'reference'])
    .where('org_id', '=', orgId).where('status', '<>', 'cancelled').orderBy('staff_id').orderBy('start_ms').execute();
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    if (a.staff_id === b.staff_id) assert.ok(a.block_end_ms <= b.start_ms, `overlap: ${a.reference} and ${b.reference}`);
  }
  return rows.length;
}

forEachEngine('concurrency and idempotency over real HTTP', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  let shop: TestShop;
  let base: string;
  const booking = (startsAt: string, extra: Record<string, unknown> = {}) =>
    ({ location: shop.location.slug, service: shop.haircut.id, staff: shop.blake.id, client: shop.client.id, starts_at: startsAt, ...extra });
  before(async () => {
    ctx = await startTestApp(engine, {}, { now: NOW });
    org = await seedOrg(ctx.database, NOW - 1000);
    shop = await seedShop(ctx.database, org.orgId, NOW - 1000);
    base = await listen(ctx.app);
  });
  after(() => ctx.close());

  test('50 concurrent bookings of the same staff and start: exactly one 201, the rest 409 overlaps_booking', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => post(base, '/v1/bookings', org.writeKey, booking('2026-11-24T11:00:00Z'))));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 49);
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.error.reason, 'overlaps_booking');
    assert.equal(await assertNoOverlaps(ctx, org.orgId), 1);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const conflicts = Number(/setora_booking_conflicts_total\{reason="overlaps_booking"\} (\d+)/.exec(metrics)?.[1]);
    assert.ok(conflicts >= 49, `booking conflicts counted: ${conflicts}`);
  });

  test('50 concurrent overlapping-but-different starts: no two live bookings overlap', async () => {
    const starts = Array.from({ length: 50 }, (_, i) => new Date(Date.parse('2026-11-25T10:00:00Z') + (i % 25) * 15 * 60_000).toISOString());
    const results = await Promise.all(starts.map((s) => post(base, '/v1/bookings', org.writeKey, booking(s))));
    assert.ok(results.every((r) => r.status === 201 || r.status === 409), JSON.stringify(results.map((r) => r.status)));
    const made = results.filter((r) => r.status === 201).length;
    assert.ok(made >= 6, `a fair number succeed (${made})`);
    await assertNoOverlaps(ctx, org.orgId);
  });

  test('reschedules racing new bookings never overlap', async () => {
    const movers = [];
    for (let i = 0; i < 8; i++) {
      const r = await post(base, '/v1/bookings', org.writeKey, booking(`2026-11-26T${String(10 + i).padStart(2, '0')}:00:00Z`));
      assert.equal(r.status, 201);
      movers.push(r.body.reference as string);
    }
    const target = '2026-11-27T12:00:00Z';
    const jobs = [
      ...movers.map((ref) => post(base, `/v1/bookings/${ref}/reschedule`, org.writeKey, { starts_at: target })),
      ...Array.from({ length: 12 }, () => post(base, '/v1/bookings', org.writeKey, booking(target))),
      ...movers.map((ref) => post(base, `/v1/bookings/${ref}/reschedule`, org.writeKey, { starts_at: '2026-11-27T12:15:00Z' })),
    ];
    const results = await Promise.all(jobs);
    assert.ok(results.every((r) => [200, 201, 409].includes(r.status)), JSON.stringify(results.map((r) => r.status)));
    await assertNoOverlaps(ctx, org.orgId);
    const atTarget = await ctx.database.db.selectFrom('bookings').select('id').where('org_id', '=', org.orgId).where('status', '=', 'confirmed')
      .where('staff_id', '=', shop.blake.id).where('start_ms', '>=', Date.parse(target)).where('start_ms', '<', Date.parse(target) + 30 * 60_000).execute();
    assert.equal(atTarget.length, 1);
  });

  test('idempotency: sequential replay is byte-identical; different body → 422; validation failures are not stored', async () => {
    const key = `idem-${Date.now()}`;
    const first = await post(base, '/v1/bookings', org.writeKey, booking('2026-11-24T14:00:00Z'), { 'idempotency-key': key });
    assert.equal(first.status, 201);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const again = await post(base, '/v1/bookings', org.writeKey, booking('2026-11-24T14:00:00Z'), { 'idempotency-key': key });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.text, first.text);
    const reordered = await post(base, '/v1/bookings', org.writeKey, Object.fromEntries(Object.entries(booking('2026-11-24T14:00:00Z')).reverse()), { 'idempotency-key': key });
    assert.equal(reordered.text, first.text, 'same fields in another order are the same request');
    const other = await post(base, '/v1/bookings', org.writeKey, booking('2026-11-24T15:00:00Z'), { 'idempotency-key': key });
    assert.equal(other.status, 422);
    assert.equal(other.body.error.code, 'idempotency_key_reused');
    const otherPath = await post(base, '/v1/clients', org.writeKey, { first_name: 'X', email: 'x@example.com' }, { 'idempotency-key': key });
    assert.equal(otherPath.status, 422);

    const k2 = `idem-bad-${Date.now()}`;
    const invalid = await post(base, '/v1/bookings', org.writeKey, { ...booking('2026-11-24T16:00:00Z'), starts_at: 'soon' }, { 'idempotency-key': k2 });
    assert.equal(invalid.status, 400);
    const valid = await post(base, '/v1/bookings', org.writeKey, booking('2026-11-24T16:00:00Z'), { 'idempotency-key': k2 });
    assert.equal(valid.status, 201, 'the failed validation did not claim the key');

    const k3 = `idem-409-${Date.now()}`;
    const conflict = await post(base, '/v1/bookings', org.writeKey, booking('2026-11-24T16:00:00Z'), { 'idempotency-key': k3 });
    assert.equal(conflict.status, 409);
    const conflictAgain = await post(base, '/v1/bookings', org.writeKey, booking('2026-11-24T16:00:00Z'), { 'idempotency-key': k3 });
    assert.equal(conflictAgain.text, conflict.text);
    assert.equal(conflictAgain.headers.get('idempotent-replayed'), 'true');

    const tooLong = await post(base, '/v1/clients', org.writeKey, { first_name: 'Y', email: 'y@example.com' }, { 'idempotency-key': 'k'.repeat(256) });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.error.param, 'Idempotency-Key');
    // the same key in another org is another key
    const otherOrg = await seedOrg(ctx.database);
    const theirs = await post(base, '/v1/clients', otherOrg.writeKey, { first_name: 'Z', email: 'z@example.com' }, { 'idempotency-key': key });
    assert.equal(theirs.status, 201);
  });

  test('20 concurrent requests with one Idempotency-Key create exactly one booking', async () => {
    const key = `idem-race-${Date.now()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => post(base, '/v1/bookings', org.writeKey, booking('2026-11-28T10:00:00Z'), { 'idempotency-key': key })));
    const statuses = results.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 201 || s === 409), JSON.stringify(statuses));
    const created = results.filter((r) => r.status === 201);
    assert.ok(created.length >= 1);
    assert.equal(new Set(created.map((r) => r.body.reference)).size, 1, 'every 201 is the same booking');
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.error.code, 'idempotency_key_in_use');
    const rows = await ctx.database.db.selectFrom('bookings').select('id').where('org_id', '=', org.orgId).where('start_ms', '=', Date.parse('2026-11-28T10:00:00Z')).execute();
    assert.equal(rows.length, 1);
  });

  test('records are pruned after 24 hours: the key can then be used afresh', async () => {
    const key = `idem-old-${Date.now()}`;
    const first = await post(base, '/v1/clients', org.writeKey, { first_name: 'Old', email: `old-${Date.now()}@example.com` }, { 'idempotency-key': key });
    assert.equal(first.status, 201);
    ctx.clock.now = NOW + 24 * 3_600_000 + 1000;
    try {
      const fresh = await post(base, '/v1/clients', org.writeKey, { first_name: 'New', email: `new-${Date.now()}@example.com` }, { 'idempotency-key': key });
      assert.equal(fresh.status, 201);
      assert.equal(fresh.headers.get('idempotent-replayed'), null);
    } finally {
      ctx.clock.now = NOW;
    }
  });
});
