/**
 * The next snapshot of one source (api.ts `SnapshotBuilder`): the parent's folders in memory, item
 * pages loaded on demand, changed pages written out early when many are held, and at `commit` the
 * session's write order (packs → index → snapshot).
 */
import type { FolderInput, FolderState, ItemEntry, ItemInput, PutItemResult, SnapshotBuilder, SnapshotMeta, SourceInfo } from './api.js';
import { StorageError } from './api.js';
import type { PageIO } from './folder-items.js';
import { FolderItems } from './folder-items.js';
import { orderFolders } from './folder-tree.js';
import type { FolderRecord, SnapshotDoc } from './snapshot-file.js';

/** Items a builder keeps loaded before it writes its changed pages out (~20–40 MB of metadata). */
export const SPILL_ITEMS = 50_000;

interface FolderNode {
  id: string;
  parentId: string | null;
  name: string;
  extra?: FolderInput['extra'];
  deletedAt?: string;
  cursor?: string;
  readonly items: FolderItems;
}

export interface BuilderDeps {
  readonly io: PageIO;
  readonly now: () => Date;
  /** The session's commit: packs durable, index, then this snapshot. */
  readonly commit: (doc: SnapshotDoc, time: Date) => Promise<SnapshotMeta>;
  /** Called once the builder is finished with (committed or failed). */
  readonly release: () => void;
}

function sameMetadata(a: ItemEntry, b: ItemInput): boolean {
  return a.name === b.name && a.title === b.title && a.date === b.date && a.kind === b.kind && JSON.stringify(a.extra ?? null) === JSON.stringify(b.extra ?? null);
}

export class Builder implements SnapshotBuilder {
  readonly source: SourceInfo;
  readonly parent?: SnapshotMeta;
  readonly #deps: BuilderDeps;
  readonly #folders = new Map<string, FolderNode>();
  readonly #resync = new Map<string, Set<string>>();
  #cursor: string | undefined;
  #putsSinceSpillCheck = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #finished = false;

  constructor(source: SourceInfo, parent: { meta: SnapshotMeta; doc: SnapshotDoc } | undefined, deps: BuilderDeps) {
    this.source = source;
    this.#deps = deps;
    if (parent) {
      this.parent = parent.meta;
      this.#cursor = parent.doc.cursor;
      for (const { pages, ...f } of parent.doc.folders) this.#folders.set(f.id, { ...f, items: new FolderItems(pages, deps.io) });
    }
  }

  folders(): readonly FolderState[] {
    return [...this.#folders.values()].map((f) => this.#state(f));
  }

  folder(id: string): FolderState | undefined {
    const node = this.#folders.get(id);
    return node && this.#state(node);
  }

  setFolder(folder: FolderInput): void {
    this.#assertOpen();
    const node = this.#folders.get(folder.id);
    if (node) {
      node.parentId = folder.parentId;
      node.name = folder.name;
      node.extra = folder.extra;
      delete node.deletedAt;
    } else {
      this.#folders.set(folder.id, { id: folder.id, parentId: folder.parentId, name: folder.name, extra: folder.extra, items: new FolderItems([], this.#deps.io) });
    }
  }

  removeFolder(id: string, at: Date): void {
    this.#assertOpen();
    const deletedAt = at.toISOString();
    const mark = (folderId: string, seen: Set<string>) => {
      if (seen.has(folderId)) return;
      seen.add(folderId);
      const node = this.#folders.get(folderId);
      if (!node) return;
      node.deletedAt ??= deletedAt;
      for (const child of this.#folders.values()) if (child.parentId === folderId) mark(child.id, seen);
    };
    mark(id, new Set());
  }

  setCursor(folderId: string | null, cursor: string | null): void {
    this.#assertOpen();
    if (folderId === null) this.#cursor = cursor ?? undefined;
    else {
      const node = this.#require(folderId);
      if (cursor === null) delete node.cursor;
      else node.cursor = cursor;
    }
  }

  cursor(folderId: string | null): string | undefined {
    return folderId === null ? this.#cursor : this.#folders.get(folderId)?.cursor;
  }

  getItem(folderId: string, itemId: string): Promise<ItemEntry | undefined> {
    return this.#serial(() => this.#require(folderId).items.get(itemId));
  }

  putItem(folderId: string, item: ItemInput): Promise<PutItemResult> {
    return this.#serial(async () => {
      const node = this.#require(folderId);
      this.#resync.get(folderId)?.add(item.id);
      const existing = await node.items.get(item.id);
      let versions = existing?.versions;
      if (existing && existing.content.id !== item.content.id) {
        versions = [...(versions ?? []), { content: existing.content, date: existing.date, replacedAt: this.#deps.now().toISOString() }];
      } else if (existing && !existing.deletedAt && sameMetadata(existing, item)) {
        return 'unchanged';
      }
      const entry: ItemEntry = { ...item, size: item.content.size, ...(versions?.length ? { versions } : {}) };
      await node.items.set(entry);
      await this.#spillIfLarge();
      return existing ? 'updated' : 'added';
    });
  }

  removeItem(folderId: string, itemId: string, at: Date): Promise<boolean> {
    return this.#serial(async () => {
      const node = this.#require(folderId);
      const existing = await node.items.get(itemId);
      if (!existing) return false;
      if (!existing.deletedAt) await node.items.set({ ...existing, deletedAt: at.toISOString() });
      return true;
    });
  }

