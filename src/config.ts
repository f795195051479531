import { z } from 'zod';
import path from 'node:path';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(def);

const ConfigSchema = z.object({
  PORT: int(8080, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: int(10, 1, 200),
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  REDIS_URL: z.string().optional(),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  TRUST_PROXY: bool.default(false),
  ALLOW_LOOPBACK_HTTP: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RATE_LIMIT_PER_MINUTE: int(6000, 1),
  AUTH_FAILURES_PER_MINUTE: int(300, 1),
  PUBLIC_URL: z.string().optional(),
  SEED_DEMO: bool.optional(),
  REQUEST_TIMEOUT_MS: int(30_000, 1_000, 600_000),
  HEADERS_TIMEOUT_MS: int(10_000, 1_000, 600_000),
  SHED_MAX_EVENT_LOOP_DELAY_MS: int(25, 0, 60_000),
  SHED_MAX_IN_FLIGHT: int(512, 0, 1_000_000),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'expected smtp://… or smtps://…').optional(),
  MAIL_FROM: z.string().min(3).default('bookings@setora.localhost'),
  ONLINE_REQUESTS_PER_MINUTE: int(600, 1),
  ONLINE_BOOKINGS_PER_HOUR: int(20, 1),
  ONLINE_BOOKINGS_PER_CONTACT_PER_HOUR: int(5, 1),
  WEBHOOK_ALLOW_PRIVATE_URLS: bool.default(false),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize: number; preparedStatements: boolean };
  redisUrl?: string;
  tls?: { certFile: string; keyFile: string };
  trustProxy: boolean;
  allowLoopbackHttp: boolean;
  logLevel: string;
  rateLimitPerMinute: number;
  authFailuresPerMinute: number;
  publicUrl: string;
  /** Seed a demo shop into an empty database: by default only on the embedded SQLite default (SEED_DEMO=true forces it). */
  seedDemo: boolean;
  /**
   * Request bounds (docs/operations.md): the whole request (headers and body) must arrive within
   * `requestTimeoutMs`, its headers within `headersTimeoutMs` (milliseconds; 408 otherwise). Load shedding
   * (src/http/load-shedding.ts): once an event-loop turn has spent `shedMaxEventLoopDelayMs` with more than 64
   * requests arrived, the rest of its arrivals get `503`; so do arrivals while 8 requests admitted over 4× as long
   * ago are unanswered, and every request that finds `shedMaxInFlight` requests unanswered (0 turns each off).
   */
  limits: { requestTimeoutMs: number; headersTimeoutMs: number; shedMaxEventLoopDelayMs: number; shedMaxInFlight: number };
  /** Client messages: SMTP when set (nodemailer), else the development mailbox in the database (Hub → Settings → Messages). */
  smtpUrl?: string;
  /** The envelope sender and From address of client messages (the shop's name is its display name). */
  mailFrom: string;
  /** Booking page abuse limits: requests per client address per minute; bookings per address and per contact per hour. */
  online: { requestsPerMinute: number; bookingsPerHour: number; bookingsPerContactPerHour: number };
  /** Development and tests only: webhook endpoints may use plain HTTP and private or loopback addresses. */
  webhookAllowPrivateUrls: boolean;
}

/** The only place that reads the environment: parsed once, frozen, passed down. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = ConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new Error(`Invalid configuration: ${first.path.join('.')}: ${first.message}`);
  }
  const e = parsed.data;
  if ((e.TLS_CERT_FILE && !e.TLS_KEY_FILE) || (!e.TLS_CERT_FILE && e.TLS_KEY_FILE)) {
    throw new Error('Invalid configuration: TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const url = e.DATABASE_URL;
  let database: Config['database'];
  if (!url) database = { kind: 'sqlite', file: path.join(dataDir, 'setora.db') };
  else if (/^postgres(ql)?:\/\//.test(url)) database = { kind: 'postgres', url, poolSize: e.DATABASE_POOL_SIZE, preparedStatements: e.DATABASE_PREPARED_STATEMENTS };
  else if (url.startsWith('sqlite:')) database = { kind: 'sqlite', file: path.resolve(url.slice('sqlite:'.length).replace(/^\/\//, '')) };
  else throw new Error('Invalid configuration: DATABASE_URL must be postgres://… or sqlite:PATH');
  const scheme = e.TLS_CERT_FILE ? 'https' : 'http';
  const shownHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database,
    redisUrl: e.REDIS_URL,
    tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : undefined,
    trustProxy: e.TRUST_PROXY,
    allowLoopbackHttp: e.ALLOW_LOOPBACK_HTTP,
    logLevel: e.LOG_LEVEL,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
    publicUrl: (e.PUBLIC_URL ?? `${scheme}://${shownHost}:${e.PORT}`).replace(/\/$/, ''),
    seedDemo: e.SEED_DEMO ?? database.kind === 'sqlite',
    limits: { requestTimeoutMs: e.REQUEST_TIMEOUT_MS, headersTimeoutMs: Math.min(e.HEADERS_TIMEOUT_MS, e.REQUEST_TIMEOUT_MS), shedMaxEventLoopDelayMs: e.SHED_MAX_EVENT_LOOP_DELAY_MS, shedMaxInFlight: e.SHED_MAX_IN_FLIGHT },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    online: { requestsPerMinute: e.ONLINE_REQUESTS_PER_MINUTE, bookingsPerHour: e.ONLINE_BOOKINGS_PER_HOUR, bookingsPerContactPerHour: e.ONLINE_BOOKINGS_PER_CONTACT_PER_HOUR },
    webhookAllowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS,
  });
}
