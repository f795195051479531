// Log canary (issue 9, item 7): a distinctive key, phone (in several spellings), email, name, notes and password
// are sent through every input a caller controls (headers, path, query, JSON bodies, sign-in, the Hub, the
// booking page, /v1, refusals that echo fields, 404s, oversized and malformed bodies, errors from below the
// router), against a real server on loopback, on both engines and once as a spawned process (its stdout and
// stderr). None of them may appear in any log line. The scanner is checked first, so the test can fail.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { forEachEngine, freshTarget } from './helpers/engines.js';
import { startTestApp, seedOrg, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { listen } from './helpers/http.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { openDatabase, type Database } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { addUserToOrg } from '../src/modules/orgs/members.service.js';
import { updateOnlineSettings } from '../src/modules/online/online-settings.service.js';
import { addDays } from '../src/lib/zoned-date.js';

const KEY = 'sk_live_Cnry7QxZ9wVbN3mK5pL8rT2yH6jF4d';
const NSN = '7700900461'; // an Ofcom drama number: accepted as a client's phone
const PHONES = ['07700 900461', '+44 7700 900461', '+44 (0)7700-900-461', '0044 7700900461', 'tel:+447700900461', '07700900461', '+447700900461', '07700.900.461'];
const EMAIL = 'quenby.canary-zx7@example.org';
const FIRST = 'Quenbyx';
const LAST = 'Zanzibarre';
const NOTES = 'Marmalade-xylophone allergy, see canary';
const PASSWORD = 'Wurzelbrmf-canary-pass-42';

/** Which canaries appear in `lines`: case-insensitive, and phones also as bare digits (separators removed). */
function findCanaries(lines: string[], extra: Record<string, string> = {}): { canary: string; line: string }[] {
  const words: Record<string, string> = { key: KEY, 'key body': KEY.slice(8), email: EMAIL, 'email local part': EMAIL.split('@')[0]!, first: FIRST, last: LAST, notes: 'xylophone', password: PASSWORD, ...extra };
  const found: { canary: string; line: string }[] = [];
  for (const line of lines.flatMap((l) => l.split('\n'))) {
    const lower = line.toLowerCase();
    for (const [name, value] of Object.entries(words)) if (lower.includes(value.toLowerCase())) found.push({ canary: name, line });
    if (line.replace(/\D/g, '').includes(NSN)) found.push({ canary: 'phone', line });
  }
  return found;
}

test('the canary scanner finds each canary in any spelling (so the suites below can fail)', () => {
  const synthetic = [
    `{"msg":"Bearer ${KEY.toUpperCase()}"}`, `{"reqId":"${EMAIL.toUpperCase()}"}`, `{"ua":"${FIRST} ${LAST}"}`, `{"note":"${NOTES}"}`,
    `{"password":"${PASSWORD}"}`, ...PHONES.map((p) => `{"msg":"call ${p} now","time":1796002886856}`),
  ];
  const found = findCanaries(synthetic);
  for (const c of ['key', 'email', 'first', 'last', 'notes', 'password']) assert.ok(found.some((f) => f.canary === c), c);
  assert.equal(found.filter((f) => f.canary === 'phone').length, PHONES.length);
  assert.deepEqual(findCanaries(['{"level":30,"time":1796002886856,"reqId":"req_k3m9qx2pb4000123","msg":"request","phone":"[phone]"}']), []);
});

interface Fixtures { org: SeededOrg; shop: TestShop; onlineBase: string; hubEmail: string }

async function seed(database: Database): Promise<Fixtures> {
  const now = Date.now();
  const org = await seedOrg(database, now);
  const shop = await seedShop(database, org.orgId, now);
  await updateOnlineSettings(database, org.orgId, shop.location.id, { enabled: true }, now);
  await addUserToOrg(database, org.orgId, { email: EMAIL, role: 'owner', password: PASSWORD, name: `${FIRST} ${LAST}` }, now);
  return { org, shop, onlineBase: `/book/api/shops/${org.slug}/locations/${shop.location.slug}`, hubEmail: EMAIL };
}

/** A raw HTTP/1.1 request (for what fetch will not send: bad encodings, over-long or odd headers); the status line. */
function rawRequest(base: string, text: string): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(text));
    let got = '';
    socket.on('data', (c) => { got += String(c); });
    socket.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
    socket.on('error', () => resolve(got.split('\r\n')[0] ?? ''));
    socket.setTimeout(5000, () => socket.destroy());
  });
}

