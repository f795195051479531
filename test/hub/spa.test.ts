import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { startTestApp, type TestContext } from '../helpers/app.js';
import { spaRoutes } from '../../src/modules/hub/spa.routes.js';
import { ensureHubBuilt, distDir } from '../../hub/build.mjs';

/** Serving the built SPA (not storage: one engine is enough). */
let ctx: TestContext;
before(async () => {
  ensureHubBuilt({ log: () => undefined });
  ctx = await startTestApp('sqlite');
});
after(() => ctx.close());

const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers });

test('index.html for / and every client route, with a strict CSP and no caching', async () => {
  for (const url of ['/', '/diary', '/diary?location=x&date=2026-12-07', '/clients/cli_123', '/settings/developer', '/invite/abc', '/signin']) {
    const res = await get(url);
    assert.equal(res.statusCode, 200, url);
    assert.match(String(res.headers['content-type']), /^text\/html/, url);
    assert.match(res.body, /<div id="root"><\/div>/, url);
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'; script-src 'self'/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['cache-control'], 'no-cache');
  }
});

test('hashed assets are cached for a year and sent pre-compressed when the browser accepts it', async () => {
  const js = fs.readdirSync(path.join(distDir, 'assets')).find((f) => f.endsWith('.js'))!;
  const plain = await get(`/assets/${js}`);
  assert.equal(plain.statusCode, 200);
  assert.match(String(plain.headers['content-type']), /javascript/);
  assert.match(String(plain.headers['cache-control']), /max-age=31536000.*immutable/);
  const br = await get(`/assets/${js}`, { 'accept-encoding': 'br, gzip' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.ok(br.rawPayload.length < plain.rawPayload.length / 2);
  assert.equal((await get('/favicon.svg')).statusCode, 200);
});

test('no page or file leaks: missing assets, traversal and server paths answer the JSON 404', async () => {
  for (const url of ['/assets/nope.js', '/v1/nope', '/hub/api/nope', '/docs/nope.json']) {
    const res = await get(url);
    assert.equal(res.statusCode, 404, url);
    assert.match(String(res.headers['content-type']), /^application\/json/, url);
    assert.match(JSON.parse(res.body).error.code, /^(route|resource)_not_found$/, url);
  }
  for (const url of ['/assets/%2e%2e/%2e%2e/package.json', '/%2e%2e/package.json', '/index.html.br', '/favicon.svg.gz']) {
    const res = await get(url);
    assert.ok(!res.body.includes('"dependencies"'), url);
    assert.ok(res.statusCode === 404 || /<div id="root">/.test(res.body), `${url}: only the page itself or a 404`);
  }
  const wrong = await ctx.app.inject({ method: 'POST', url: '/diary' });
  assert.equal(wrong.statusCode, 404, 'pages take no POST');
});

test('the Hub\'s routes stay out of the public API document', async () => {
  const spec = JSON.parse((await get('/v1/openapi.json')).body);
  const paths = Object.keys(spec.paths);
  assert.ok(paths.length > 5);
  assert.deepEqual(paths.filter((p) => !p.startsWith('/v1/')), []);
});

test('before a build, pages explain how to build the Hub (503) and the API still answers', async () => {
  const app = Fastify();
  await app.register(spaRoutes('/nonexistent/hub/dist/'));
  const res = await app.inject({ method: 'GET', url: '/diary' });
  assert.equal(res.statusCode, 503);
  assert.match(res.body, /npm run build/);
  await app.close();
});
