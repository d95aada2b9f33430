/**
 * The items of one folder while a snapshot is built or read: its pages, loaded only when an item
 * in them is asked for or changed, written back (re-split) only when changed. Memory holds the
 * loaded pages, never the whole folder unless it is all being changed.
 */
import type { ItemEntry } from './api.js';
import type { PageRef, PageSummary } from './pages.js';
import { compareIds, itemBytes, splitPages, summarise } from './pages.js';

export interface PageIO {
  readPage(ref: PageRef): Promise<ItemEntry[]>;
  /** Stores a page object; returns its id (hex). */
  writePage(items: readonly ItemEntry[]): Promise<string>;
}

interface Segment {
  /** The page as committed (absent for items not yet in any page). */
  ref?: PageRef;
  /** Loaded items, by id; absent while the page is only referenced. */
  items?: Map<string, ItemEntry>;
  dirty: boolean;
}

function firstOf(segment: Segment): string {
  return segment.ref?.first ?? '';
}

export class FolderItems {
  #segments: Segment[];
  readonly #io: PageIO;
  #loaded = 0;
  /** Kept as items change, so a folder's counts cost nothing however often they are asked for. */
  #count = 0;
  #bytes = 0;

  constructor(refs: readonly PageRef[], io: PageIO) {
    this.#segments = refs.map((ref) => ({ ref, dirty: false }));
    this.#io = io;
    for (const ref of refs) {
      this.#count += ref.n;
      this.#bytes += ref.bytes;
    }
  }

  /** Items in the folder (deleted ones included) and their bytes, in O(1). */
  counts(): { items: number; bytes: number } {
    return { items: this.#count, bytes: this.#bytes };
  }

  #account(before: ItemEntry | undefined, after: ItemEntry | undefined): void {
    this.#count += (after ? 1 : 0) - (before ? 1 : 0);
    this.#bytes += (after ? itemBytes(after) : 0) - (before ? itemBytes(before) : 0);
  }

  /** Items held in memory (what a builder counts to decide when to write pages out early). */
  get loaded(): number {
    return this.#loaded;
  }

  get changed(): boolean {
    return this.#segments.some((s) => s.dirty);
  }

  summary(): PageSummary {
    const total = { n: 0, bytes: 0, deleted: 0, expiry: null as string | null };
    for (const s of this.#segments) {
      const part = s.items ? summarise(s.items.values()) : s.ref!;
      total.n += part.n;
      total.bytes += part.bytes;
      total.deleted += part.deleted;
      if (part.expiry !== null && (total.expiry === null || part.expiry < total.expiry)) total.expiry = part.expiry;
    }
    return total;
  }

  async get(id: string): Promise<ItemEntry | undefined> {
    if (this.#segments.length === 0) return undefined;
    return (await this.#load(this.#find(id))).get(id);
  }

  async set(item: ItemEntry): Promise<void> {
    if (this.#segments.length === 0) this.#segments.push({ items: new Map(), dirty: true });
    const index = this.#find(item.id);
    const items = await this.#load(index);
    const before = items.get(item.id);
    if (!before) this.#loaded++;
    this.#account(before, item);
    items.set(item.id, item);
    this.#segments[index]!.dirty = true;
  }

  async delete(id: string): Promise<boolean> {
    if (this.#segments.length === 0) return false;
    const index = this.#find(id);
    const items = await this.#load(index);
    const before = items.get(id);
    if (!before) return false;
    items.delete(id);
    this.#account(before, undefined);
    this.#loaded--;
    this.#segments[index]!.dirty = true;
    return true;
  }

  /** Every item in id order, page by page. */
  async *all(): AsyncGenerator<ItemEntry> {
    for (const segment of this.#segments) {
      if (segment.items) yield* [...segment.items.values()].sort((a, b) => compareIds(a.id, b.id));
      else yield* await this.#io.readPage(segment.ref!);
    }
  }

  /**
   * Applies `change` to every item of the pages `due` selects (undefined: keep, null: drop);
   * returns how many items changed. For expiry and resync.
   */
  async rewrite(due: (ref: PageRef | undefined) => boolean, change: (item: ItemEntry) => ItemEntry | null | undefined): Promise<number> {
    let changed = 0;
    for (let i = 0; i < this.#segments.length; i++) {
      if (!due(this.#segments[i]!.ref)) continue;
      const items = await this.#load(i);
      for (const [id, item] of [...items]) {
        const next = change(item);
        if (next === undefined) continue;
        changed++;
        this.#segments[i]!.dirty = true;
        this.#account(item, next ?? undefined);
        if (next === null) {
          items.delete(id);
          this.#loaded--;
        } else items.set(id, next);
      }
    }
    return changed;
  }

  /** Writes changed pages (re-split), forgets loaded ones; returns the folder's page list. */
  async flush(): Promise<PageRef[]> {
    const next: Segment[] = [];
    let run: Segment[] = [];
    const closeRun = async () => {
      if (run.length === 0) return;
      const items = run.flatMap((s) => [...s.items!.values()]).sort((a, b) => compareIds(a.id, b.id));
      run = [];
      for (const page of splitPages(items)) {
        const id = await this.#io.writePage(page);
        next.push({ ref: { first: page[0]!.id, id, ...summarise(page) }, dirty: false });
      }
    };
    for (const segment of this.#segments) {
      if (segment.dirty) {
        run.push(segment);
        continue;
      }
      await closeRun();
      next.push({ ref: segment.ref!, dirty: false });
    }
    await closeRun();
    this.#segments = next;
    this.#loaded = 0;
    return next.map((s) => s.ref!);
  }

  /** The page list; valid when nothing is changed (after `flush`). */
  refs(): PageRef[] {
    return this.#segments.map((s) => s.ref!);
  }

  /** The segment whose range holds `id`: the last one whose first id is ≤ it (the first covers all below). */
  #find(id: string): number {
    let low = 1;
    let high = this.#segments.length - 1;
    let found = 0;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (compareIds(firstOf(this.#segments[mid]!), id) <= 0) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  }

  async #load(index: number): Promise<Map<string, ItemEntry>> {
    const segment = this.#segments[index]!;
    if (segment.items) return segment.items;
    const items = await this.#io.readPage(segment.ref!);
    // Another call may have loaded it while we read.
    if (segment.items) return segment.items;
    segment.items = new Map(items.map((item) => [item.id, item]));
    this.#loaded += items.length;
    return segment.items;
  }
}
