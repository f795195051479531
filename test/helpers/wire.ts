import net from 'node:net';
import zlib from 'node:zlib';

/**
 * One HTTP/1.1 request as bytes on the wire, for tests that must send what a well-behaved client never would:
 * any method token (lower case, QUERY, PROPFIND), duplicated headers, raw bytes in the target or a header,
 * a body that is not UTF-8. `target` and header names/values are byte strings (each char one byte, latin1),
 * so `'\xff'` is the byte 0xFF; `body` is sent as is.
 */
export interface WireRequest {
  method: string;
  target: string;
  headers: [string, string][];
  body?: Buffer;
  /**
   * Add `Content-Length` for the body (default true). Leave it out for a request that sets its own framing
   * (`Transfer-Encoding`) or none.
   */
  frame?: boolean;
}

/** What came back: status, headers (names lower-cased; repeated ones joined with `, `), body bytes (de-chunked). */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
}

/** Serialises a request: request line, `Host` (unless given), the headers, `Connection: close`, framing, body. */
export function encodeRequest(req: WireRequest, host: string): Buffer {
  const names = new Set(req.headers.map(([k]) => k.toLowerCase()));
  const lines = [`${req.method} ${req.target} HTTP/1.1`];
  if (!names.has('host')) lines.push(`Host: ${host}`);
  for (const [k, v] of req.headers) lines.push(`${k}: ${v}`);
  if (!names.has('connection')) lines.push('Connection: close');
  if (req.body && req.frame !== false && !names.has('content-length') && !names.has('transfer-encoding')) lines.push(`Content-Length: ${req.body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), req.body ?? Buffer.alloc(0)]);
}

function dechunk(raw: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at, 'latin1');
    if (eol < 0) return undefined;
    const size = parseInt(raw.subarray(at, eol).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    if (eol + 2 + size > raw.length) return undefined;
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** Parses one complete response from `raw` (skipping 1xx interim answers); undefined while incomplete. */
export function parseResponse(raw: Buffer, head: boolean, ended = false): WireResponse | undefined {
  let at = 0;
  for (;;) {
    const end = raw.indexOf('\r\n\r\n', at, 'latin1');
    if (end < 0) return undefined;
    const [statusLine, ...headerLines] = raw.subarray(at, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine!)?.[1]);
    if (!status) throw new Error(`not an HTTP response: ${JSON.stringify(statusLine)}`);
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    at = end + 4;
    if (status >= 100 && status < 200) continue;
    let body: Buffer | undefined;
    const rest = raw.subarray(at);
    if (head || status === 204 || status === 304) body = Buffer.alloc(0);
    else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(rest);
    else if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length']);
      body = rest.length >= n ? rest.subarray(0, n) : undefined;
    } else if (ended) body = rest; // no framing: the body runs to the end of the connection
    else return undefined;
    if (!body) return undefined;
    const encoding = headers['content-encoding'];
    if (encoding === 'gzip') body = zlib.gunzipSync(body);
    else if (encoding === 'br') body = zlib.brotliDecompressSync(body);
    return { status, headers, body, text: body.toString('utf8') };
  }
}

/**
 * Sends `req` to 127.0.0.1:`port` on a fresh connection and reads one response. Rejects when the server closes
 * or resets the connection without a complete answer, or none arrives within `timeoutMs`.
 */
export function sendRaw(port: number, req: WireRequest, timeoutMs = 10_000): Promise<WireResponse> {
  const head = req.method.toUpperCase() === 'HEAD';
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      const raw = Buffer.concat(chunks);
      let res: WireResponse | undefined;
      try {
        res = parseResponse(raw, head, true);
      } catch (e) {
        err = e as Error;
      }
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (res) resolve(res);
      else reject(new Error(`no complete answer (${err?.message ?? 'connection closed'}; ${raw.length} bytes: ${JSON.stringify(raw.subarray(0, 200).toString('latin1'))})`));
    };
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (d) => {
      chunks.push(d);
      const res = (() => { try { return parseResponse(Buffer.concat(chunks), head); } catch { return undefined; } })();
      if (res) finish();
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish(new Error('connection closed')));
    socket.on('error', (e) => {
      // A reset after the server answered (it refused before reading all of a large body) is fine.
      if (!chunks.length) finish(e);
    });
    socket.write(encodeRequest(req, `127.0.0.1:${port}`), () => undefined);
  });
}

/** The request as a copy-pasteable line (byte strings escaped), to replay a fuzz failure by hand. */
export function describeRequest(req: WireRequest): string {
  const body = req.body === undefined ? undefined
    : Buffer.from(req.body.toString('utf8'), 'utf8').equals(req.body)
      ? { utf8: req.body.length > 2000 ? `${req.body.subarray(0, 2000).toString('utf8')}… (${req.body.length} bytes)` : req.body.toString('utf8') }
      : { base64: req.body.length > 3000 ? `${req.body.subarray(0, 3000).toString('base64')}… (${req.body.length} bytes)` : req.body.toString('base64') };
  const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
  return JSON.stringify({ method: req.method, target: clip(req.target), headers: req.headers.map(([k, v]) => [k, clip(v)]), body, frame: req.frame });
}
