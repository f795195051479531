// Builds the Hub (vite) when hub/dist is missing or older than any of its sources. Used by `npm start`
// (bin/start.js), the browser tests and the Hub benchmark, so all three serve what the sources say.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const hubDir = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.join(hubDir, 'dist');
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json'];

function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(p).map((name) => newestMtime(path.join(p, name))));
}

/** Why the Hub needs building ('missing' | 'stale'), or null when hub/dist is current. */
export function hubBuildNeeded() {
  const builtAt = newestMtime(path.join(distDir, 'index.html'));
  if (!builtAt) return 'missing';
  const newest = Math.max(...SOURCES.map((s) => newestMtime(path.join(hubDir, s))));
  return newest > builtAt ? 'stale' : null;
}

/** Runs `vite build` in a child process when needed (or when forced); throws if the build fails. */
export function ensureHubBuilt({ force = false, log = (line) => console.log(line) } = {}) {
  const reason = force ? 'forced' : hubBuildNeeded();
  if (!reason) return { built: false };
  const started = Date.now();
  log(`Building the Hub (${reason === 'missing' ? 'no build yet' : reason === 'stale' ? 'sources changed' : 'forced'})…`);
  const require = createRequire(import.meta.url);
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const res = spawnSync(process.execPath, [vite, 'build', '--config', path.join(hubDir, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: path.dirname(hubDir),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (res.status !== 0) throw new Error(`vite build failed (exit ${res.status ?? res.signal})`);
  log(`Hub built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return { built: true, ms: Date.now() - started };
}
