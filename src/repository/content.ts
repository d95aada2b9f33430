/**
 * Content in and out (DESIGN.md, "Content and chunking"): chunk, deduplicate, seal and append on
 * the way in; locate, authenticate and stream on the way out.
 */
import { Readable } from 'node:stream';
import type { ContentRef, PutContentResult, WriteEvent } from './api.js';
import { StorageError } from './api.js';
import { idKey } from './blob-index.js';
import type { ObjectLocation } from './blob-index.js';
import { Chunker, DEFAULT_CHUNK_SIZES } from './chunker.js';
import type { StorageContext } from './context.js';
import { loadNewIndexFiles } from './index-file.js';
import type { PackWriter } from './pack-writer.js';
import { readObject } from './pack-format.js';
import type { ObjectKind } from './seal.js';
import { ID_BYTES, objectId, sealObject, sealedLength } from './seal.js';

/** Chunks of one content being sealed at once: enough to keep two cores busy, bounded memory. */
const CHUNKS_IN_FLIGHT = 2;

export interface StoredObject {
  readonly id: Buffer;
  /** Sealed bytes added; 0 when the storage already held the object. */
  readonly stored: number;
}

export class ContentWriter {
  readonly #ctx: StorageContext;
  readonly #packs: PackWriter;
  readonly #gear: Int32Array;
  readonly #emit: (event: WriteEvent) => void;
  /** Objects being sealed now, so two callers storing the same bytes store them once. */
  readonly #inFlight = new Map<string, Promise<number>>();

  constructor(ctx: StorageContext, packs: PackWriter, gear: Int32Array, emit: (event: WriteEvent) => void) {
    this.#ctx = ctx;
    this.#packs = packs;
    this.#gear = gear;
    this.#emit = emit;
  }

  /** Stores one object unless the storage holds it already. */
  async storeObject(kind: ObjectKind, plaintext: Buffer): Promise<StoredObject> {
    const id = objectId(this.#ctx.keys.id, kind, plaintext);
    if (this.#ctx.index.has(id)) return { id, stored: 0 };
    const key = idKey(id);
    const running = this.#inFlight.get(key);
    if (running) {
      await running;
      return { id, stored: 0 };
    }
    const work = (async () => {
      const sealed = await sealObject(this.#ctx.keys.seal, kind, id, plaintext);
      await this.#packs.add(kind, id, sealed, plaintext.byteLength);
      return sealedLength(sealed);
    })();
    this.#inFlight.set(key, work);
    try {
      return { id, stored: await work };
    } finally {
      this.#inFlight.delete(key);
    }
  }

  async putContent(content: Uint8Array | AsyncIterable<Uint8Array>): Promise<PutContentResult> {
    // Bytes shorter than the smallest chunk are one chunk: no chunker, no copy (most messages).
    if (content instanceof Uint8Array && content.byteLength < DEFAULT_CHUNK_SIZES.min) {
      const { id, stored } = await this.storeObject('d', Buffer.from(content.buffer, content.byteOffset, content.byteLength));
      this.#emit({ type: 'chunk', bytes: content.byteLength });
      const result: PutContentResult = { ref: { id: id.toString('hex'), size: content.byteLength }, isNew: stored > 0, bytesStored: stored };
      this.#emit({ type: 'content', bytes: content.byteLength, bytesStored: stored, isNew: result.isNew });
      return result;
    }
    const chunker = new Chunker(this.#gear);
    const results: Promise<StoredObject>[] = [];
    let size = 0;
    let settled = 0;
    const take = async (chunk: Buffer): Promise<void> => {
      const stored = this.storeObject('d', chunk).then((r) => {
        this.#emit({ type: 'chunk', bytes: chunk.byteLength });
        return r;
      });
      stored.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
      results.push(stored);
      // Bounded: never more than CHUNKS_IN_FLIGHT chunks between the source and the pack.
      while (results.length - settled >= CHUNKS_IN_FLIGHT) await results[settled++];
    };
    const pieces: AsyncIterator<Uint8Array> | Iterator<Uint8Array> = content instanceof Uint8Array ? [content][Symbol.iterator]() : content[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await pieces.next();
      } catch (error) {
        // The caller's source failed (a download reset mid-way), not the storage: what was stored is
        // unreferenced and harmless, and the session stays usable.
        await Promise.allSettled(results);
        throw new ContentSourceError(error);
      }
      if (next.done) break;
      const piece = next.value;
      size += piece.byteLength;
      for (const chunk of chunker.push(piece)) await take(chunk);
    }
    const last = chunker.end();
    if (last || results.length === 0) await take(last ?? Buffer.alloc(0));
    const chunks = await Promise.all(results);
    let bytesStored = chunks.reduce((sum, c) => sum + c.stored, 0);
    let id = chunks[0]!.id;
    if (chunks.length > 1) {
      const list = await this.storeObject('l', Buffer.concat(chunks.map((c) => c.id)));
      bytesStored += list.stored;
      id = list.id;
    }
    const result: PutContentResult = { ref: { id: id.toString('hex'), size }, isNew: bytesStored > 0, bytesStored };
    this.#emit({ type: 'content', bytes: size, bytesStored, isNew: result.isNew });
    return result;
  }
}

/** Where an object is; re-reads the index folder once on a miss (a writer may have committed since). */
export async function locate(ctx: StorageContext, id: Buffer): Promise<ObjectLocation> {
  const found = ctx.index.get(id);
  if (found) return found;
  await loadNewIndexFiles(ctx);
  const again = ctx.index.get(id);
  if (again) return again;
  throw new StorageError('damaged', `object ${id.toString('hex')} is missing (no index file names it)`);
}

export function refId(ref: ContentRef): Buffer {
  if (!/^[0-9a-f]{64}$/.test(ref.id)) throw new StorageError('bad-input', 'a content reference must be 64 hex digits');
  return Buffer.from(ref.id, 'hex');
}

/** The chunk ids of a content: one for short content, the list object's entries for long. */
export async function chunkIds(ctx: StorageContext, id: Buffer): Promise<Buffer[]> {
  const location = await locate(ctx, id);
  if (location.kind === 'd') return [id];
  if (location.kind !== 'l') throw new StorageError('damaged', `object ${id.toString('hex')} is not content`);
  const list = await readObject(ctx, id, location, 'l');
  const ids: Buffer[] = [];
  for (let at = 0; at + ID_BYTES <= list.length; at += ID_BYTES) ids.push(list.subarray(at, at + ID_BYTES));
  return ids;
}

async function* contentChunks(ctx: StorageContext, ref: ContentRef): AsyncGenerator<Buffer> {
  let size = 0;
  for (const id of await chunkIds(ctx, refId(ref))) {
    const chunk = await readObject(ctx, id, await locate(ctx, id), 'd');
    size += chunk.byteLength;
    yield chunk;
  }
  if (size !== ref.size) throw new StorageError('damaged', `content ${ref.id} has ${size} bytes, not the ${ref.size} its item records`);
}

/** Streams a content, one authenticated chunk at a time. */
export function readContentStream(ctx: StorageContext, ref: ContentRef): Readable {
  return Readable.from(contentChunks(ctx, ref), { objectMode: false });
}

/** The content's own stream failed while being read: the caller's error, carried through the session untouched. */
export class ContentSourceError extends Error {
  constructor(readonly source: unknown) {
    super('the content source failed');
  }
}
