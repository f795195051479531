import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { startTarget, stopTarget, load, type LoadResult } from './http.js';

const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Issue 2: authenticated GET /v1/locations on SQLite vs a bare Fastify route returning the same JSON.
 * Both servers run side by side; they are measured in alternating rounds and the medians compared, so
 * that a noisy moment on the machine does not land on one side only.
 */
export async function benchLocations(): Promise<{ auth: LoadResult; bare: LoadResult; ratio: number; rounds: { auth: number; bare: number }[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setora-bench-'));
  const app = await startTarget({ DATA_DIR: dir, DATABASE_URL: '' });
  const url = `http://127.0.0.1:${app.info.port}/v1/locations`;
  const headers = { authorization: `Bearer ${app.info.key}` };
  const body = await (await fetch(url, { headers })).text();
  const bare = await startTarget({ BENCH_MODE: 'bare', BENCH_BODY: body });
  const bareUrl = `http://127.0.0.1:${bare.info.port}/v1/locations`;
  await load({ url, headers, duration: 2 });
  await load({ url: bareUrl, duration: 2 });
  const auths: LoadResult[] = [];
  const bares: LoadResult[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    auths.push(await load({ url, headers, duration: 5 }));
    bares.push(await load({ url: bareUrl, duration: 5 }));
  }
  await stopTarget(app);
  await stopTarget(bare);
  fs.rmSync(dir, { recursive: true, force: true });
  const pick = (rs: LoadResult[]) => ({ ...rs[0]!, rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) });
  const auth = pick(auths);
  const bareResult = pick(bares);
  return { auth, bare: bareResult, ratio: auth.rps / bareResult.rps, rounds: auths.map((a, i) => ({ auth: a.rps, bare: bares[i]!.rps })) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchLocations(), null, 2));
}
