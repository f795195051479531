import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from '../hub/vite.config.ts';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * The online booking page: its own small bundle (Preact, not the Hub's React), served at /book/ by the same
 * process. Budget: 60 kB of gzipped JavaScript (bench/online.bench.ts measures it).
 */
export default defineConfig({
  root,
  base: '/book/',
  plugins: [precompress()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite --config book/vite.config.ts` for UI work, with the API on `npm start`.
    proxy: { '/book/api': 'http://127.0.0.1:8080' },
  },
});
