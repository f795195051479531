import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A free loopback TCP port (bound, read and released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** Everything the process wrote to stdout and stderr so far (log lines, the start banner), in chunks. */
  output: string[];
  /** Sends `signal` (SIGTERM by default) to this process only and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The real server (`src/main.ts`, as `npm start` runs it) as a child process on a free loopback port, on
 * `databaseUrl`, once `/readyz` answers 200 (within `readyWithinMs`, default 30 s: TypeScript is compiled on
 * the fly, and the machine may be busy). No demo seed, generous rate limits; `env` overrides. Rejects (and
 * stops the process) when it exits or is not ready in time, with the tail of its output.
 */
export async function startServerProcess(databaseUrl: string, env: Record<string, string> = {}, opts: { readyWithinMs?: number } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '4', PORT: String(port), SEED_DEMO: 'false', LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000', AUTH_FAILURES_PER_MINUTE: '100000', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (c) => output.push(String(c)));
  child.stderr!.on('data', (c) => output.push(String(c)));
  const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyWithinMs ?? 30_000);
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { child, base, output, stop };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop('SIGKILL');
  throw new Error(`server process did not become ready (exit ${child.exitCode}): ${output.join('').slice(-2000)}`);
}
