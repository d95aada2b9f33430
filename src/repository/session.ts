/**
 * A write session (api.ts `WriteSession`): holds the write lock, owns the pack writer, and runs
 * every commit in the one order that keeps a crash harmless: packs durable → index → snapshot.
 */
import type { PutContentResult, SessionStats, SnapshotBuilder, SnapshotMeta, SourceInfo, WriteEvent, WriteOptions, WriteSession } from './api.js';
import { StorageError } from './api.js';
import { Builder } from './builder.js';
import { ContentSourceError, ContentWriter, locate } from './content.js';
import type { StorageContext } from './context.js';
import type { PageIO } from './folder-items.js';
import { ioError } from './files.js';
import { writeIndexFiles } from './index-file.js';
import type { HeldLock } from './lock.js';
import { readObject } from './pack-format.js';
import { PackWriter } from './pack-writer.js';
import { decodePage, encodePage } from './pages.js';
import type { SnapshotDoc } from './snapshot-file.js';
import { latestSnapshot, metaOf, snapshotFile, sourceTag, writeSnapshot } from './snapshot-file.js';

export interface SessionDeps {
  readonly ctx: StorageContext;
  readonly lock: HeldLock;
  readonly gear: Int32Array;
  readonly now: () => Date;
  readonly options: WriteOptions;
  readonly onClose: () => void;
}

export function pageIO(ctx: StorageContext, store?: ContentWriter): PageIO {
  return {
    async readPage(ref) {
      const id = Buffer.from(ref.id, 'hex');
      return decodePage(await readObject(ctx, id, await locate(ctx, id), 'p'), `page ${ref.id}`);
    },
    async writePage(items) {
      if (!store) throw new StorageError('closed', 'this snapshot is read-only');
      return (await store.storeObject('p', encodePage(items))).id.toString('hex');
    },
  };
}

function validSource(source: SourceInfo): void {
  if (!source.key || !source.name) throw new StorageError('bad-input', 'a source needs a key and a name');
}

export class Session implements WriteSession {
  readonly #deps: SessionDeps;
  readonly #packs: PackWriter;
  readonly #content: ContentWriter;
  readonly #io: PageIO;
  readonly #builders = new Map<string, Builder>();
  readonly #stats = { bytesIn: 0, bytesStored: 0, contentsNew: 0, contentsDeduplicated: 0 };
  #commits: Promise<unknown> = Promise.resolve();
  #failure: StorageError | undefined;
  #closed = false;

  constructor(deps: SessionDeps) {
    this.#deps = deps;
    const emit = (event: WriteEvent) => deps.options.onEvent?.(event);
    this.#packs = new PackWriter(deps.ctx, (blobs, bytes) => emit({ type: 'pack', blobs, bytes }));
    this.#content = new ContentWriter(deps.ctx, this.#packs, deps.gear, emit);
    const io = pageIO(deps.ctx, this.#content);
    this.#io = {
      readPage: (ref) => io.readPage(ref),
      writePage: async (items) => this.#guard(() => io.writePage(items)),
    };
  }

  get stats(): SessionStats {
    return { ...this.#stats };
  }

  putContent(content: Uint8Array | AsyncIterable<Uint8Array>): Promise<PutContentResult> {
    return this.#guard(async () => {
      const result = await this.#content.putContent(content);
      this.#stats.bytesIn += result.ref.size;
      this.#stats.bytesStored += result.bytesStored;
      if (result.isNew) this.#stats.contentsNew++;
      else this.#stats.contentsDeduplicated++;
      return result;
    });
  }

  async snapshot(source: SourceInfo): Promise<SnapshotBuilder> {
    return this.#guard(async () => {
      validSource(source);
      if (this.#builders.has(source.key)) throw new StorageError('bad-input', 'this session already builds a snapshot of that source');
      const { ctx } = this.#deps;
      const tag = sourceTag(ctx, source.key);
      const latest = await latestSnapshot(ctx, tag);
      if (latest && latest.doc.source.key !== source.key) throw new StorageError('damaged', `${snapshotFile(tag, latest.name)} belongs to another source`);
      const builder = new Builder(source, latest && { meta: metaOf(tag, latest.name, latest.doc), doc: latest.doc }, {
        io: this.#io,
        now: this.#deps.now,
        commit: (doc, time) => this.#commitSnapshot(doc, time),
        release: () => this.#builders.delete(source.key),
      });
      this.#builders.set(source.key, builder);
      return builder;
    });
  }

  flush(): Promise<void> {
    return this.#guard(() => this.#serialCommit(() => this.#persistObjects()));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const builder of [...this.#builders.values()]) builder.discard();
    try {
      if (!this.#failure) await this.#serialCommit(() => this.#persistObjects());
    } finally {
      await this.#packs.abandon();
      this.#deps.ctx.index.forgetUnindexed();
      await this.#deps.lock.release();
      this.#deps.onClose();
    }
  }

  /** Packs durable, then their index: from here on the objects are committed (deduplicated after a crash). */
  async #persistObjects(): Promise<void> {
    await this.#packs.flush();
    const { packs, refs } = this.#packs.takeFinished();
    if (packs.length === 0) return;
    await writeIndexFiles(this.#deps.ctx, packs, refs);
    this.#deps.options.onEvent?.({ type: 'index', blobs: packs.reduce((sum, p) => sum + p.entries.length, 0) });
  }

  #commitSnapshot(doc: SnapshotDoc, time: Date): Promise<SnapshotMeta> {
    return this.#guard(() =>
      this.#serialCommit(async () => {
        await this.#deps.lock.assertHeld();
        await this.#persistObjects();
        const meta = await writeSnapshot(this.#deps.ctx, doc, time);
        this.#deps.options.onEvent?.({ type: 'snapshot', snapshot: meta });
        return meta;
      }),
    );
  }

  #serialCommit<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#commits.then(step);
    this.#commits = run.catch(() => undefined);
    return run;
  }

  /** Runs a step of the session; the first failure ends the session, with one line that says so. */
  async #guard<T>(step: () => Promise<T>): Promise<T> {
    if (this.#failure) throw this.#failure;
    if (this.#closed) throw new StorageError('closed', 'this write session is closed');
    try {
      return await step();
    } catch (error) {
      if (error instanceof ContentSourceError) throw error.source;
      if (error instanceof StorageError && (error.code === 'bad-input' || error.code === 'not-found' || error.code === 'closed')) throw error;
      const base = ioError(`cannot write to storage ${this.#deps.ctx.name}`, error);
      this.#failure ??= base.code === 'io' ? new StorageError('io', `${base.message}; nothing since the last commit was saved, and what was committed is intact`) : base;
      throw this.#failure;
    }
  }
}
