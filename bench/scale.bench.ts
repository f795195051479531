/**
 * Issue 13: the scale-out path measured against the embedded default, both engines in one run, on the same
 * data (the `availability` seed) and under the same load: reads of 14 days of any-staff availability while a
 * booking lands in the measured shop every 250 ms (each one changes what the next read must show).
 *
 * Run alone: BENCH_ONLY=scale npm run bench
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
import { startTarget, stopTarget, load, summarise, type LoadResult } from './http.js';
import { addDays } from '../src/lib/zoned-date.js';

export type BenchEngine = 'sqlite' | 'postgres';

/** Server environment for a fresh database on the engine (a temp directory, or the given PostgreSQL URL). */
export function engineEnv(engine: BenchEngine, pgUrl?: string): { env: Record<string, string>; cleanup: () => void } {
  if (engine === 'postgres') return { env: { DATABASE_URL: pgUrl! }, cleanup: () => undefined };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setora-bench-'));
  return { env: { DATA_DIR: dir, DATABASE_URL: '' }, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Request bodies that each book a slot the availability answer offers (per staff member, an hour apart). */
export function bookableBodies(info: Record<string, any>, slots: { starts_at: string; staff_id: string }[]): string[] {
  const lastByStaff = new Map<string, number>();
  return slots.filter((s) => {
    const t = Date.parse(s.starts_at);
    if (t < (lastByStaff.get(s.staff_id) ?? 0) + 3_600_000) return false; // 45 min + 10 min buffer fit in an hour
    lastByStaff.set(s.staff_id, t);
    return true;
  }).map((s) => JSON.stringify({ location: info.location, service: info.service, staff: s.staff_id, starts_at: s.starts_at, client: info.client }));
}

/** Books offered slots at `perSecond` into the shop for `seconds`, alongside whatever else runs. */
export function bookingTrickle(port: number, key: string, bodies: string[], perSecond: number, seconds: number) {
  let next = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}/v1/bookings`, connections: 1, overallRate: perSecond, duration: seconds, method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
  } as autocannon.Options);
}

/** GET as JSON, retried while the server sheds (503: a server that has just seeded its data may lag at first). */
export async function servedJson(url: string, headers: Record<string, string>): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { headers });
    if (res.status !== 503 || attempt >= 50) return res.json();
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ServedResult { served: number; shed: number; other: number; rps: number; p50: number; p99: number; max: number; statuses: Record<string, number> }

/** Resident set size of a process in MiB (Linux `/proc/<pid>/status`), or NaN elsewhere. */
export function rssMiB(pid: number | undefined): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return Number.NaN;
  }
}

/**
 * Many connections at once; latency percentiles of the requests that were served (2xx) only, as a shed
 * request (503) is quick by design and would flatter the figure.
 */
export async function servedUnderFlood(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<ServedResult> {
  // In its own process (the load generator's event loop must not be this one, which also books), with
  // autocannon's own histogram of the served answers only (--excludeErrorStats), on two worker threads: on one,
  // 2,000 sockets saturate the generator itself and its own queueing shows up as the server's latency (served
  // p99 ~640 ms with 97% shed and the server idle between answers, in about a third of runs).
  const args = [require.resolve('autocannon/autocannon.js'), '-w', '2', '-j', '-x', '-c', String(connections), '-d', String(seconds), '-t', '30'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  await new Promise((r) => child.once('exit', r));
  const r = JSON.parse(out) as autocannon.Result;
  const statuses: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.statusCodeStats ?? {})) statuses[k] = (v as { count: number }).count;
  const served = Object.entries(statuses).filter(([k]) => k.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  const shed = statuses['503'] ?? 0;
  const other = Object.entries(statuses).filter(([k]) => !k.startsWith('2') && k !== '503').reduce((n, [, c]) => n + c, 0) + r.errors + r.timeouts;
  if (r.errors) statuses.errors = r.errors;
  if (r.timeouts) statuses.timeouts = r.timeouts;
  return { served, shed, other, rps: Math.round(served / seconds), p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, statuses };
}

export interface ScaleBench { engine: BenchEngine; slots: number; bookings: number; reads: LoadResult; writes: LoadResult }

/** One engine: 32 connections read availability for 10 s while a booking lands every 250 ms. */
export async function benchScale(engine: BenchEngine, pgUrl?: string, opts: { seconds?: number; env?: Record<string, string> } = {}): Promise<ScaleBench> {
  const seconds = opts.seconds ?? 10;
  const { env, cleanup } = engineEnv(engine, pgUrl);
  const t = await startTarget({ ...env, BENCH_SEED: 'availability', ...opts.env });
  try {
    const { port, key, location, service, from, bookings } = t.info;
    const url = `http://127.0.0.1:${port}/v1/locations/${location}/availability?service=${service}&from=${from}&to=${addDays(from, 13)}`;
    const headers = { authorization: `Bearer ${key}` };
    const sample = await servedJson(url, headers) as { slots: { starts_at: string; staff_id: string }[] };
    const bodies = bookableBodies(t.info, sample.slots);
    await load({ url, headers, connections: 32, duration: 2 }); // warm-up
    const [reads, writes] = await Promise.all([
      load({ url, headers, connections: 32, duration: seconds }),
      bookingTrickle(port, key, bodies.slice(0, 4 * seconds), 4, seconds),
    ]);
    return { engine, slots: sample.slots.length, bookings, reads, writes: summarise(writes) };
  } finally {
    await stopTarget(t);
    cleanup();
  }
}

