import path from 'node:path';
import autocannon from 'autocannon';
import { startTarget, stopTarget, load, summarise, type LoadResult } from './http.js';
import { addDays } from '../src/lib/zoned-date.js';
import { openDatabase } from '../src/db/connect.js';
import { bookableBodies, bookingTrickle, engineEnv, servedJson } from './scale.bench.js';

const sqliteEnv = () => engineEnv('sqlite');

export interface AvailabilityBench { reads: LoadResult; mixed: LoadResult & { writes: LoadResult }; slots: number; bookings: number }

/**
 * Issue 3: GET …/availability for 14 days, any staff, over HTTP on SQLite, 50 connections. Measured twice:
 * reads alone (an unchanged shop: answers are memoised), and while bookings are being made at 20 per second
 * (each one changes the data, so answers are recomputed after every booking).
 */
export async function benchAvailabilityHttp(): Promise<AvailabilityBench> {
  const { env, cleanup } = sqliteEnv();
  const t = await startTarget({ ...env, BENCH_SEED: 'availability' });
  const { port, key, location, service, from, bookings } = t.info;
  const url = `http://127.0.0.1:${port}/v1/locations/${location}/availability?service=${service}&from=${from}&to=${addDays(from, 13)}`;
  const headers = { authorization: `Bearer ${key}` };
  const sample = await servedJson(url, headers) as { slots: { starts_at: string; staff_id: string }[] };
  await load({ url, headers, duration: 2 });
  const reads = await load({ url, headers, connections: 50, duration: 8 });
  // Book free slots at 20/s while the reads run, so each booking succeeds and changes the data.
  const writer = bookingTrickle(port, key, bookableBodies(t.info, sample.slots), 20, 8);
  const [mixedReads, writes] = await Promise.all([load({ url, headers, connections: 50, duration: 8 }), writer]);
  await stopTarget(t);
  cleanup();
  return { reads, mixed: { ...mixedReads, writes: summarise(writes) }, slots: sample.slots.length, bookings };
}

interface BookingPlan { base: string; key: string; bodies: string[] }

/** Non-overlapping bookings: every staff member, every day, on the hour (45 min + 10 min buffer fit). */
function planSpread(info: Record<string, any>, count: number): string[] {
  const bodies: string[] = [];
  for (let day = 0; bodies.length < count && day < 60; day++) {
    for (let hour = 8; hour < 19 && bodies.length < count; hour++) {
      for (const staff of info.staff as string[]) {
        if (bodies.length >= count) break;
        bodies.push(JSON.stringify({ location: info.location, service: info.service, staff, client: info.client, starts_at: `${addDays(info.firstDay, day)}T${String(hour).padStart(2, '0')}:00:00Z` }));
      }
    }
  }
  // shuffle so concurrent requests spread over staff and days
  for (let i = bodies.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [bodies[i], bodies[j]] = [bodies[j]!, bodies[i]!];
  }
  return bodies;
}

async function fire(plan: BookingPlan, connections: number): Promise<LoadResult> {
  let next = 0;
  const r = await autocannon({
    url: `${plan.base}/v1/bookings`,
    connections,
    amount: plan.bodies.length,
    method: 'POST',
    headers: { authorization: `Bearer ${plan.key}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: plan.bodies[next++ % plan.bodies.length] }) }],
  } as autocannon.Options);
  return summarise(r);
}

async function countOverlaps(databaseUrl: string | undefined, dataDir: string | undefined, orgId: string): Promise<{ live: number; overlaps: number }> {
  const database = openDatabase(databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite', file: path.join(dataDir!, 'setora.db') });
  const rows = await database.db.selectFrom('bookings').select(['staff_id', 'start_ms', 'block_end_ms']).where('org_id', '=', orgId)
    .where('status', '<>', 'cancelled').orderBy('staff_id').orderBy('start_ms').execute();
  await database.close();
  let overlaps = 0;
  for (let i = 1; i < rows.length; i++) if (rows[i - 1]!.staff_id === rows[i]!.staff_id && rows[i - 1]!.block_end_ms > rows[i]!.start_ms) overlaps++;
  return { live: rows.length, overlaps };
}

export interface BookingBench { engine: string; spread: LoadResult; contention: LoadResult & { live: number; overlaps: number; conflictRate: number } }

/** Issue 4: POST /v1/bookings throughput (spread, rare conflicts) and heavy contention (20 slots), one engine. */
export async function benchBookings(engine: 'sqlite' | 'postgres', pgUrl?: string): Promise<BookingBench> {
  const sqlite = engine === 'sqlite' ? sqliteEnv() : undefined;
  const env = sqlite ? sqlite.env : { DATABASE_URL: pgUrl! };
  const t = await startTarget({ ...env, BENCH_SEED: 'bookings' });
  const base = `http://127.0.0.1:${t.info.port}`;
  const spreadBodies = planSpread(t.info, 4000);
  await fire({ base, key: t.info.key, bodies: spreadBodies.slice(0, 300) }, 20); // warm-up
  const spread = await fire({ base, key: t.info.key, bodies: spreadBodies.slice(300) }, 20);
  // Contention: every request aims at one of 20 (staff, start) pairs far from the spread's days.
  const hot = Array.from({ length: 20 }, (_, i) => JSON.stringify({
    location: t.info.location, service: t.info.service, staff: t.info.staff[i % 4], client: t.info.client,
    starts_at: `${addDays(t.info.firstDay, 70 - 1 - 10)}T${String(8 + Math.floor(i / 4)).padStart(2, '0')}:${['00', '15', '30', '45'][i % 4]}:00Z`,
  }));
  const contended = await fire({ base, key: t.info.key, bodies: Array.from({ length: 2000 }, (_, i) => hot[i % hot.length]!) }, 50);
  await stopTarget(t);
  const counted = await countOverlaps(engine === 'postgres' ? pgUrl : undefined, sqlite?.env.DATA_DIR, t.info.orgId);
  sqlite?.cleanup();
  const conflicts = contended.statusCounts['409'] ?? 0;
  return { engine, spread, contention: { ...contended, ...counted, conflictRate: conflicts / Math.max(1, contended.total) } };
}
