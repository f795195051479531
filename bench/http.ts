import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

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

export async function load(opts: autocannon.Options): Promise<LoadResult> {
  const r = await autocannon({ connections: 50, duration: 8, ...opts });
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    total: r.requests.total,
    statusCounts: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, (v as { count: number }).count])),
  };
}
