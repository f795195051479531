#!/usr/bin/env node
// `npm test`: every *.test.ts under test/ and src/, one file at a time, through node's test runner.
// (Node 20's --test takes no glob patterns, so the files are listed here.) Extra arguments narrow the run:
// `npm test -- test/bookings.test.ts`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const roots = ['src', 'test'];
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
  const p = path.join(dir, e.name);
  if (e.isDirectory()) return e.name === 'node_modules' ? [] : walk(p);
  return e.name.endsWith('.test.ts') ? [p] : [];
});
const args = process.argv.slice(2);
const files = args.length ? args : roots.flatMap(walk).sort();
// Load shedding reacts to time, and on a busy test machine CPU starvation stretches time: servers the tests
// start (in process or as child processes) do not shed, unless a test turns it on itself
// (test/load-shedding.test.ts and test/hostile-input.test.ts do, to check the 503).
const env = { ...process.env, SHED_MAX_EVENT_LOOP_DELAY_MS: process.env.SHED_MAX_EVENT_LOOP_DELAY_MS ?? '0', SHED_MAX_IN_FLIGHT: process.env.SHED_MAX_IN_FLIGHT ?? '0' };
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
