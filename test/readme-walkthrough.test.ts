import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runWalkthrough, startLikeNpmStart, walkthroughSteps, type StartedServer, type StepResult } from './helpers/readme.js';

/**
 * Issue 14: README's walkthrough runs as written. A fresh server started like `npm start` (empty data
 * folder: demo shop and banner), the banner's key and URL put where README says to paste them, every shell block
 * run in one bash session, and each answer compared with the trimmed one README shows.
 */
let server: StartedServer;
let results: StepResult[];
const steps = walkthroughSteps();
before(async () => {
  server = await startLikeNpmStart();
  results = runWalkthrough(steps, server);
});
after(() => server?.stop());

// Values that differ on every run are checked for their form; everything else must be equal.
const VARYING: [RegExp, string][] = [
  [/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'an RFC 3339 instant'],
  [/^\d{4}-\d{2}-\d{2}$/, 'a date'],
  [/^[0-9A-Z]{4}-[0-9A-Z]{4}$/, 'a booking reference'],
  [/^(cli|bkg|req)_[0-9a-z]+$/, 'an id'],
];

/** `actual` has every field `shown` has, with the same value, or one of the same form for run-dependent values. */
function assertShows(actual: unknown, shown: unknown, where: string): void {
  if (Array.isArray(shown)) {
    assert.ok(Array.isArray(actual) && actual.length >= shown.length, `${where}: expected at least ${shown.length} items`);
    shown.forEach((item, i) => assertShows((actual as unknown[])[i], item, `${where}[${i}]`));
  } else if (shown !== null && typeof shown === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${where}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(shown)) {
      assert.ok(k in (actual as object), `${where}.${k} is missing`);
      assertShows((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
    }
  } else {
    const varying = typeof shown === 'string' ? VARYING.find(([re]) => re.test(shown)) : undefined;
    if (varying) assert.match(String(actual), varying[0], `${where}: expected ${varying[1]}`);
    else assert.deepEqual(actual, shown, where);
  }
}

test('README has the walkthrough: setup, services, availability, book, conflict, fetch, reschedule, cancel', () => {
  assert.equal(steps.length, 8, steps.map((s) => s.command.split('\n')[0]).join('\n'));
  assert.ok(steps[0]!.command.includes('sk_live_…'), 'the setup block says where the key goes');
  assert.ok(steps.slice(1).every((s) => s.answer !== undefined), 'every request shows its answer');
  assert.ok(steps.some((s) => s.command.includes('Idempotency-Key')), 'the booking is made with an Idempotency-Key');
  assert.ok(server.banner.includes('export SETORA_KEY=') && server.banner.includes(server.key), 'the banner prints what the setup block needs');
});

test('every block runs as written and answers what README shows', () => {
  assert.equal(results.length, steps.length);
  for (const [i, r] of results.entries()) {
    const shown = steps[i]!.answer;
    if (shown === undefined) continue;
    let actual: unknown;
    try {
      actual = JSON.parse(r.output);
    } catch {
      assert.fail(`step ${i}: the answer is not JSON:\n${r.output}`);
    }
    assertShows(actual, shown, `step ${i}`);
  }
  const [booked, , fetched, moved, cancelled] = results.slice(3).map((r) => JSON.parse(r.output));
  assert.equal(fetched.reference, booked.reference, 'the fetch finds the booking just made');
  assert.equal(moved.reference, booked.reference, 'a reschedule keeps the reference');
  assert.notEqual(moved.starts_at, booked.starts_at, 'and moves the time');
  assert.equal(cancelled.status, 'cancelled');
});

test('the walkthrough is quick: its commands take under 60 s (the figure is in `npm run bench`, part newcomer)', () => {
  const total = results.reduce((sum, r) => sum + r.ms, 0);
  assert.ok(total < 60_000, `${total} ms`);
});
