/**
 * Writes packs (DESIGN.md, "Packs"): objects appended to a temp file, then the sealed header and
 * its length; fsync; rename into `packs/`; fsync the folder. One pack is open at a time and every
 * step runs in one queue, so offsets are exact however many callers store at once.
 */
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { StorageError } from './api.js';
import type { PackRef } from './blob-index.js';
import type { StorageContext } from './context.js';
import { CREATE, closeQuietly, ensureFolder, ioError, openNoFollow, syncFolder, tempName, unlinkQuietly } from './files.js';
import type { IndexEntry, IndexPack } from './index-file.js';
import { packFolder, packPath } from './layout.js';
import { encodePackHeader } from './pack-format.js';
import type { ObjectKind } from './seal.js';
import type { Sealed } from './seal.js';
import { sealFile, sealedLength } from './seal.js';

/** A pack is closed once it holds this much (restic and kopia use packs of 4–40 MB). */
export const PACK_TARGET_BYTES = 16 << 20;

interface OpenPack {
  readonly name: string;
  readonly ref: PackRef;
  readonly temp: string;
  readonly handle: FileHandle;
  offset: number;
  readonly entries: IndexEntry[];
}

export class PackWriter {
  readonly #ctx: StorageContext;
  readonly #onPack: (blobs: number, bytes: number) => void;
  readonly #finished: { pack: IndexPack; ref: PackRef }[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  #current: OpenPack | undefined;
  #failure: StorageError | undefined;

  constructor(ctx: StorageContext, onPack: (blobs: number, bytes: number) => void) {
    this.#ctx = ctx;
    this.#onPack = onPack;
  }

  /** Appends a sealed object; once this resolves, readers in this process find it. */
  add(kind: ObjectKind, id: Buffer, sealed: Sealed, rawLength: number): Promise<void> {
    const length = sealedLength(sealed);
    return this.#enqueue(async () => {
      const pack = this.#current ?? (this.#current = await this.#open());
      await this.#ctx.fs.write(pack.handle, sealed, pack.offset);
      this.#ctx.index.add(id, pack.ref, kind, pack.offset, length, rawLength);
      pack.entries.push({ id, kind, offset: pack.offset, length, rawLength });
      pack.offset += length;
      if (pack.offset >= PACK_TARGET_BYTES) await this.#close(pack);
    });
  }

  /** Makes every object added so far durable in `packs/`. */
  flush(): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#current) await this.#close(this.#current);
    });
  }

  /** The durable packs no index names yet; the caller writes their index. */
  takeFinished(): { packs: IndexPack[]; refs: PackRef[] } {
    const taken = this.#finished.splice(0);
    return { packs: taken.map((t) => t.pack), refs: taken.map((t) => t.ref) };
  }

  /** The error that stopped this writer, if one did. */
  get failure(): StorageError | undefined {
    return this.#failure;
  }

  /** Removes the temp of an unfinished pack (the session is failing or closing without a commit). */
  async abandon(): Promise<void> {
    await this.#queue.catch(() => undefined);
    const pack = this.#current;
    this.#current = undefined;
    if (pack) {
      await closeQuietly(this.#ctx.fs, pack.handle);
      await unlinkQuietly(this.#ctx.fs, pack.temp);
    }
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(async () => {
      if (this.#failure) throw this.#failure;
      try {
        await step();
      } catch (error) {
        this.#failure = ioError(`cannot write to storage ${this.#ctx.name}`, error);
        throw this.#failure;
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #open(): Promise<OpenPack> {
    const name = randomBytes(16).toString('hex');
    const temp = join(this.#ctx.layout.tmp, tempName('pack'));
    const handle = await openNoFollow(this.#ctx.fs, temp, CREATE, 0o600);
    const ref = this.#ctx.index.pack(name, temp, false);
    return { name, ref, temp, handle, offset: 0, entries: [] };
  }

  async #close(pack: OpenPack): Promise<void> {
    const { fs, layout, keys } = this.#ctx;
    this.#current = undefined;
    try {
      const header = sealFile(keys.seal, `pack ${pack.name}`, encodePackHeader(pack.entries), false);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(header.byteLength);
      await fs.write(pack.handle, Buffer.concat([header, length]), pack.offset);
      await fs.sync(pack.handle, 'pack');
      await fs.close(pack.handle);
    } catch (error) {
      await closeQuietly(fs, pack.handle);
      await unlinkQuietly(fs, pack.temp);
      throw error;
    }
    const folder = packFolder(layout, pack.name);
    if (await ensureFolder(fs, folder)) await syncFolder(fs, layout.packs);
    await fs.rename(pack.temp, packPath(layout, pack.name));
    pack.ref.path = packPath(layout, pack.name);
    await syncFolder(fs, folder);
    this.#finished.push({ pack: { name: pack.name, entries: pack.entries }, ref: pack.ref });
    this.#onPack(pack.entries.length, pack.offset);
  }
}
