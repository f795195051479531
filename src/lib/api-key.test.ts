import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateApiKey, isWellFormedApiKey, digestApiKey, displayPrefix } from './api-key.js';

test('generated keys are well formed and unique', () => {
  const keys = new Set(Array.from({ length: 500 }, generateApiKey));
  assert.equal(keys.size, 500);
  for (const k of keys) {
    assert.match(k, /^sk_live_[0-9A-Za-z]{36}$/);
    assert.ok(isWellFormedApiKey(k));
  }
});

test('a single changed character fails the checksum', () => {
  const key = generateApiKey();
  for (let i = 8; i < key.length; i++) {
    const c = key[i] === 'a' ? 'b' : 'a';
    const typo = key.slice(0, i) + c + key.slice(i + 1);
    assert.equal(isWellFormedApiKey(typo), false, `typo at ${i}`);
  }
});

test('malformed keys are rejected', () => {
  for (const k of ['', 'sk_live_', 'sk_test_' + 'a'.repeat(36), 'sk_live_' + 'a'.repeat(35), 'sk_live_' + '!'.repeat(36)]) {
    assert.equal(isWellFormedApiKey(k), false, k);
  }
});

test('digest and display prefix never contain the key body', () => {
  const key = generateApiKey();
  const d = digestApiKey(key);
  assert.match(d, /^[0-9a-f]{64}$/);
  const { prefix, last4 } = displayPrefix(key);
  assert.equal(prefix.length, 12);
  assert.equal(last4.length, 4);
  assert.ok(!d.includes(key.slice(8, 20)));
});
