/** A committed snapshot, read only (api.ts `SnapshotReader`). */
import type { FolderState, ItemEntry, SnapshotMeta, SnapshotReader } from './api.js';
import { StorageError } from './api.js';
import type { StorageContext } from './context.js';
import { FolderItems } from './folder-items.js';
import { pageIO } from './session.js';
import type { FolderRecord, SnapshotDoc } from './snapshot-file.js';

export class Reader implements SnapshotReader {
  readonly meta: SnapshotMeta;
  readonly #doc: SnapshotDoc;
  readonly #folders: Map<string, FolderRecord>;
  readonly #items = new Map<string, FolderItems>();
  readonly #ctx: StorageContext;

  constructor(ctx: StorageContext, meta: SnapshotMeta, doc: SnapshotDoc) {
    this.#ctx = ctx;
    this.meta = meta;
    this.#doc = doc;
    this.#folders = new Map(doc.folders.map((f) => [f.id, f]));
  }

  folders(): readonly FolderState[] {
    return this.#doc.folders.map((f) => {
      const { pages, ...rest } = f;
      let items = 0;
      let bytes = 0;
      for (const p of pages) {
        items += p.n;
        bytes += p.bytes;
      }
      return { ...rest, items, bytes };
    });
  }

  cursor(folderId: string | null): string | undefined {
    return folderId === null ? this.#doc.cursor : this.#folders.get(folderId)?.cursor;
  }

  items(folderId: string): AsyncIterable<ItemEntry> {
    // A fresh view each time: iterating never keeps the folder's pages in memory.
    return new FolderItems(this.#record(folderId).pages, pageIO(this.#ctx)).all();
  }

  getItem(folderId: string, itemId: string): Promise<ItemEntry | undefined> {
    let items = this.#items.get(folderId);
    if (!items) {
      items = new FolderItems(this.#record(folderId).pages, pageIO(this.#ctx));
      this.#items.set(folderId, items);
    }
    return items.get(itemId);
  }

  #record(folderId: string): FolderRecord {
    const record = this.#folders.get(folderId);
    if (!record) throw new StorageError('not-found', 'no such folder in this snapshot');
    return record;
  }
}
