/**
 * The OpenAPI document exactly as the server generates it (`GET /v1/openapi.json`, less the live "Try it
 * out" times), built in-process on a throwaway SQLite database: the one source for docs/api-reference.md and
 * the SDK's generated types. `node --import tsx scripts/openapi-document.ts [out.json]` writes it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { buildApp } from '../src/app.js';

/** The document for the default public URL (`http://127.0.0.1:8080`), so its text is the same on every machine. */
export async function openApiDocument(): Promise<Record<string, any>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setora-openapi-'));
  const config = loadConfig({ DATA_DIR: dir, SEED_DEMO: 'false', LOG_LEVEL: 'silent' });
  const database = openDatabase(config.database);
  try {
    await migrate(database);
    const app = await buildApp({ config, database });
    await app.ready();
    const doc = structuredClone(app.swagger()) as Record<string, any>;
    await app.close();
    return doc;
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const doc = await openApiDocument();
  const out = process.argv[2];
  if (out) fs.writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  else process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}
