import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface Target { child: ChildProcess; info: Record<string, any> & { port: number } }

/** Starts bench/server.ts in a child process and waits for its ready line. */
export async function startTarget(env: Record<string, string>): Promise<Target> {
  const child = spawn(process.execPath, [...((env.BENCH_NODE_ARGS ?? process.env.BENCH_NODE_ARGS)?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'bench/server.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const rl = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { child, info: JSON.parse(line) };
}

export async function stopTarget(t: Target): Promise<void> {
  t.child.kill('SIGTERM');
  await new Promise((r) => t.child.once('exit', r));
}

export interface LoadResult { rps: number; p50: number; p99: number; non2xx: number; errors: number; total: number; statusCounts: Record<string, number> }

/**
 * A GET load from a fresh autocannon process each time, so the load generator's own state (heap, JIT) after
 * one measurement never weighs on the next.
 */
export async function load(opts: { url: string; headers?: Record<string, string>; duration?: number; connections?: number }): Promise<LoadResult> {
  const args = [require.resolve('autocannon/autocannon.js'), '-j', '-c', String(opts.connections ?? 50), '-d', String(opts.duration ?? 8)];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  args.push(opts.url);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  await new Promise((r) => child.once('exit', r));
  return summarise(JSON.parse(out));
}

/** Seconds between autocannon's start and finish stamps (its `duration` field is rounded to whole seconds). */
function elapsedSeconds(r: autocannon.Result): number {
  const ms = new Date(r.finish as unknown as string).getTime() - new Date(r.start as unknown as string).getTime();
  return Number.isFinite(ms) && ms > 0 ? ms / 1000 : r.duration;
}

export function summarise(r: autocannon.Result): LoadResult {
  return {
    // total over the measured time, from autocannon's start and finish stamps: its `duration` is whole seconds,
    // which turned a run bounded by a request count into 3700/7, 3700/8, … requests/s
    rps: Math.round(r.requests.total / Math.max(elapsedSeconds(r), 0.001)),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    total: r.requests.total,
    statusCounts: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, (v as { count: number }).count])),
  };
}
