import { createHash, timingSafeEqual } from 'node:crypto';
import { randomBase62 } from './ids.js';

/**
 * API key format: `sk_live_` + 30 base62 chars (≈178 random bits) + 6 base62 chars of CRC-32.
 * The checksum lets us (and secret scanners) reject a typo or a made-up key without a database read.
 */
export const KEY_PREFIX = 'sk_live_';
const BODY_LEN = 30;
const CHECK_LEN = 6;
const KEY_RE = /^sk_live_[0-9A-Za-z]{36}$/;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) c = CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function checksum(body: string): string {
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < CHECK_LEN; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function generateApiKey(): string {
  const body = randomBase62(BODY_LEN);
  return KEY_PREFIX + body + checksum(body);
}

/** Shape and checksum only: no I/O. A key that fails here never reaches the database. */
export function isWellFormedApiKey(key: string): boolean {
  if (!KEY_RE.test(key)) return false;
  const body = key.slice(KEY_PREFIX.length, KEY_PREFIX.length + BODY_LEN);
  return key.slice(KEY_PREFIX.length + BODY_LEN) === checksum(body);
}

/** SHA-256 is enough: keys carry ~178 bits of entropy, so there is nothing to brute-force. */
export function digestApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What we may show later: `sk_live_AbCd…wxyz`. */
export function displayPrefix(key: string): { prefix: string; last4: string } {
  return { prefix: key.slice(0, KEY_PREFIX.length + 4), last4: key.slice(-4) };
}
