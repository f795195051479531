import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../scripts/openapi-document.js';
import { REFERENCE_PATH, renderReference } from '../scripts/api-reference.js';

/**
 * Issue 14.6: the project's own docs hold the API reference, generated from the same schemas as the server's
 * OpenAPI document, and never point outside the clone.
 */
test('docs/api-reference.md is what `npm run docs` writes from the current OpenAPI document', async () => {
  const expected = renderReference(await openApiDocument());
  const actual = fs.readFileSync(REFERENCE_PATH, 'utf8');
  assert.ok(actual === expected, 'docs/api-reference.md is stale: run `npm run docs` and commit the result');
  for (const op of ['List locations', 'Find bookable times', 'Create a booking', 'Reschedule a booking', 'Cancel a booking', 'Create a client']) {
    assert.ok(actual.includes(`### ${op}`), op);
  }
  assert.ok(actual.includes('| `staff_time_off` |') && actual.includes('| 409 | `slot_unavailable` |'));
});

test('README and docs/ never point at files outside the clone, and their relative links resolve', () => {
  const root = path.resolve(import.meta.dirname, '..');
  const files = ['README.md', 'sdk/README.md', 'src/db/README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const file of files) {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) continue;
    const text = fs.readFileSync(full, 'utf8');
    assert.ok(!/\.\.\/shared|shared\/docs/.test(text), `${file} points at ../shared`);
    for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      assert.ok(fs.existsSync(path.resolve(path.dirname(full), target)), `${file}: broken link ${target}`);
      assert.ok(path.resolve(path.dirname(full), target).startsWith(root), `${file}: ${target} is outside the clone`);
    }
  }
});
