// Issue 9's hand-made hostile input, each example of a kind kept as a test on both engines: methods Fastify
// does not know, errors from below the router, NUL and invalid UTF-8, prototype keys, slow clients, load
// shedding, long path ids, the demo-seeding rule. Raw sockets where the bytes themselves are the point.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, type SeededOrg, type TestContext } from './helpers/app.js';
import { listen } from './helpers/http.js';
import { snapshot } from './helpers/snapshot.js';
import { signUp, setUpShop, hub, type HubSession, type HubShop } from './hub/hub-helpers.js';
import { loadConfig } from '../src/config.js';

interface RawAnswer { status: number; headers: Record<string, string>; body: any; closed: boolean; ms: number }

/** Sends raw bytes (optionally in timed pieces) and reads one HTTP/1.1 answer. */
function raw(port: number, pieces: (string | Buffer)[], opts: { gapMs?: number; waitMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      const text = data.toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const bodyText = rest.join('\r\n\r\n');
      let body: unknown;
      try { body = bodyText ? JSON.parse(bodyText) : undefined; } catch { body = bodyText; }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, closed, ms: Date.now() - started });
    };
    socket.on('data', (d) => { data = Buffer.concat([data, d]); });
    socket.on('close', () => { closed = true; finish(); });
    socket.on('error', () => undefined);
    timer = setTimeout(() => { socket.destroy(); }, opts.waitMs ?? 5000);
    (async () => {
      for (const piece of pieces) {
        if (socket.destroyed) return;
        socket.write(piece);
        if (opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
      }
    })().catch(reject);
  });
}

function assertEnvelope(answer: RawAnswer | { status: number; headers: Record<string, unknown>; body: any }, status: number, code: string) {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.deepEqual(Object.keys(answer.body), ['error']);
  assert.equal(answer.body.error.code, code);
  assert.equal(typeof answer.body.error.message, 'string');
  assert.match(answer.body.error.request_id, /^req_/);
  assert.equal(answer.headers['x-request-id'], answer.body.error.request_id);
  assert.match(String(answer.headers['content-type']), /^application\/json/);
}

const errorLines = (ctx: TestContext) => ctx.logs.filter((l) => /"level":(50|60)/.test(l));