  moveItem(fromFolderId: string, itemId: string, toFolderId: string, newId?: string): Promise<boolean> {
    return this.#serial(async () => {
      const from = this.#require(fromFolderId);
      const to = this.#require(toFolderId);
      const existing = await from.items.get(itemId);
      if (!existing) return false;
      await from.items.delete(itemId);
      const { deletedAt: _gone, ...live } = existing;
      await to.items.set({ ...live, id: newId ?? itemId });
      this.#resync.get(toFolderId)?.add(newId ?? itemId);
      return true;
    });
  }

  beginResync(folderId: string): void {
    this.#assertOpen();
    this.#require(folderId);
    this.#resync.set(folderId, new Set());
  }

  endResync(folderId: string, at: Date): Promise<number> {
    return this.#serial(async () => {
      const seen = this.#resync.get(folderId);
      if (!seen) throw new StorageError('bad-input', 'endResync without beginResync for this folder');
      this.#resync.delete(folderId);
      const deletedAt = at.toISOString();
      return this.#require(folderId).items.rewrite(
        () => true,
        (item) => (item.deletedAt || seen.has(item.id) ? undefined : { ...item, deletedAt }),
      );
    });
  }

  /** Drops what expired before `cutoff` (prune): items deleted, versions replaced, deleted folders. */
  expire(cutoff: string): Promise<number> {
    return this.#serial(async () => {
      let dropped = 0;
      for (const node of [...this.#folders.values()]) {
        if (node.deletedAt && node.deletedAt < cutoff) {
          dropped += node.items.counts().items;
          this.#folders.delete(node.id);
          continue;
        }
        dropped += await node.items.rewrite(
          (ref) => ref === undefined || (ref.expiry !== null && ref.expiry < cutoff),
          (item) => {
            if (item.deletedAt && item.deletedAt < cutoff) return null;
            const versions = item.versions?.filter((v) => v.replacedAt >= cutoff);
            if (versions === undefined || versions.length === item.versions!.length) return undefined;
            const { versions: _old, ...rest } = item;
            return versions.length ? { ...rest, versions } : rest;
          },
        );
      }
      return dropped;
    });
  }

  commit(options: { readonly time?: Date } = {}): Promise<SnapshotMeta> {
    return this.#serial(async () => {
      this.#finished = true;
      try {
        const records: FolderRecord[] = [];
        let items = 0;
        let deletedItems = 0;
        let bytes = 0;
        for (const node of orderFolders([...this.#folders.values()])) {
          const pages = await node.items.flush();
          const summary = node.items.summary();
          items += summary.n;
          bytes += summary.bytes;
          deletedItems += node.deletedAt ? summary.n : summary.deleted;
          const { items: _items, ...record } = node;
          records.push({ ...record, pages });
        }
        let time = options.time ?? this.#deps.now();
        if (this.parent && time.toISOString() <= this.parent.time) time = new Date(Date.parse(this.parent.time) + 1);
        const doc: SnapshotDoc = { source: this.source, time: time.toISOString(), parent: this.parent?.id ?? null, ...(this.#cursor !== undefined ? { cursor: this.#cursor } : {}), folders: records, items, deletedItems, bytes };
        return await this.#deps.commit(doc, time);
      } finally {
        this.#deps.release();
      }
    });
  }

  /** Gives up the builder without committing. */
  discard(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#deps.release();
  }

  #state(node: FolderNode): FolderState {
    const { items, ...rest } = node;
    return { ...rest, ...items.counts() };
  }

  #require(folderId: string): FolderNode {
    const node = this.#folders.get(folderId);
    if (!node) throw new StorageError('not-found', 'no such folder in this snapshot (add it with setFolder first)');
    return node;
  }

  #assertOpen(): void {
    if (this.#finished) throw new StorageError('closed', 'this snapshot was already committed or discarded');
  }

  async #spillIfLarge(): Promise<void> {
    // Summing over folders is O(folders): done every 256 puts, not every put.
    if (++this.#putsSinceSpillCheck < 256) return;
    this.#putsSinceSpillCheck = 0;
    let loaded = 0;
    for (const node of this.#folders.values()) loaded += node.items.loaded;
    if (loaded < SPILL_ITEMS) return;
    for (const node of this.#folders.values()) if (node.items.loaded > 0) await node.items.flush();
  }

  /** Item calls run one at a time: pages are loaded and re-split under them. */
  #serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      this.#assertOpen();
      return step();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
