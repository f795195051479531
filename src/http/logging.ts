import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';

// Values that must never reach a log line, whatever field they hide in.
const SECRET_PATTERNS: [RegExp, string][] = [
  [/sk_live_[0-9A-Za-z]{4,}/g, 'sk_live_[redacted]'],
  [/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g, '[email]'],
  [/\+?\d[\d ()-]{8,}\d/g, '[phone]'],
];

export function scrub(text: string): string {
  let out = text;
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, depth + 1);
  return out;
}

/**
 * pino options: known secret fields are removed by path, and every string is scrubbed for keys, emails and
 * phone numbers, so a value that slips into an error message is still not written. Request bodies are never
 * logged; requests are logged by route template, not URL (query strings can hold an email or phone).
 */
export function loggerOptions(level: string, stream?: DestinationStream): NonNullable<FastifyServerOptions['logger']> & object {
  return {
    level,
    stream,
    redact: {
      paths: [
        'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'res.headers["set-cookie"]',
        '*.authorization', '*.password', '*.plaintext', '*.api_key', '*.token', '*.email', '*.phone', 'body', '*.body', 'err.detail',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; routeOptions?: { url?: string } }) => ({ method: req.method, route: req.routeOptions?.url }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    formatters: { log: (obj: Record<string, unknown>) => scrubDeep(obj) as Record<string, unknown> },
    // and the message itself
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)));
      },
    },
  } as never;
}
