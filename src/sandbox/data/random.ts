/**
 * Deterministic randomness: everything the sandbox seeds is a function of (seed, what, which), so the
 * same seed gives the same mailboxes and files on every run and any item can be re-derived on demand
 * instead of being kept in memory.
 */
import { createCipheriv, createHash } from 'node:crypto';

/** 32 bytes naming one derivation: sha256 over the parts, NUL-separated. */
export function derive(...parts: ReadonlyArray<string | number>): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(String(part)).update('\0');
  return hash.digest();
}

/** xoshiro128**: small, fast, good enough to pick names and sizes. */
export class Rng {
  private s: Uint32Array;

  constructor(seed: Buffer) {
    this.s = new Uint32Array([seed.readUInt32LE(0), seed.readUInt32LE(4), seed.readUInt32LE(8), seed.readUInt32LE(12)]);
    if (this.s.every((x) => x === 0)) this.s[0] = 1;
  }

  static of(...parts: ReadonlyArray<string | number>): Rng {
    return new Rng(derive(...parts));
  }

  /** Uniform in [0, 2^32). */
  nextUint32(): number {
    const s = this.s;
    const s0 = s[0] ?? 0;
    const s1 = s[1] ?? 0;
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s[2] = (s[2] ?? 0) ^ s0;
    s[3] = (s[3] ?? 0) ^ s1;
    s[1] = s1 ^ (s[2] ?? 0);
    s[0] = s0 ^ (s[3] ?? 0);
    s[2] = (s[2] ?? 0) ^ t;
    s[3] = rotl(s[3] ?? 0, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Picks by weight: [[value, weight], …]. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of items) {
      r -= w;
      if (r < 0) return value;
    }
    const last = items[items.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * `length` bytes of the AES-256-CTR keystream of `key`, starting at `offset`: random-looking content
 * with random access, so a range of a 1 GB file costs only that range.
 */
export function keystream(key: Buffer, offset: number, length: number): Buffer {
  const block = Math.floor(offset / 16);
  const iv = Buffer.alloc(16);
  // A 128-bit big-endian counter; offsets stay far below 2^53, so the high half is always 0.
  iv.writeUInt32BE(Math.floor(block / 4294967296), 8);
  iv.writeUInt32BE(block % 4294967296, 12);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  const skip = offset % 16;
  const out = cipher.update(Buffer.alloc(skip + length));
  return skip ? out.subarray(skip) : out;
}
