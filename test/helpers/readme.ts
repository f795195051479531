import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';

/**
 * README's walkthrough as data, and a way to run it as a newcomer would: a fresh server started the way
 * `npm start` starts it (src/main.ts on an empty SQLite folder, so it seeds the demo shop and prints the
 * banner), then every shell block in one bash session. Used by test/readme-walkthrough.test.ts and the
 * `newcomer` bench.
 */

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface WalkthroughStep {
  /** The shell block as written in README. */
  command: string;
  /** The trimmed answer README shows after it, if any. */
  answer?: unknown;
}

/** The ```sh blocks of README's "Walkthrough" section, each with the ```json block that follows it. */
export function walkthroughSteps(readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')): WalkthroughStep[] {
  const start = readme.indexOf('\n## Walkthrough');
  if (start < 0) throw new Error('README has no "## Walkthrough" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const steps: WalkthroughStep[] = [];
  for (const m of section.matchAll(/```(sh|json)\n([\s\S]*?)```/g)) {
    if (m[1] === 'sh') steps.push({ command: m[2]! });
    else if (steps.length) steps[steps.length - 1]!.answer = JSON.parse(m[2]!);
  }
  return steps;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface StartedServer {
  url: string;
  /** Everything the server printed to stdout up to the end of the banner. */
  banner: string;
  /** The demo key printed in the banner. */
  key: string;
  /** Milliseconds from spawn to the banner. */
  startMs: number;
  stop(): Promise<void>;
}

/**
 * The server as `npm start` runs it, on an empty data folder (its own temp folder by default) and a free port.
 * `npmStart: true` runs `npm start` itself (which also builds the Hub when it is missing: the newcomer bench);
 * otherwise src/main.ts directly, the same server without the Hub build (the test).
 */
export async function startLikeNpmStart(opts: { cwd?: string; dataDir?: string; npmStart?: boolean } = {}): Promise<StartedServer> {
  const cwd = opts.cwd ?? ROOT;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'setora-readme-'));
  const port = await freePort();
  const started = Date.now();
  // A newcomer's environment: nothing set but where the data goes and a free port.
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  for (const name of ['DATABASE_URL', 'PUBLIC_URL', 'SEED_DEMO', 'REDIS_URL', 'TLS_CERT_FILE', 'TLS_KEY_FILE']) delete env[name];
  const [command, args] = opts.npmStart ? ['npm', ['start']] : [process.execPath, ['--import', 'tsx', 'src/main.ts']];
  // In its own process group, so that stopping `npm start` stops the server it started too.
  const child: ChildProcess = spawn(command as string, args as string[], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner after 60 s:\n${out}\n${err}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (/SETORA_KEY=sk_live_\w+[\s\S]*curl/.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before its banner:\n${out}\n${err}`)));
  }).catch((e: unknown) => {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    throw e;
  });
  const key = /SETORA_KEY=(sk_live_\w+)/.exec(banner)![1]!;
  const url = /export SETORA=(\S+)/.exec(banner)![1]!;
  return {
    url, banner, key, startMs: Date.now() - started,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      }
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface StepResult {
  command: string;
  output: string;
  ms: number;
}

/**
 * Runs the steps in one bash session, in a temp folder (the walkthrough writes nothing, but a reader's
 * shell would be somewhere), after substituting what the banner printed: the key and the URL.
 */
export function runWalkthrough(steps: WalkthroughStep[], server: { url: string; key: string }): StepResult[] {
  const marker = (i: number) => `@@step-${i}@@`;
  const script = ['set -e']
    // (a newline first: curl's answers don't end with one)
    .concat(steps.flatMap((s, i) => [`printf '\\n%s %s\\n' "${marker(i)}" "$(date +%s%3N)"`, substitute(s.command, server)]))
    .concat(`printf '\\n%s %s\\n' "${marker(steps.length)}" "$(date +%s%3N)"`)
    .join('\n');
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'setora-shell-'));
  const run = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', timeout: 120_000 });
  fs.rmSync(cwd, { recursive: true, force: true });
  const parts = run.stdout.split(/^@@step-(\d+)@@ (\d+)\n?/m);
  // parts: [before, i0, t0, out0, i1, t1, out1, …, iN, tN, tail]
  const results: StepResult[] = [];
  for (let i = 0; i < steps.length; i++) {
    const at = 1 + i * 3;
    if (parts[at] === undefined || parts[at + 3] === undefined) throw new Error(`step ${i + 1} did not finish (exit ${run.status}):\n${steps[i]!.command}\n${run.stdout}\n${run.stderr}`);
    results.push({ command: steps[i]!.command, output: parts[at + 2]!.trim(), ms: Number(parts[at + 4]) - Number(parts[at + 1]) });
  }
  return results;
}

function substitute(command: string, server: { url: string; key: string }): string {
  return command.replaceAll('sk_live_…', server.key).replaceAll('http://127.0.0.1:8080', server.url);
}