/**
 * Sends every canary through every input of the server at `base`; returns the statuses seen, by label, so the
 * caller can check the requests did what they meant to (a canary that never reached the server proves nothing).
 */
async function sendCanaries(base: string, fx: Fixtures): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  let n = 0;
  // Every request carries the canaries in its headers; X-Request-Id takes each canary in turn.
  const requestIds = [KEY, EMAIL, `${FIRST}-${LAST}-1`, ...PHONES.map((p) => p.replace(/ /g, '')), PASSWORD, NOTES];
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    'x-request-id': requestIds[n++ % requestIds.length]!,
    'user-agent': `Canary/1.0 (${EMAIL}; ${PHONES[0]}; ${FIRST} ${LAST}; ${KEY})`,
    referer: `https://example.org/clients?email=${EMAIL}&phone=${encodeURIComponent(PHONES[1]!)}&name=${FIRST}`,
    cookie: `setora_session=${KEY}; crumb=${encodeURIComponent(EMAIL)}`,
    'x-client-name': `${FIRST} ${LAST}`, 'x-client-phone': PHONES[2]!, 'x-notes': NOTES, 'x-api-key': KEY,
    ...extra,
  });
  const send = async (label: string, method: string, path: string, opts: { body?: unknown; raw?: string | Blob; headers?: Record<string, string>; key?: string } = {}) => {
    const h = headers({ ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...(opts.headers ?? {}) });
    if (opts.body !== undefined || opts.raw !== undefined) h['content-type'] ??= 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers: h, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
    const text = await res.text();
    statuses[label] = res.status;
    return { status: res.status, text, json: () => JSON.parse(text), headers: res.headers };
  };
  const w = fx.org.writeKey;
  const person = { first_name: FIRST, last_name: LAST, email: EMAIL, phone: PHONES[0] };

  // Keys: the canary as a bearer key, in the wrong scheme, as a query parameter; a real key in a header next to canaries.
  await send('bad key', 'GET', '/v1/locations', { key: KEY });
  await send('bad scheme', 'GET', '/v1/locations', { headers: { authorization: `Basic ${KEY}` } });
  await send('key in query', 'GET', `/v1/locations?api_key=${KEY}&email=${EMAIL}`, { key: w });
  // Path and query.
  await send('path email', 'GET', `/v1/clients/${encodeURIComponent(EMAIL)}`, { key: w });
  await send('path phone', 'GET', `/v1/bookings/${encodeURIComponent(PHONES[1]!)}`, { key: w });
  await send('path name 404', 'GET', `/v1/${LAST}/${encodeURIComponent(PHONES[0]!)}?notes=${encodeURIComponent(NOTES)}`, { key: w });
  await send('path long', 'GET', `/v1/clients/${LAST.repeat(30)}`, { key: w });
  await send('query search', 'GET', `/v1/clients?q=${LAST}`, { key: w });
  await send('query unknown', 'GET', `/v1/clients?${LAST}=${encodeURIComponent(PHONES[2]!)}&email=${EMAIL}`, { key: w });
  await send('query invalid', 'GET', `/v1/bookings?starts_after=${encodeURIComponent(PHONES[1]!)}&client=${EMAIL}`, { key: w });
  await send('hub page path', 'GET', `/hub/${LAST}/${encodeURIComponent(EMAIL)}?phone=${encodeURIComponent(PHONES[0]!)}`);

  // /v1 clients: created, then the same email again (conflict), then refusals that may echo a field.
  const created = await send('v1 client', 'POST', '/v1/clients', { key: w, body: { ...person, notes: NOTES } });
  await send('v1 client again', 'POST', '/v1/clients', { key: w, body: { ...person, notes: NOTES } });
  await send('v1 client bad phone', 'POST', '/v1/clients', { key: w, body: { first_name: FIRST, phone: `${LAST} ${PHONES[0]}` } });
  await send('v1 client bad email', 'POST', '/v1/clients', { key: w, body: { first_name: FIRST, email: `${LAST} ${EMAIL}` } });
  await send('v1 client unknown field', 'POST', '/v1/clients', { key: w, body: { ...person, [LAST]: NOTES, [EMAIL]: PHONES[3] } });
  await send('v1 client too long', 'POST', '/v1/clients', { key: w, body: { first_name: `${FIRST} ${LAST} `.repeat(10), notes: `${NOTES} `.repeat(80) } });
  await send('v1 client wrong type', 'POST', '/v1/clients', { key: w, body: { first_name: [FIRST, LAST], email: { value: EMAIL }, phone: 7700900461 } });
  await send('v1 client read key', 'POST', '/v1/clients', { key: fx.org.readKey, body: person });
  await send('v1 client NUL', 'POST', '/v1/clients', { key: w, body: { first_name: `${FIRST}\u0000${LAST}`, notes: `${NOTES}\u0000` } });
  await send('v1 client proto', 'POST', '/v1/clients', { key: w, raw: `{"first_name":"${FIRST}","__proto__":{"email":"${EMAIL}","notes":"${NOTES}"}}` });
  if (created.status === 201) {
    const id = created.json().id as string;
    await send('v1 client get', 'GET', `/v1/clients/${id}`, { key: w });
    await send('v1 client patch', 'PATCH', `/v1/clients/${id}`, { key: w, body: { last_name: `${LAST}-Smith`, phone: PHONES[4], notes: NOTES } });
  }

  // /v1 bookings: a slot from availability, booked with a new client made of canaries; the same slot again (409).
  const day = addDays(new Date().toISOString().slice(0, 10), ((9 - new Date().getUTCDay()) % 7 || 7) + 7); // a Tuesday ahead
  const avail = await send('availability', 'GET', `/v1/locations/${fx.shop.location.slug}/availability?service=${fx.shop.haircut.id}&staff=${fx.shop.blake.id}&from=${day}&to=${day}`, { key: w });
  const slots = avail.status === 200 ? (avail.json().slots as { starts_at: string }[]) : [];
  const booking = { location: fx.shop.location.slug, service: fx.shop.haircut.id, staff: fx.shop.blake.id, client: { ...person, email: `b.${EMAIL}` }, notes: NOTES };
  const booked = await send('v1 booking', 'POST', '/v1/bookings', { key: w, body: { ...booking, starts_at: slots[0]?.starts_at }, headers: { 'idempotency-key': `${LAST}-${EMAIL}` } });
  await send('v1 booking taken', 'POST', '/v1/bookings', { key: w, body: { ...booking, starts_at: slots[0]?.starts_at } });
  await send('v1 booking bad date', 'POST', '/v1/bookings', { key: w, body: { ...booking, starts_at: '2026-11-31T10:00:00Z' } });
  await send('v1 booking bad client', 'POST', '/v1/bookings', { key: w, body: { ...booking, starts_at: slots[1]?.starts_at, client: { first_name: FIRST, phone: `${EMAIL} ${PHONES[5]}` } } });
  if (booked.status === 201) {
    const ref = booked.json().reference as string;
    await send('v1 reschedule bad', 'POST', `/v1/bookings/${ref}/reschedule`, { key: w, body: { starts_at: `${PHONES[0]}`, notes: NOTES } });
    await send('v1 cancel', 'POST', `/v1/bookings/${ref}/cancel`, { key: w, body: { reason: `${FIRST} ${LAST} called from ${PHONES[0]}, ${EMAIL}` } });
  }

  // Bodies the parser refuses.
  await send('oversized', 'POST', '/v1/clients', { key: w, raw: JSON.stringify({ ...person, notes: `${NOTES} ${PHONES[0]} `.repeat(30_000) }) });
  await send('malformed', 'POST', '/v1/clients', { key: w, raw: `{"first_name":"${FIRST}","email":"${EMAIL}","phone":"${PHONES[0]}",` });
  await send('wrong type', 'POST', '/v1/clients', { key: w, raw: `first_name=${FIRST}&email=${EMAIL}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  await send('bad utf8', 'POST', '/v1/clients', { key: w, raw: new Blob([`{"first_name":"${FIRST}`, new Uint8Array([0xff, 0xfe]), `","email":"${EMAIL}"}`]) });

  // The Hub: sign-in with a wrong and the right password, a client made through the Hub, a CSRF refusal.
  const origin = base;
  await send('hub signin wrong', 'POST', '/hub/api/signin', { body: { email: fx.hubEmail, password: `${PASSWORD}-wrong` }, headers: { origin } });
  await send('hub signin malformed', 'POST', '/hub/api/signin', { body: { email: `${LAST} ${PHONES[0]}`, password: PASSWORD }, headers: { origin } });
  const signin = await send('hub signin', 'POST', '/hub/api/signin', { body: { email: fx.hubEmail.toUpperCase(), password: PASSWORD }, headers: { origin } });
  if (signin.status === 200) {
    const cookie = (signin.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = signin.json().csrf_token as string;
    const hubHeaders = { cookie, origin, 'x-csrf-token': csrf };
    await send('hub client', 'POST', '/hub/api/clients', { body: { first_name: FIRST, last_name: LAST, email: `h.${EMAIL}`, phone: PHONES[6], notes: NOTES }, headers: hubHeaders });
    await send('hub client bad', 'POST', '/hub/api/clients', { body: { first_name: FIRST, email: `${LAST}@`, phone: `${PHONES[0]}x${EMAIL}` }, headers: hubHeaders });
    await send('hub search', 'GET', `/hub/api/clients?q=${LAST}`, { headers: hubHeaders });
    await send('hub no csrf', 'POST', '/hub/api/clients', { body: { first_name: FIRST, email: EMAIL }, headers: { cookie, origin } });
  }

  // The booking page: a booking with canaries, a honeypot refusal, a bad phone, an unknown shop.
  const pageSlots = await send('page availability', 'GET', `${fx.onlineBase}/availability?service=${fx.shop.haircut.id}&staff=${fx.shop.blake.id}&from=${day}&to=${day}`);
  const free = pageSlots.status === 200 ? (pageSlots.json().slots as { starts_at: string }[]) : [];
  const onlineBody = { service: fx.shop.haircut.id, staff: fx.shop.blake.id, starts_at: free[free.length - 1]?.starts_at, first_name: FIRST, last_name: LAST, email: `o.${EMAIL}`, phone: PHONES[1], notes: NOTES };
  await send('page booking', 'POST', `${fx.onlineBase}/bookings`, { body: onlineBody });
  await send('page honeypot', 'POST', `${fx.onlineBase}/bookings`, { body: { ...onlineBody, website: `https://${LAST}.example.org/${EMAIL}` } });
  await send('page bad phone', 'POST', `${fx.onlineBase}/bookings`, { body: { ...onlineBody, phone: `${FIRST} ${PHONES[2]}`, email: `${LAST}-at-nowhere` } });
  await send('page unknown shop', 'GET', `/book/api/shops/${LAST}/locations/${encodeURIComponent(EMAIL)}`);
  await send('page manage', 'GET', '/book/api/manage', { headers: { 'x-manage-token': `${KEY}.${EMAIL}` } });

  // Methods and transport errors, over a raw socket: an unknown method, bad percent-encoding, an over-long
  // header, a bare CR, a request line that is not HTTP.
  const common = `Host: 127.0.0.1\r\nUser-Agent: ${FIRST} ${LAST} ${EMAIL} ${PHONES[0]}\r\nX-Request-Id: ${PHONES[6]}\r\nAuthorization: Bearer ${KEY}\r\n`;
  statuses['raw QUERY'] = Number((await rawRequest(base, `QUERY /v1/clients?email=${EMAIL} HTTP/1.1\r\n${common}Connection: close\r\n\r\n`)).split(' ')[1]);
  statuses['raw %FF'] = Number((await rawRequest(base, `GET /v1/clients/%FF${LAST}%${EMAIL} HTTP/1.1\r\n${common}Connection: close\r\n\r\n`)).split(' ')[1]);
  statuses['raw 431'] = Number((await rawRequest(base, `GET /v1/locations HTTP/1.1\r\n${common}X-Big: ${`${EMAIL} ${PHONES[0]} ${LAST} `.repeat(2000)}\r\nConnection: close\r\n\r\n`)).split(' ')[1]);
  statuses['raw bare CR'] = Number((await rawRequest(base, `GET /v1/locations HTTP/1.1\r\n${common}X-Odd: ${LAST}\r${EMAIL}\r\nConnection: close\r\n\r\n`)).split(' ')[1]);
  statuses['raw garbage'] = Number((await rawRequest(base, `${FIRST} ${LAST} ${EMAIL} ${PHONES[0]}\r\n\r\n`)).split(' ')[1]);
  statuses['raw bad length'] = Number((await rawRequest(base, `POST /v1/clients HTTP/1.1\r\n${common}Content-Type: application/json\r\nContent-Length: 900\r\nConnection: close\r\n\r\n{"first_name":"${FIRST}","email":"${EMAIL}"}`)).split(' ')[1]);
  return statuses;
}

/** The requests did reach the server and were answered as meant: success where success was meant, refusals elsewhere. */
function assertTrafficLanded(statuses: Record<string, number>): void {
  const want: Record<string, number> = {
    'bad key': 401, 'v1 client': 201, 'v1 client again': 409, 'v1 booking': 201, 'v1 booking taken': 409, 'oversized': 413, 'malformed': 400,
    'hub signin wrong': 401, 'hub signin': 200, 'hub client': 201, 'page booking': 201, 'path name 404': 404, 'raw QUERY': 405,
    'bad utf8': 400, 'v1 client NUL': 400, 'v1 client proto': 400, 'raw 431': 431,
  };
  for (const [label, status] of Object.entries(want)) assert.equal(statuses[label], status, `${label}: ${JSON.stringify(statuses)}`);
  // (the Hub's page answers 503 when hub/dist is not built, as in a fresh checkout)
  for (const [label, status] of Object.entries(statuses)) assert.ok(!(status >= 500) || (label === 'hub page path' && status === 503), `${label} answered ${status}`);
  assert.ok(Object.keys(statuses).length >= 50, `${Object.keys(statuses).length} requests`);
}

function assertNoCanary(lines: string[], extra: Record<string, string>): void {
  const found = findCanaries(lines, extra);
  assert.deepEqual(found.map((f) => `${f.canary}: ${f.line.slice(0, 600)}`), [], 'canaries in the log');
}

forEachEngine('log canary: nothing personal or secret in any log line', (engine) => {
  let ctx: TestContext;
  let base: string;
  let fx: Fixtures;
  before(async () => {
    ctx = await startTestApp(engine, { LOG_LEVEL: 'trace' });
    base = await listen(ctx.app);
    fx = await seed(ctx.database);
  });
  after(() => ctx.close());

  test('a canary written to the app\'s own logger is caught by the scan (the capture works)', () => {
    const start = ctx.logs.length;
    ctx.app.log.info({ note: NOTES }, 'self-check');
    assert.ok(findCanaries(ctx.logs.slice(start)).some((f) => f.canary === 'notes'));
    ctx.logs.splice(start);
  });

  test('every input, every refusal: the canaries (and the shop\'s real keys) are in no log line', async () => {
    const start = ctx.logs.length;
    const statuses = await sendCanaries(base, fx);
    assertTrafficLanded(statuses);
    const lines = ctx.logs.slice(start);
    assert.ok(lines.filter((l) => l.includes('"msg":"request"')).length >= 40, `request lines logged: ${lines.length}`);
    assertNoCanary(lines, { 'write key': fx.org.writeKey, 'read key': fx.org.readKey });
  });
});

describe('log canary: the real server process, stdout and stderr', () => {
  let server: ServerProcess | undefined;
  let database: Database;
  let drop: () => Promise<void>;
  let fx: Fixtures;
  before(async () => {
    const fresh = await freshTarget('sqlite');
    drop = fresh.drop;
    database = openDatabase(fresh.target);
    await migrate(database);
    fx = await seed(database);
    // shedding off: this pass is about what is logged, and a busy test machine lags
    server = await startServerProcess(`sqlite:${(fresh.target as { file: string }).file}`, { LOG_LEVEL: 'trace', SHED_MAX_EVENT_LOOP_DELAY_MS: '0' });
  });
  after(async () => {
    await server?.stop();
    await database.close();
    await drop();
  });

  test('every input, every refusal, start and shutdown: the canaries are in nothing the process writes', async () => {
    const statuses = await sendCanaries(server!.base, fx);
    assertTrafficLanded(statuses);
    await server!.stop('SIGTERM'); // flushes the buffered log
    const out = server!.output.join('');
    assert.ok((out.match(/"msg":"request"/g) ?? []).length >= 40, `request lines written: ${out.length} bytes`);
    assertNoCanary(server!.output, { 'write key': fx.org.writeKey, 'read key': fx.org.readKey });
  });
});
