/**
 * Issue 14's figure: a newcomer's time from a fresh clone to a first booking and to a cancel, following README
 * only. Clones this repository's committed HEAD into a temp folder, runs `npm ci` there, `npm start` (first
 * start: Hub build, migrations, demo shop, banner), then README's walkthrough blocks as written. Clone and
 * `npm ci` are timed apart from the walkthrough's own commands (target: under 60 s).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runWalkthrough, startLikeNpmStart, walkthroughSteps } from '../test/helpers/readme.js';

export interface NewcomerBench {
  cloneMs: number;
  npmCiMs: number;
  /** `npm start` to the banner: Hub build (first start), migrations, demo shop. */
  startMs: number;
  /** Sum of the walkthrough's command blocks, and up to the first booking / the cancel. */
  walkthroughMs: number;
  toFirstBookingMs: number;
  toCancelMs: number;
  steps: { first: string; ms: number }[];
  commit: string;
}

const timed = <T>(fn: () => T): [T, number] => {
  const t = performance.now();
  const result = fn();
  return [result, performance.now() - t];
};

export async function benchNewcomer(): Promise<NewcomerBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setora-newcomer-'));
  const clone = path.join(dir, 'setora');
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const [, cloneMs] = timed(() => execFileSync('git', ['clone', '--quiet', ROOT, clone], { stdio: 'ignore' }));
    const [, npmCiMs] = timed(() => execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: clone, stdio: 'ignore' }));
    const server = await startLikeNpmStart({ cwd: clone, dataDir: path.join(dir, 'data'), npmStart: true });
    try {
      const steps = walkthroughSteps(fs.readFileSync(path.join(clone, 'README.md'), 'utf8'));
      const results = runWalkthrough(steps, server);
      const bookingStep = steps.findIndex((s) => s.command.includes('Idempotency-Key'));
      const cancelStep = steps.findIndex((s) => s.command.includes('/cancel'));
      const upTo = (i: number) => results.slice(0, i + 1).reduce((sum, r) => sum + r.ms, 0);
      for (const [i, r] of results.entries()) {
        if (steps[i]!.answer !== undefined && !r.output.startsWith('{')) throw new Error(`walkthrough step ${i} answered:\n${r.output}`);
      }
      return {
        cloneMs, npmCiMs, startMs: server.startMs, commit,
        walkthroughMs: upTo(results.length - 1),
        toFirstBookingMs: upTo(bookingStep),
        toCancelMs: upTo(cancelStep),
        steps: results.map((r) => ({ first: r.command.split('\n')[0]!.slice(0, 60), ms: r.ms })),
      };
    } finally {
      await server.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
