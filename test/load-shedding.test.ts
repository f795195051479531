// The load shedder's rules (src/http/load-shedding.ts) at a real HTTP server's front door, over real sockets.
// No storage: the handler behind the door is a stand-in whose speed each test chooses, so the rule under test is
// the only thing deciding. The app-level checks (in-flight cap, probes, a lone slow client) are in
// test/hostile-input.test.ts; the figures under 2,000 connections are in bench/report.md.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadShedder, type LoadShedder } from '../src/http/load-shedding.js';

interface Answer { status: number; headers: Record<string, string>; body: string }

/** A server whose handler holds `/slow` until `release()` and answers anything else at once. */
async function serve(shedder: LoadShedder): Promise<{ port: number; release: () => void; close: () => Promise<void> }> {
  const held: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    if (shedder.admit(req, res)) return;
    const answer = () => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); };
    if (req.url === '/slow') held.push(answer);
    else if (req.method === 'POST') req.resume().on('end', answer);
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    release: () => held.splice(0).forEach((answer) => answer()),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** `n` connected sockets, accepted by the server before this returns. */
async function connect(port: number, n: number): Promise<net.Socket[]> {
  const sockets = await Promise.all(Array.from({ length: n }, () => new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  })));
  await new Promise((r) => setTimeout(r, 100));
  return sockets;
}

/** Writes one request on each socket in the same tick (so the server reads them all in one turn); answers in order. */
function burst(sockets: net.Socket[], request: (i: number) => string): Promise<Answer[]> {
  const answers = sockets.map((s) => new Promise<Answer>((resolve) => {
    let data = '';
    const onData = (c: Buffer) => {
      data += c.toString('latin1');
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = data.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? 0);
      if (data.length < end + 4 + length) return;
      s.off('data', onData);
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: data.slice(end + 4, end + 4 + length) });
    };
    s.on('data', onData);
  }));
  sockets.forEach((s, i) => s.write(request(i)));
  return Promise.all(answers);
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;

function assertShed(a: Answer) {
  assert.equal(a.status, 503);
  assert.equal(a.headers['retry-after'], '1');
  assert.equal(a.headers['content-type'], 'application/json; charset=utf-8');
  const body = JSON.parse(a.body);
  assert.equal(body.error.code, 'service_unavailable');
  assert.equal(body.error.request_id, a.headers['x-request-id']);
}

describe('load shedding: the turn budget', () => {
  // Each request the shedder sees moves its clock 1 ms on: a turn of 200 arrivals "lasts" 200 ms.
  let tick = 0;
  let server: Awaited<ReturnType<typeof serve>>;
  before(async () => { server = await serve(loadShedder({ maxEventLoopDelayMs: 20, maxInFlight: 0, now: () => ++tick })); });
  after(() => server.close());

  it('serves a turn\'s first 64 arrivals, sheds the rest once the turn has spent its budget, and never a probe', async () => {
    const sockets = await connect(server.port, 200);
    const answers = await burst(sockets, (i) => get(i === 199 ? '/healthz' : `/r${i}`));
    const served = answers.filter((a) => a.status === 200).length;
    const shed = answers.filter((a) => a.status === 503);
    assert.ok(served >= 64, `served ${served}`);
    // All 200 normally arrive in one turn (then 135 are shed); a socket read in a later turn starts that turn afresh.
    assert.ok(shed.length >= 1, `shed ${shed.length} of 200`);
    shed.forEach(assertShed);
    assert.equal(answers[199]!.status, 200, 'probes are never shed');
    // A later turn starts afresh: a small burst is served whole.
    const again = await burst(sockets.slice(0, 30), (i) => get(`/again${i}`));
    assert.deepEqual(again.map((a) => a.status), Array(30).fill(200));
    sockets.forEach((s) => s.destroy());
  });
});

describe('load shedding: requests waiting downstream', () => {
  let server: Awaited<ReturnType<typeof serve>>;
  // Budget 20 ms ⇒ 8 requests without a body unanswered for over 80 ms mean a queue below the event loop.
  before(async () => { server = await serve(loadShedder({ maxEventLoopDelayMs: 20, maxInFlight: 0 })); });
  after(() => server.close());

  it('sheds arrivals while 8 admitted requests have waited too long, and serves again once they are answered', async () => {
    const slow = await connect(server.port, 8);
    const slowAnswers = burst(slow, () => get('/slow'));
    await new Promise((r) => setTimeout(r, 150));
    const sockets = await connect(server.port, 20);
    const during = await burst(sockets, (i) => get(`/r${i}`));
    const shed = during.filter((a) => a.status === 503);
    assert.ok(shed.length >= 1 && shed.length <= 13, `shed ${shed.length} of 20: ${during.map((a) => a.status)}`);
    shed.forEach(assertShed);
    server.release();
    assert.deepEqual((await slowAnswers).map((a) => a.status), Array(8).fill(200), 'the waiting requests themselves are answered');
    const afterwards = await burst(sockets, (i) => get(`/r${i}`));
    assert.deepEqual(afterwards.map((a) => a.status), Array(20).fill(200));
    [...slow, ...sockets].forEach((s) => s.destroy());
  });

  it('does not shed for one slow request: a big export is not a queue', async () => {
    const [slow] = await connect(server.port, 1);
    const slowAnswer = burst([slow!], () => get('/slow'));
    await new Promise((r) => setTimeout(r, 150));
    const sockets = await connect(server.port, 20);
    const during = await burst(sockets, (i) => get(`/r${i}`));
    assert.deepEqual(during.map((a) => a.status), Array(20).fill(200));
    server.release();
    await slowAnswer;
    [slow!, ...sockets].forEach((s) => s.destroy());
  });

  it('does not count requests whose body is still arriving (a slow upload is the request timeout\'s business)', async () => {
    const uploads = await connect(server.port, 8);
    for (const u of uploads) u.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345');
    await new Promise((r) => setTimeout(r, 150));
    const sockets = await connect(server.port, 20);
    const during = await burst(sockets, (i) => get(`/r${i}`));
    assert.deepEqual(during.map((a) => a.status), Array(20).fill(200));
    [...uploads, ...sockets].forEach((s) => s.destroy());
  });

  it('sheds nothing with a budget of 0 and no cap (shedding off)', async () => {
    const off = await serve(loadShedder({ maxEventLoopDelayMs: 0, maxInFlight: 0 }));
    try {
      const slow = await connect(off.port, 8);
      const slowAnswers = burst(slow, () => get('/slow'));
      await new Promise((r) => setTimeout(r, 150));
      const sockets = await connect(off.port, 100);
      const during = await burst(sockets, (i) => get(`/r${i}`));
      assert.deepEqual(during.map((a) => a.status), Array(100).fill(200));
      off.release();
      await slowAnswers;
      [...slow, ...sockets].forEach((s) => s.destroy());
    } finally {
      await off.close();
    }
  });
});
