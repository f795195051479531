import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { buildApp } from '../../src/app.js';
import { ensureHubBuilt } from '../../hub/build.mjs';

export const CHROMIUM = '/usr/bin/chromium';

export interface Served {
  url: string;
  app: FastifyInstance;
  database: Database;
  /** The server's clock is the real one moved by `shift` ms (to seed bookings that have started by now). */
  clock: { shift: number };
  close(): Promise<void>;
}

/** Builds the Hub if needed, then serves Setora over real HTTP on a free loopback port (SQLite in a temp dir). */
export async function serveHub(): Promise<Served> {
  ensureHubBuilt({ log: () => undefined });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setora-browser-'));
  const config = loadConfig({ DATA_DIR: dir, SEED_DEMO: 'false', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' });
  const database = openDatabase(config.database);
  await migrate(database);
  const clock = { shift: 0 };
  const app = await buildApp({ config, database, clock: () => Date.now() + clock.shift });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    database,
    clock,
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
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
