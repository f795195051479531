import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveHub, type Served } from './browser/serve.js';
import { createDemoOrg, type DemoResult } from '../src/modules/demo/demo.service.js';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { openApiDocument } from '../scripts/openapi-document.js';
import { compile, generateTypes } from '../sdk/scripts/build.js';
import { ROOT } from './helpers/readme.js';

/**
 * Issue 14: the typed client in sdk/. Its types are generated from the server's OpenAPI document and the
 * display-board example type-checks against them; the example, run as a program with a `read` key against a
 * real server, shows each staff member's bookings of the day and nothing else.
 */
let served: Served;
let demo: DemoResult;
let readKey: string;
before(async () => {
  served = await serveHub();
  demo = await createDemoOrg(served.database);
  readKey = (await createApiKey(served.database, demo.org.id, { label: 'Display board', scope: 'read' })).plaintext;
});
after(() => served?.close());

const api = async (url: string) => (await fetch(`${served.url}${url}`, { headers: { authorization: `Bearer ${demo.apiKey}` } })).json() as Promise<any>;

test('the generated client and the display-board example type-check against the current OpenAPI document', async () => {
  await generateTypes(await openApiDocument());
  const result = compile({ emit: false });
  assert.equal(result.status, 0, result.output);
});

test('the display board, with a read key, lists the day\'s live bookings under each staff member', async () => {
  // the busiest coming day at Shoreditch in the demo shop, with one booking cancelled to show it is left out
  const upcoming = (await api(`/v1/bookings?location=shoreditch&status=confirmed&starts_after=${new Date().toISOString()}&limit=100`)).data as any[];
  const byDay = new Map<string, any[]>();
  for (const b of upcoming) {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(b.starts_at));
    byDay.set(day, [...(byDay.get(day) ?? []), b]);
  }
  const [date, bookings] = [...byDay.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
  assert.ok(bookings.length >= 2, 'the demo shop has a busy day ahead');
  const cancelled = bookings.pop();
  const res = await fetch(`${served.url}/v1/bookings/${cancelled.reference}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${demo.apiKey}` } });
  assert.equal(res.status, 200);

  // (asynchronously: the server answering it runs in this process)
  const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join('sdk', 'examples', 'display-board.ts'), 'shoreditch', '--url', served.url, '--date', date, '--once'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, SETORA_KEY: readKey }, timeout: 60_000,
  });
  const board = run.stdout;
  assert.ok(board.startsWith(`Fade & Bloom Shoreditch: ${date}`), board);
  const blocks = new Map(board.split('\n\n').slice(1).map((block) => [block.split('\n')[0]!.replace(/ \(.*\)$/, ''), block]));
  const staff = (await api('/v1/staff?location=shoreditch')).data as any[];
  assert.deepEqual([...blocks.keys()].filter(Boolean).sort(), staff.map((s) => s.display_name).sort(), 'one block per staff member at the location');
  for (const b of bookings) {
    const block = blocks.get(b.staff.display_name) ?? '';
    const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(b.starts_at));
    assert.match(block, new RegExp(`${time}–\\d\\d:\\d\\d  ${b.service.name.replace(/[&]/g, '\\$&')}\\s+.*${b.reference}`), `${b.reference} under ${b.staff.display_name}`);
  }
  assert.ok(!board.includes(cancelled.reference), 'a cancelled booking is not on the board');
  assert.ok(!/\w+ \w{2,}  [0-9A-Z]{4}-/.test(board), 'clients appear as first name and initial');
});

test('the display board follows the events feed: a booking made elsewhere appears without a restart (fine scopes, one location)', async () => {
  const boardKey = (await createApiKey(served.database, demo.org.id, { label: 'Shop floor board', scopes: ['catalog:read', 'bookings:read', 'events:read'], locations: ['shoreditch'] })).plaintext;
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + 7 * 86_400_000));
  const board = spawn(process.execPath, ['--import', 'tsx', path.join('sdk', 'examples', 'display-board.ts'), 'shoreditch', '--url', served.url, '--date', date, '--every', '0.2'], {
    cwd: ROOT, env: { ...process.env, SETORA_KEY: boardKey }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  board.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
  const until = async (what: () => boolean, label: string) => {
    for (let i = 0; i < 300 && !what(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(what(), `${label}; the board printed:\n${out}`);
  };
  try {
    await until(() => out.includes(`Fade & Bloom Shoreditch: ${date}`), 'the first board');
    // A new booking that day, made through the API by someone else (the demo's read_write key).
    const services = (await api('/v1/services?location=shoreditch')).data as any[];
    const cut = services.find((x) => x.name === 'Classic Cut') ?? services[0];
    const slots = (await api(`/v1/locations/shoreditch/availability?service=${cut.id}&from=${date}&to=${date}`)).slots as any[];
    assert.ok(slots.length, 'a free time that day');
    const made = await fetch(`${served.url}/v1/bookings`, {
      method: 'POST', headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ location: 'shoreditch', service: cut.id, staff: slots[0].staff_id, starts_at: slots[0].starts_at, client: { first_name: 'Feed', last_name: 'Follower' } }),
    }).then((r) => r.json() as Promise<any>);
    assert.ok(made.reference, JSON.stringify(made));
    await until(() => out.includes(made.reference), 'the new booking appears');
    assert.match(out, /Feed F\./, 'shown as first name and initial');
  } finally {
    board.kill();
  }
});

test('with a read key the client refuses a write with the typed error', async () => {
  // (imported by URL: its generated types exist only after the build, and `npm run typecheck` checks the SDK itself)
  const sdk = pathToFileURL(path.join(ROOT, 'sdk', 'src', 'index.ts')).href;
  const { createSetoraClient, unwrap, SetoraError } = await import(sdk);
  const setora = createSetoraClient({ apiKey: readKey, baseUrl: served.url });
  const err: any = await unwrap(setora.POST('/v1/bookings/{reference}/cancel', { params: { path: { reference: 'K7QX-2M4P' } }, body: {} })).catch((e: unknown) => e);
  assert.ok(err instanceof SetoraError, String(err));
  assert.equal(err.status, 403);
  assert.equal(err.code, 'insufficient_scope');
  const location = await unwrap(setora.GET('/v1/locations/{slug}', { params: { path: { slug: 'shoreditch' } } }));
  assert.equal(location.time_zone, 'Europe/London');
});
