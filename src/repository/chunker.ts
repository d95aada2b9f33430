/**
 * Content-defined chunking: FastCDC (Xia et al., USENIX ATC 2016: gear rolling hash, cut-point
 * skipping below the minimum, normalised chunking with a stricter mask before the average size).
 *
 * Our own rather than a package: of what npm offers, `rabin-native` (kept, Holepunch) is a native
 * addon with a fixed public polynomial and no way to key it, and would have to stay outside the
 * esbuild bundle; `rabin-wasm` and `@dstanesc/wasm-chunking-fastcdc-node` have had no release in
 * years. With a fixed, public cut function the chunk lengths of a known file tell whether a
 * storage holds it, so the gear table here is derived from the storage's key (restic randomises its
 * Rabin polynomial per repository for the same reason).
 */

export interface ChunkSizes {
  readonly min: number;
  readonly avg: number;
  readonly max: number;
}

export const DEFAULT_CHUNK_SIZES: ChunkSizes = { min: 256 << 10, avg: 1 << 20, max: 4 << 20 };

/** A 32-bit gear hash shifted left: its top bits depend on the last 32 bytes, so masks use the top bits. */
function topMask(bits: number): number {
  return (((1 << bits) - 1) << (32 - bits)) | 0;
}

export function gearTable(seed: Buffer): Int32Array {
  if (seed.byteLength < 1024) throw new Error('the gear seed needs 1024 bytes');
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) table[i] = seed.readInt32LE(i * 4);
  return table;
}

/**
 * A streaming chunker: `push` bytes as they arrive, take the finished chunks, `end` for the last.
 * It holds at most `max` bytes (one buffer, reused), so memory does not grow with the content.
 */
export class Chunker {
  readonly #gear: Int32Array;
  readonly #sizes: ChunkSizes;
  readonly #maskSmall: number;
  readonly #maskLarge: number;
  /** Grows to `max` only when content is that long: most items (messages) are far smaller. */
  #buffer: Buffer;
  #length = 0;
  /** Where the scan of the current chunk stopped, and the hash there, so a push resumes it. */
  #scanned = 0;
  #hash = 0;

  constructor(gear: Int32Array, sizes: ChunkSizes = DEFAULT_CHUNK_SIZES) {
    this.#gear = gear;
    this.#sizes = sizes;
    const bits = Math.round(Math.log2(sizes.avg));
    // Normalisation level 2, as the paper recommends: two bits stricter before the average, two looser after.
    this.#maskSmall = topMask(bits + 2);
    this.#maskLarge = topMask(bits - 2);
    this.#buffer = Buffer.allocUnsafe(Math.min(64 << 10, sizes.max));
  }

  /** Bytes held, waiting for more input or `end`. */
  get buffered(): number {
    return this.#length;
  }

  /** Adds bytes; returns the chunks they complete (each a fresh Buffer the caller owns). */
  push(data: Uint8Array): Buffer[] {
    const chunks: Buffer[] = [];
    let offset = 0;
    while (offset < data.byteLength) {
      const take = Math.min(data.byteLength - offset, this.#sizes.max - this.#length);
      if (this.#length + take > this.#buffer.length) this.#grow(this.#length + take);
      this.#buffer.set(data.subarray(offset, offset + take), this.#length);
      this.#length += take;
      offset += take;
      let cut = this.#findCut();
      while (cut > 0) {
        chunks.push(this.#emit(cut));
        cut = this.#findCut();
      }
    }
    return chunks;
  }

  /** The last chunk (possibly short or empty when nothing was pushed). */
  end(): Buffer | undefined {
    if (this.#length === 0) return undefined;
    return this.#emit(this.#length);
  }

  #grow(needed: number): void {
    let size = this.#buffer.length;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafe(Math.min(size, this.#sizes.max));
    next.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = next;
  }

  #emit(cut: number): Buffer {
    const chunk = Buffer.from(this.#buffer.subarray(0, cut));
    this.#buffer.copyWithin(0, cut, this.#length);
    this.#length -= cut;
    this.#scanned = 0;
    this.#hash = 0;
    return chunk;
  }

  /** The cut point in the buffer, or 0 when more input is needed to find one. */
  #findCut(): number {
    const { min, avg, max } = this.#sizes;
    const length = this.#length;
    if (length < min || (length < max && length <= this.#scanned)) return 0;
    const buffer = this.#buffer;
    const gear = this.#gear;
    let i = Math.max(this.#scanned, min);
    let hash = this.#hash;
    const smallEnd = Math.min(avg, length);
    const maskSmall = this.#maskSmall;
    for (; i < smallEnd; i++) {
      hash = ((hash << 1) + gear[buffer[i]!]!) | 0;
      if ((hash & maskSmall) === 0) return i + 1;
    }
    const largeEnd = Math.min(max, length);
    const maskLarge = this.#maskLarge;
    for (; i < largeEnd; i++) {
      hash = ((hash << 1) + gear[buffer[i]!]!) | 0;
      if ((hash & maskLarge) === 0) return i + 1;
    }
    if (length >= max) return max;
    this.#scanned = i;
    this.#hash = hash;
    return 0;
  }
}
