import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export type ReceiverMode = 'ok' | 'fail' | 'hang' | 'redirect';

export interface Received { id: string; body: any; headers: http.IncomingHttpHeaders; verified: boolean }

/**
 * A real webhook receiver on loopback. It verifies every delivery with `standardwebhooks`' own `verify` against
 * each of `secrets` (a rotation: the old and the new one), records it, and answers as `mode` says: 2xx, 500,
 * never (hang), or a redirect.
 */
export async function startReceiver(port = 0) {
  const received: Received[] = [];
  const state = { mode: 'ok' as ReceiverMode, secrets: [] as string[] };
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = { 'webhook-id': String(req.headers['webhook-id']), 'webhook-timestamp': String(req.headers['webhook-timestamp']), 'webhook-signature': String(req.headers['webhook-signature']) };
      const verified = state.secrets.length > 0 && state.secrets.every((s) => {
        try { new Webhook(s).verify(raw, headers); return true; } catch { return false; }
      });
      if (state.mode === 'hang') return; // never answers
      received.push({ id: headers['webhook-id'], body: JSON.parse(raw), headers: req.headers, verified });
      if (state.mode === 'fail') { res.writeHead(500, { 'content-type': 'text/plain' }); res.end('Internal trouble\nat the receiver'); return; }
      if (state.mode === 'redirect') { res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }); res.end(); return; }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"received":true}');
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}/hooks`,
    port: actualPort,
    received,
    state,
    /** Unique event ids received. */
    ids: () => new Set(received.map((r) => r.id)),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
