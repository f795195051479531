import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { startTarget, stopTarget, load, type LoadResult } from './http.js';

/** Issue 2: authenticated GET /v1/locations on SQLite vs a bare Fastify route returning the same JSON. */
export async function benchLocations(): Promise<{ auth: LoadResult; bare: LoadResult; ratio: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setora-bench-'));
  const app = await startTarget({ DATA_DIR: dir, DATABASE_URL: '' });
  const url = `http://127.0.0.1:${app.info.port}/v1/locations`;
  const headers = { authorization: `Bearer ${app.info.key}` };
  const body = await (await fetch(url, { headers })).text();
  await load({ url, headers, duration: 2 }); // warm-up
  const auth = await load({ url, headers });
  await stopTarget(app);
  const bare = await startTarget({ BENCH_MODE: 'bare', BENCH_BODY: body });
  const bareUrl = `http://127.0.0.1:${bare.info.port}/v1/locations`;
  await load({ url: bareUrl, duration: 2 });
  const bareResult = await load({ url: bareUrl });
  await stopTarget(bare);
  fs.rmSync(dir, { recursive: true, force: true });
  return { auth, bare: bareResult, ratio: auth.rps / bareResult.rps };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchLocations(), null, 2));
}
