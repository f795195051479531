import { randomFillSync } from 'node:crypto';

// Crockford-style alphabet without I, L, O, U: safe to read aloud and to type.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// CSPRNG bytes drawn 4 KiB at a time: asking the kernel for a few bytes per id costs more than the id.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]!;
}

/** Random string over `alphabet` from a CSPRNG, without modulo bias (rejection sampling). */
export function randomString(length: number, alphabet: string = ALPHABET): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    if (byte < limit) out += alphabet[byte % alphabet.length];
  }
  return out;
}

export const randomBase62 = (length: number): string => randomString(length, BASE62);

export type IdPrefix = 'org' | 'usr' | 'key' | 'loc' | 'svc' | 'stf' | 'cli' | 'bkg' | 'cls' | 'exc' | 'ses' | 'inv' | 'evt' | 'msg' | 'whe' | 'dlv' | 'att';

/** Opaque prefixed id, e.g. `svc_7K3M9QX2PB4T0RZ1`: 16 chars = 80 random bits. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomString(16).toLowerCase()}`;
}

/** Booking reference: 8 unambiguous characters shown as `K7QX-2M4P`. */
export function newReference(): string {
  const raw = randomString(8);
  return `${raw.slice(0, 4)}-${raw.slice(4)}`;
}