forEachEngine('hostile input', (engine) => {
  let ctx: TestContext;
  let org: SeededOrg;
  let port: number;
  let owner: HubSession;
  let shop: HubShop;
  before(async () => {
    ctx = await startTestApp(engine, { REQUEST_TIMEOUT_MS: '2000', HEADERS_TIMEOUT_MS: '1500' });
    org = await seedOrg(ctx.database);
    owner = await signUp(ctx.app);
    shop = await setUpShop(ctx.app, owner);
    port = Number(new URL(await listen(ctx.app)).port);
  });
  after(() => ctx.close());

  const get = (path: string, headers = '') => `GET ${path} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`;

  it('answers methods Fastify does not know with 405 and Allow on known paths, 404 elsewhere; nothing logged as an error', async () => {
    for (const [method, path, allow] of [['QUERY', '/v1/locations', 'GET, HEAD'], ['PROPFIND', '/hub/api/signin', 'POST'], ['QUERY', '/book/api/manage', 'GET, HEAD'], ['MKCOL', '/v1/bookings', 'GET, HEAD, POST']] as const) {
      const a = await raw(port, [`${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);
      assertEnvelope(a, 405, 'method_not_allowed');
      assert.equal(a.headers.allow, allow);
    }
    assertEnvelope(await raw(port, [`QUERY /v1/nowhere HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`]), 404, 'route_not_found');
    assert.deepEqual(errorLines(ctx), []);
  });

  it('answers errors from below the router in the envelope: bad percent-encoding, over-long headers, a bare CR', async () => {
    assertEnvelope(await raw(port, [get('/v1/locations/%FF', `Authorization: Bearer ${org.readKey}\r\n`)]), 400, 'bad_request');
    const big = await raw(port, [get('/v1/locations', `X-Big: ${'a'.repeat(20_000)}\r\n`)]);
    assertEnvelope(big, 431, 'header_too_large');
    assert.equal(big.closed, true);
    assertEnvelope(await raw(port, [get('/v1/locations', 'X-A: a\rb\r\n')]), 400, 'bad_request');
    assert.deepEqual(errorLines(ctx), []);
  });

  it('refuses NUL, other control characters, lone surrogates and invalid UTF-8 in every part, the same on both engines, and stores nothing', async () => {
    const before = await snapshot(ctx.database, org.orgId);
    const send = (method: string, path: string, body?: string | Buffer, key = org.writeKey) => {
      const bytes = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body);
      return raw(port, [Buffer.concat([Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n${body === undefined ? '' : `Content-Type: application/json\r\nContent-Length: ${bytes.length}\r\n`}Connection: close\r\n\r\n`), bytes])]);
    };
    const nul = await send('POST', '/v1/clients', '{"first_name":"Ann\\u0000a","email":"ann@example.com"}');
    assertEnvelope(nul, 400, 'parameter_invalid');
    assert.equal(nul.body.error.param, 'first_name');
    const notes = await send('POST', '/v1/clients', '{"first_name":"Ann","notes":"a\\u0007b"}');
    assertEnvelope(notes, 400, 'parameter_invalid');
    assert.equal(notes.body.error.param, 'notes');
    const newlineInName = await send('POST', '/v1/clients', '{"first_name":"Ann\\nSmith"}');
    assertEnvelope(newlineInName, 400, 'parameter_invalid');
    assert.equal(newlineInName.body.error.param, 'first_name');
    const surrogate = await send('POST', '/v1/clients', '{"first_name":"\\ud800x"}');
    assertEnvelope(surrogate, 400, 'parameter_invalid');
    const badUtf8 = await send('POST', '/v1/clients', Buffer.concat([Buffer.from('{"first_name":"Ann'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]));
    assertEnvelope(badUtf8, 400, 'invalid_json');
    const q = await send('GET', '/v1/clients?q=a%00b', undefined, org.readKey);
    assertEnvelope(q, 400, 'parameter_invalid');
    assert.equal(q.body.error.param, 'q');
    const slug = await send('GET', `/v1/locations/${org.locationSlug}%00`, undefined, org.readKey);
    assertEnvelope(slug, 400, 'parameter_invalid');
    assert.equal(slug.body.error.param, 'slug');
    assert.equal(await snapshot(ctx.database, org.orgId), before, 'refused requests change nothing');
    // free text keeps its tabs and newlines
    const ok = await send('POST', '/v1/clients', '{"first_name":"Tab","notes":"line one\\nline\\ttwo\\r\\nthree"}');
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.notes, 'line one\nline\ttwo\r\nthree');
    // the Hub's sign-in: a NUL in the email is the same refusal, not a 500
    const signin = await hub(ctx.app, undefined, { method: 'POST', url: '/hub/api/signin', payload: { email: 'a\u0000@example.com', password: 'x' } });
    assertEnvelope(signin, 400, 'parameter_invalid');
    assert.deepEqual(errorLines(ctx), []);
  });

  it('never lets __proto__ (or constructor) reach an object: unknown field, or an unknown key in a map; hours unchanged', async () => {
    const path = `/hub/api/staff/${shop.staffId}`;
    const beforeStaff = await hub(ctx.app, owner, { url: path });
    const monday = [{ opens: '09:00', closes: '12:00' }];
    const res = await ctx.app.inject({
      method: 'PATCH', url: path, headers: { cookie: owner.cookie, origin: 'http://localhost:80', 'x-csrf-token': owner.csrf, 'content-type': 'application/json' },
      payload: `{"hours":{"__proto__":{"monday":${JSON.stringify(monday)}}}}`,
    });
    assertEnvelope({ status: res.statusCode, headers: res.headers, body: res.json() }, 400, 'parameter_invalid');
    assert.equal(res.json().error.param, 'hours.__proto__');
    const afterStaff = await hub(ctx.app, owner, { url: path });
    assert.deepEqual(afterStaff.body, beforeStaff.body);
    const top = await ctx.app.inject({ method: 'POST', url: '/v1/clients', headers: { authorization: `Bearer ${org.writeKey}`, 'content-type': 'application/json' }, payload: '{"first_name":"Proto","constructor":{"x":1}}' });
    assert.equal(top.statusCode, 400);
    assert.equal(top.json().error.code, 'parameter_unknown');
    assert.equal(top.json().error.param, 'constructor');
  });

  it('closes a slow body with 408 in the envelope within the request timeout, logging it at info', async () => {
    const head = `POST /hub/api/signin HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`;
    const drip = Array.from({ length: 20 }, () => 'a');
    const answer = await raw(port, [head, '{"email":"', ...drip], { gapMs: 300, waitMs: 8000 });
    assertEnvelope(answer, 408, 'request_timeout');
    assert.equal(answer.closed, true);
    assert.ok(answer.ms < 5000, `closed after ${answer.ms} ms`);
    const slowHeaders = await raw(port, ['GET /v1/locations HTTP/1.1\r\nHost: x\r\n'], { waitMs: 8000 });
    assertEnvelope(slowHeaders, 408, 'request_timeout');
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(ctx.logs.some((l) => /"level":30/.test(l) && /client/.test(l)), 'the timeout is logged at info');
    assert.deepEqual(errorLines(ctx), []);
  });

  it('answers the new user\'s finds in the envelope: static paths that leave their folder, no Host, DEL and C1 in text, a year-wide preview at most', async () => {
    for (const path of ['/assets/..%2f..%2fpackage.json', '/assets/.hidden', '/assets/%2e', '/book/assets/%2e%2e/%2e%2e/package.json']) {
      const a = await raw(port, [get(path)]);
      assertEnvelope(a, 404, 'route_not_found');
    }
    assertEnvelope(await raw(port, ['GET /v1/locations HTTP/1.1\r\nConnection: close\r\n\r\n']), 400, 'bad_request');
    for (const name of ['a\u007fb', 'a\u0085b', 'a\u009bb']) {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/clients', headers: { authorization: `Bearer ${org.writeKey}`, 'content-type': 'application/json' }, payload: JSON.stringify({ first_name: name }) });
      assert.equal(res.statusCode, 400, name);
      assert.equal(res.json().error.param, 'first_name');
    }
    const wide = await hub(ctx.app, owner, { url: `/hub/api/affected-bookings?location=${shop.locationId}&from=2026-12-01&to=2099-12-01` });
    assert.equal(wide.status, 400);
    assert.equal(wide.body.error.param, 'to');
    const year = await hub(ctx.app, owner, { url: `/hub/api/affected-bookings?location=${shop.locationId}&from=2026-12-01&to=2027-12-01` });
    assert.equal(year.status, 200);
    assert.deepEqual(errorLines(ctx), []);
  });

  it('refusing a request before its body arrives gives one answer; if the body never comes, the connection is closed without a second (408)', async () => {
    const answer = await raw(port, ['POST /v1/clients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a'], { waitMs: 8000 });
    assertEnvelope(answer, 401, 'missing_api_key'); // the whole byte stream is this one envelope
    assert.equal(answer.closed, true);
    assert.ok(answer.ms < 6000, `closed after ${answer.ms} ms`);
  });

  it('answers a path id over 200 characters with 404 resource_not_found', async () => {
    for (const path of [`/v1/locations/${'a'.repeat(201)}`, `/v1/bookings/${'K'.repeat(500)}`, `/v1/clients/cli_${'x'.repeat(2000)}`]) {
      const a = await raw(port, [get(path, `Authorization: Bearer ${org.readKey}\r\n`)]);
      assertEnvelope(a, 404, 'resource_not_found');
    }
    const hubLong = await hub(ctx.app, owner, { url: `/hub/api/staff/${'s'.repeat(300)}` });
    assert.equal(hubLong.status, 404);
  });
});

