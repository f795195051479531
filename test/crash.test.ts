// Crash test (issue 9): a bounded booking storm over real HTTP against the real server process, SIGKILL of that
// process mid-storm, a restart on the same data (the same SQLite file / the same PostgreSQL schema). Every booking
// the server acknowledged with 201 must exist afterwards, as acknowledged; no two live bookings of a staff
// member overlap; /readyz answers ready. Both engines, about 20–40 s each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, freshTarget } from './helpers/engines.js';
import { seedOrg } from './helpers/app.js';
import { seedShop } from './helpers/shop.js';
import { post } from './helpers/http.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { openDatabase } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { addDays } from '../src/lib/zoned-date.js';

const WORKERS = 12; // concurrent clients
const STORM_BEFORE_KILL_MS = 2500; // the storm runs this long, then the server is killed under it
const PER_REQUEST_TIMEOUT_MS = 10_000;

interface Slot { starts_at: string; staff_id: string }
interface Acked { reference: string; starts_at: string; staff: string }

forEachEngine('crash: SIGKILL in the middle of a booking storm', (engine) => {
  test('every 201 survives, no overlaps, ready after restart', { timeout: 90_000 }, async () => {
    const { target, drop } = await freshTarget(engine);
    const database = openDatabase(target);
    const servers: ServerProcess[] = [];
    try {
      await migrate(database);
      const org = await seedOrg(database);
      const shop = await seedShop(database, org.orgId, Date.now());
      const url = target.kind === 'postgres' ? target.url : `sqlite:${target.file}`;
      // Shedding off: a 503 under a busy test machine would only make the storm thinner.
      const env = { SHED_MAX_EVENT_LOOP_DELAY_MS: '0' };
      servers.push(await startServerProcess(url, env));
      const first = servers[0]!;

      // The slots offered over the next week for both staff (15 minutes apart, 40-minute blocks: neighbours
      // overlap), so the storm's requests are valid and collide with each other; enough of them that the storm
      // is still booking, not only colliding, when the process dies.
      const from = addDays(new Date().toISOString().slice(0, 10), 2);
      const res = await fetch(`${first.base}/v1/locations/${shop.location.slug}/availability?service=${shop.haircut.id}&from=${from}&to=${addDays(from, 6)}`, { headers: { authorization: `Bearer ${org.readKey}` } });
      assert.equal(res.status, 200);
      const slots = ((await res.json()) as { slots: Slot[] }).slots;
      assert.ok(slots.length >= 100, `${slots.length} slots offered`);

      const acked: Acked[] = [];
      const outcomes: Record<string, number> = {};
      let inFlightAtKill = -1;
      let inFlight = 0;
      let killed = false;
      let killedAt = Infinity;
      const ackTimes: number[] = [];
      let seq = 0;
      const worker = async () => {
        while (!killed) {
          const slot = slots[(seq++ * 7919) % slots.length]!; // spread over the slots, revisiting them
          const body = { location: shop.location.slug, service: shop.haircut.id, staff: slot.staff_id, client: shop.client.id, starts_at: slot.starts_at };
          inFlight++;
          try {
            const r = await Promise.race([
              post(first.base, '/v1/bookings', org.writeKey, body),
              new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), PER_REQUEST_TIMEOUT_MS)),
            ]);
            outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
            if (r.status === 201) {
              acked.push({ reference: r.body.reference, starts_at: r.body.starts_at, staff: slot.staff_id });
              ackTimes.push(Date.now());
            }
          } catch {
            outcomes.error = (outcomes.error ?? 0) + 1; // the connection died with the process: not acknowledged
          } finally {
            inFlight--;
          }
        }
      };
      const storm = Array.from({ length: WORKERS }, worker);
      await new Promise((r) => setTimeout(r, STORM_BEFORE_KILL_MS));
      inFlightAtKill = inFlight;
      killedAt = Date.now();
      killed = true; // no new requests; those in flight die with the process
      await first.stop('SIGKILL');
      await Promise.all(storm);
      assert.equal(first.child.signalCode, 'SIGKILL');
      assert.ok(inFlightAtKill > 0, 'requests were in flight when the process died');
      assert.ok(acked.length > 0 && (outcomes['409'] ?? 0) > 0, `the storm both booked and collided: ${JSON.stringify(outcomes)}`);
      assert.ok(Object.keys(outcomes).every((s) => ['201', '409', 'error'].includes(s)), JSON.stringify(outcomes));

      // Restart on the same data.
      servers.push(await startServerProcess(url, env));
      const second = servers[1]!;
      const ready = await fetch(`${second.base}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready' });

      for (const a of acked) {
        const got = await fetch(`${second.base}/v1/bookings/${a.reference}`, { headers: { authorization: `Bearer ${org.readKey}` } });
        assert.equal(got.status, 200, `acknowledged booking ${a.reference} is gone`);
        const b = (await got.json()) as { starts_at: string; staff: { id: string }; status: string };
        assert.equal(b.starts_at, a.starts_at);
        assert.equal(b.staff.id, a.staff);
        assert.equal(b.status, 'confirmed');
      }

      const rows = await database.db.selectFrom('bookings').select(['reference', 'staff_id', 'start_ms', 'block_end_ms'])
        .where('org_id', '=', org.orgId).where('status', '<>', 'cancelled').orderBy('staff_id').orderBy('start_ms').execute();
      assert.ok(rows.length >= acked.length);
      for (let i = 1; i < rows.length; i++) {
        const [p, q] = [rows[i - 1]!, rows[i]!];
        if (p.staff_id === q.staff_id) assert.ok(Number(p.block_end_ms) <= Number(q.start_ms), `${p.reference} overlaps ${q.reference}`);
      }
      console.log(`# crash [${engine}]: ${JSON.stringify(outcomes)}, ${inFlightAtKill} in flight at SIGKILL, ${ackTimes.filter((t) => t > killedAt - 500).length} acknowledged in its last 500 ms, ${acked.length} acknowledged, ${rows.length} stored`);
    } finally {
      for (const s of servers) await s.stop('SIGKILL');
      await database.close();
      await drop();
    }
  });
});
