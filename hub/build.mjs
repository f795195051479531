// Builds the Hub (vite) when hub/dist is missing or older than any of its sources, and the same for the
// online booking page (book/ → book/dist). Used by `npm start` (bin/start.js), the browser tests and the
// benchmarks, so all of them serve what the sources say.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const hubDir = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.join(hubDir, 'dist');
export const bookDir = path.join(path.dirname(hubDir), 'book');
export const bookDistDir = path.join(bookDir, 'dist');
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

/** Why an app (hub/ or book/) needs building ('missing' | 'stale'), or null when its dist is current. */
function buildNeeded(appDir) {
  const builtAt = newestMtime(path.join(appDir, 'dist', 'index.html'));
  if (!builtAt) return 'missing';
  const newest = Math.max(...SOURCES.map((s) => newestMtime(path.join(appDir, s))), newestMtime(path.join(hubDir, 'vite.config.ts')));
  return newest > builtAt ? 'stale' : null;
}

export const hubBuildNeeded = () => buildNeeded(hubDir);

/** Runs `vite build` for the Hub in a child process when needed (or when forced); throws if the build fails. */
export const ensureHubBuilt = (opts = {}) => ensureBuilt(hubDir, 'the Hub', opts);
/** The same for the online booking page (book/ → book/dist). */
export const ensureBookBuilt = (opts = {}) => ensureBuilt(bookDir, 'the booking page', opts);

function ensureBuilt(appDir, name, { force = false, log = (line) => console.log(line) } = {}) {
  const reason = force ? 'forced' : buildNeeded(appDir);
  if (!reason) return { built: false };
  const started = Date.now();
  log(`Building ${name} (${reason === 'missing' ? 'no build yet' : reason === 'stale' ? 'sources changed' : 'forced'})…`);
  const require = createRequire(import.meta.url);
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const res = spawnSync(process.execPath, [vite, 'build', '--config', path.join(appDir, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: path.dirname(hubDir),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (res.status !== 0) throw new Error(`vite build failed (exit ${res.status ?? res.signal})`);
  log(`Built ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return { built: true, ms: Date.now() - started };
}
