import { performance } from 'node:perf_hooks';
import type { LookupFunction } from 'node:net';
import { Agent, request, errors } from 'undici';
import { DeliveryRefused, resolvePublic } from './webhook-url.js';

/** What one attempt came to, as the delivery log records it. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  /** Why it failed without a 2xx: `timeout`, `private_address`, `dns_failure`, `connection_failed`, `redirect_not_followed`, `http_status`, `aborted`. */
  error: string | null;
  latencyMs: number;
  /** The start of the answer's body (at most 200 characters, control characters removed). */
  excerpt: string | null;
}

export interface SenderOptions {
  /** API.md §9: success is a 2xx within 10 seconds. Tests shorten it. */
  timeoutMs?: number;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: plain HTTP and private addresses, for local receivers in development and tests. */
  allowPrivate: boolean;
}

const EXCERPT_CHARS = 200;
const READ_LIMIT = 4096;

/**
 * Sends webhook requests over HTTP(S) with undici: the host is resolved and checked before every attempt,
 * and every new connection resolves and checks again in its own lookup, so the socket always goes to a checked
 * address (no DNS rebinding between check and connect). Redirects are not followed (a 3xx is a failed attempt).
 * The whole attempt, body included, is bounded by the timeout; `signal` aborts it early (shutdown).
 */
export function webhookSender(opts: SenderOptions) {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const checkedLookup: LookupFunction = (hostname, options, callback) => {
    resolvePublic(hostname, opts.allowPrivate).then(
      ({ address, family }) => {
        if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
        else callback(null, address, family);
      },
      (err: Error) => callback(Object.assign(err, { code: (err as DeliveryRefused).code ?? 'ENOTFOUND' }) as NodeJS.ErrnoException, '', 4),
    );
  };
  const agent = new Agent({ connect: { lookup: checkedLookup, timeout: timeoutMs }, connections: 8, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });

  async function send(url: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<AttemptResult> {
    const started = performance.now();
    const done = (r: Omit<AttemptResult, 'latencyMs'>): AttemptResult => ({ ...r, latencyMs: Math.round(performance.now() - started) });
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      await resolvePublic(new URL(url).hostname, opts.allowPrivate);
      const res = await request(url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'Setora-Webhooks/1.0', ...headers },
        body,
        signal: combined,
      });
      const excerpt = await readExcerpt(res.body);
      const status = res.statusCode;
      if (status >= 200 && status < 300) return done({ ok: true, statusCode: status, error: null, excerpt });
      return done({ ok: false, statusCode: status, error: status >= 300 && status < 400 ? 'redirect_not_followed' : 'http_status', excerpt });
    } catch (err) {
      return done({ ok: false, statusCode: null, error: classify(err, signal), excerpt: null });
    }
  }

  return { send, close: () => agent.close() };
}

export type WebhookSender = ReturnType<typeof webhookSender>;

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= READ_LIMIT) {
      body.destroy();
      break;
    }
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, EXCERPT_CHARS);
  return text || null;
}

function classify(err: unknown, shutdown?: AbortSignal): string {
  if (shutdown?.aborted) return 'aborted';
  const e = err as { code?: string; name?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (err instanceof DeliveryRefused) return err.code;
  if (code === 'private_address' || code === 'dns_failure') return code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError || err instanceof errors.ConnectTimeoutError) return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns_failure';
  if (typeof code === 'string' && code.startsWith('ERR_TLS') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'CERT_HAS_EXPIRED') return 'tls_error';
  if (err instanceof TypeError) return 'invalid_url';
  return 'connection_failed';
}
