import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net, { type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { buildApp } from '../../src/app.js';
import { ensureBookBuilt, ensureHubBuilt } from '../../hub/build.mjs';
import { freshTarget, type Engine } from '../helpers/engines.js';

export const CHROMIUM = '/usr/bin/chromium';

export interface Served {
  url: string;
  app: FastifyInstance;
  database: Database;
  /** The server's clock is the real one moved by `shift` ms (to seed bookings that have started by now). */
  clock: { shift: number };
  close(): Promise<void>;
}

/**
 * Builds the Hub and the booking page if needed, then serves Setora over real HTTP on a free loopback port
 * (SQLite in a temp dir, or a fresh PostgreSQL schema), with the background workers running when asked.
 */
export async function serveHub(opts: { engine?: Engine; env?: Record<string, string>; workers?: boolean } = {}): Promise<Served> {
  ensureHubBuilt({ log: () => undefined });
  ensureBookBuilt({ log: () => undefined });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setora-browser-'));
  const pg = opts.engine === 'postgres' ? await freshTarget('postgres') : undefined;
  // A known port, so that PUBLIC_URL (and so the links in emails) point at this server.
  const free = await freePort();
  const config = loadConfig({
    // No load shedding (as for every server the tests start: scripts/test.mjs): Chromium starves this process of
    // CPU on a small machine, which looks like event-loop lag.
    DATA_DIR: dir, SEED_DEMO: 'false', LOG_LEVEL: 'silent', PORT: String(free), HOST: '127.0.0.1', SHED_MAX_EVENT_LOOP_DELAY_MS: '0', SHED_MAX_IN_FLIGHT: '0', ...opts.env,
    ...(pg && pg.target.kind === 'postgres' ? { DATABASE_URL: pg.target.url } : {}),
  });
  const database = openDatabase(config.database);
  await migrate(database);
  const clock = { shift: 0 };
  const app = await buildApp({ config, database, clock: () => Date.now() + clock.shift, workers: opts.workers });
  await app.listen({ port: free, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    database,
    clock,
    async close() {
      await app.close();
      await database.close();
      await pg?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** Debian's Chromium, headless, nothing phoning home. Missing Chromium is a failure, not a skip (CI installs it). */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium); .ci/run does.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