describe('load shedding: a lone client after one slow request', () => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp('sqlite', { SHED_MAX_EVENT_LOOP_DELAY_MS: '20' }); });
  after(() => ctx.close());

  it('is served: lag with nobody waiting is not overload', async () => {
    const org = await seedOrg(ctx.database);
    const base = await listen(ctx.app);
    for (let i = 0; i < 10; i++) {
      const t = Date.now() + 150;
      while (Date.now() < t) { /* one slow piece of work */ }
      const res = await fetch(`${base}/v1/locations`, { headers: { authorization: `Bearer ${org.readKey}` } });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    }
  });
});

describe('load shedding by requests in flight', () => {
  let ctx: TestContext;
  before(async () => { ctx = await startTestApp('sqlite', { SHED_MAX_IN_FLIGHT: '2' }); });
  after(() => ctx.close());

  it('sheds a request that finds the cap of unanswered requests in flight, and serves again once they finish', async () => {
    const port = Number(new URL(await listen(ctx.app)).port);
    // Two requests admitted and unanswered: their bodies are still arriving.
    const held = [0, 1].map(() => {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write('POST /hub/api/signin HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"email":');
      return socket;
    });
    await new Promise((r) => setTimeout(r, 200));
    const shed = await raw(port, ['GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    assert.equal(shed.status, 200, 'probes are never shed');
    const third = await raw(port, ['GET /v1/locations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    assertEnvelope(third, 503, 'service_unavailable');
    assert.equal(third.headers['retry-after'], '1');
    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const again = await raw(port, ['GET /v1/locations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    assertEnvelope(again, 401, 'missing_api_key');
  });
});

describe('demo seeding rule', () => {
  it('seeds the demo only on the embedded default, unless SEED_DEMO=true', () => {
    assert.equal(loadConfig({}).seedDemo, true);
    assert.equal(loadConfig({ DATABASE_URL: `sqlite:${path.join(os.tmpdir(), 'setora-seed-rule.db')}` }).seedDemo, true);
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db' }).seedDemo, false);
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', SEED_DEMO: 'true' }).seedDemo, true);
    assert.equal(loadConfig({ SEED_DEMO: 'false' }).seedDemo, false);
  });
});