export interface FloodBench { engine: BenchEngine; shedding: boolean; flood: ServedResult; rss: { before: number; after: number } }

/**
 * Issues 9 and 13: 2,000 connections for `seconds` on availability (one day, any staff) with the same trickle of
 * bookings, with load shedding as configured by default or turned off (`shedding: false` ⇒
 * SHED_MAX_EVENT_LOOP_DELAY_MS=0 and SHED_MAX_IN_FLIGHT=0): requests served, their latency, 503s, anything else, the server's RSS.
 */
export async function benchFlood(engine: BenchEngine, pgUrl: string | undefined, shedding: boolean, seconds = 10): Promise<FloodBench> {
  const { env, cleanup } = engineEnv(engine, pgUrl);
  const t = await startTarget({ ...env, BENCH_SEED: 'availability', ...(shedding ? {} : { SHED_MAX_EVENT_LOOP_DELAY_MS: '0', SHED_MAX_IN_FLIGHT: '0' }) });
  try {
    const { port, key, location, service, from } = t.info;
    const base = `http://127.0.0.1:${port}/v1/locations/${location}/availability?service=${service}&from=${from}`;
    const headers = { authorization: `Bearer ${key}` };
    const sample = await servedJson(`${base}&to=${addDays(from, 13)}`, headers) as { slots: { starts_at: string; staff_id: string }[] };
    const bodies = bookableBodies(t.info, sample.slots);
    // One day's free times (the booking page's question): small answers, so the one load generator on this
    // machine reads them as fast as the server writes them.
    const url = `${base}&to=${from}`;
    await load({ url, headers, connections: 32, duration: 2 }); // warm-up
    const before = rssMiB(t.child.pid);
    const [flood] = await Promise.all([
      servedUnderFlood(url, headers, 2000, seconds),
      bookingTrickle(port, key, bodies.slice(0, 4 * seconds), 4, seconds),
    ]);
    return { engine, shedding, flood, rss: { before, after: rssMiB(t.child.pid) } };
  } finally {
    await stopTarget(t);
    cleanup();
  }
}

/**
 * The ceiling of this machine for the same flood: a bare Fastify route answering a fixed JSON (no auth, no
 * database, no shedding), measured with the same load generator. On two cores the generator shares the CPU
 * with the server, so latency beyond this row is the server's; up to it, it is the generator's and the kernel's.
 */
export async function benchFloodBare(seconds = 10): Promise<ServedResult & { rss: { before: number; after: number } }> {
  const t = await startTarget({ BENCH_MODE: 'bare', BENCH_BODY: JSON.stringify({ object: 'list', data: [] }) });
  try {
    const url = `http://127.0.0.1:${t.info.port}/v1/locations`;
    await load({ url, connections: 32, duration: 2 });
    const before = rssMiB(t.child.pid);
    const flood = await servedUnderFlood(url, {}, 2000, seconds);
    return { ...flood, rss: { before, after: rssMiB(t.child.pid) } };
  } finally {
    await stopTarget(t);
  }
}
