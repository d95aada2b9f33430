/**
 * The contract of a Storage (`src/repository/`): what the engine, the services and the CLI call.
 * The design (files, write order, why a crash cannot damage it) is in `DESIGN.md` beside this file.
 *
 * Entry points (exported by `./index.js`):
 * - `createStorage(dir, { name, retentionDays })` → `{ storage, masterKey, recoveryKey }`
 * - `openStorage(dir, masterKey)` → `Storage`
 * - `attachStorage(dir, recoveryKey)` → `{ storage, masterKey }`
 * - `readStorageInfo(dir)` → `StorageInfo` (no key needed: name, id, retention)
 *
 * Ids of sources, folders and items are the source's own (Graph / EWS ids); the storage seals
 * them with everything else. Times are ISO-8601 strings on the way out, `Date` on the way in.
 */
import type { Readable } from 'node:stream';
import type { Secret } from '../domain/index.js';
import type { BrowseListing, CheckReport, ContentRef, FolderInput, FolderState, ItemEntry, ItemInput, PruneReport, PutContentResult, PutItemResult, SnapshotMeta, SourceInfo, SourceSummary, StorageStats } from './api-data.js';

export type * from './api-data.js';

/** Why a storage operation failed; `message` is one line an admin can act on, never a key or content. */
export type StorageErrorCode =
  | 'not-a-storage' // the folder holds no storage (or one of a newer format)
  | 'not-empty' // create: the folder exists and holds other files
  | 'unsafe' // a symbolic link where a file or folder should be, or a folder other users can write
  | 'wrong-key' // the master key or recovery key does not open this storage
  | 'locked' // another process writes (or prunes) this storage; `holder` says who
  | 'damaged' // a file fails authentication or is truncated; `check()` names each one
  | 'io' // disk full, read-only file system, permission denied…
  | 'not-found' // a source, folder, path or object that the storage does not hold
  | 'bad-input' // an argument the caller should have validated (an empty name, negative retention…)
  | 'closed'; // the session or storage was closed

/** Who holds a storage's lock, as the lock file says. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly user: string;
  /** What the holder does, as it said when locking (e.g. `jobs run Mailboxes`). */
  readonly what: string;
  readonly since: string;
}

export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly holder?: LockHolder,
  ) {
    super(message);
  }
}

/** What anyone may read without the key (the plaintext `config` file). */
export interface StorageInfo {
  /** Random, 32 hex digits; stable for the life of the storage. */
  readonly id: string;
  readonly name: string;
  readonly retentionDays: number;
  readonly created: string;
  readonly path: string;
}

export interface CreateOptions {
  readonly name: string;
  /** How long items deleted (or replaced) at the source stay restorable; `prune` frees them after. */
  readonly retentionDays: number;
}

export interface CreatedStorage {
  readonly storage: Storage;
  /** 32 random bytes (base64). The store keeps it sealed; `openStorage` needs it. */
  readonly masterKey: Secret;
  /** Shown to the admin once, never stored in the clear: `XXXX-XXXX-…` (Crockford base32, 160 bits). */
  readonly recoveryKey: Secret;
}

export interface AttachedStorage {
  readonly storage: Storage;
  /** For the store to keep sealed, as after `createStorage`. */
  readonly masterKey: Secret;
}

/**
 * The next snapshot of one source, built from the latest committed one plus changes. Everything is
 * addressed by the source's folder and item ids. Folder calls are synchronous (the folder tree is
 * in memory); item calls load the folder's pages on first use. Nothing is visible to readers, and
 * no cursor advances, until `commit()` returns.
 */
export interface SnapshotBuilder {
  readonly source: SourceInfo;
  /** The latest committed snapshot this one builds on (undefined for a source's first). */
  readonly parent?: SnapshotMeta;
  /** Every folder known, deleted ones included, with the changes made so far. */
  folders(): readonly FolderState[];
  folder(id: string): FolderState | undefined;
  /** Adds a folder, or renames / moves it (a folder that was deleted comes back). */
  setFolder(folder: FolderInput): void;
  /** Marks a folder and everything in it deleted at `at` (restorable within retention). */
  removeFolder(id: string, at: Date): void;
  /** Source-level (`folderId` null, e.g. the mailFolders delta link) or per-folder cursor; null clears it. */
  setCursor(folderId: string | null, cursor: string | null): void;
  cursor(folderId: string | null): string | undefined;
  /** The item as it stands in this builder, deleted or not. */
  getItem(folderId: string, itemId: string): Promise<ItemEntry | undefined>;
  /**
   * Adds or updates an item. A changed `content` keeps the previous one as a version; an item that
   * was marked deleted comes back. 'unchanged' when content and metadata are the same.
   */
  putItem(folderId: string, item: ItemInput): Promise<PutItemResult>;
  /** Marks the item deleted at `at` (kept restorable); false when the folder does not hold it. */
  removeItem(folderId: string, itemId: string, at: Date): Promise<boolean>;
  /** Moves an item between folders without new content; `newId` when the source gave it another id. */
  moveItem(fromFolderId: string, itemId: string, toFolderId: string, newId?: string): Promise<boolean>;
  /**
   * A full resync of a folder (expired delta token): `putItem` everything the source lists, then
   * `endResync`, which marks every live item not put since `beginResync` deleted at `at`.
   * Returns how many were marked.
   */
  beginResync(folderId: string): void;
  endResync(folderId: string, at: Date): Promise<number>;
  /**
   * Makes everything durable in order (content packs → index → this snapshot) and returns the new
   * snapshot. Changes nothing on disk before that order allows; a crash at any point leaves the
   * previous snapshot as the latest. The builder cannot be used after.
   */
  commit(options?: { readonly time?: Date }): Promise<SnapshotMeta>;
}

export type WriteEvent =
  /** One chunk of content was taken in (stored or found already held): progress within a large file. */
  | { readonly type: 'chunk'; readonly bytes: number }
  | { readonly type: 'content'; readonly bytes: number; readonly bytesStored: number; readonly isNew: boolean }
  /** A pack file is durable in `packs/` (not yet indexed). */
  | { readonly type: 'pack'; readonly blobs: number; readonly bytes: number }
  /** An index file is durable: the packs before it are now known to readers and dedup. */
  | { readonly type: 'index'; readonly blobs: number }
  | { readonly type: 'snapshot'; readonly snapshot: SnapshotMeta };

export interface WriteOptions {
  /** Shown to another process that finds the storage locked (e.g. `jobs run Mailboxes`). */
  readonly what: string;
  readonly onEvent?: (event: WriteEvent) => void;
}

export interface SessionStats {
  readonly bytesIn: number;
  readonly bytesStored: number;
  readonly contentsNew: number;
  readonly contentsDeduplicated: number;
}

/**
 * One process's right to write a storage (holds its lock until `close`). Content and snapshots of
 * several sources may be written concurrently within one session.
 */
export interface WriteSession {
  /**
   * Stores one item's content (bytes, or a stream read once, lazily: a 10 GB file is never held in
   * memory). Split into content-defined chunks, deduplicated against everything the storage holds,
   * compressed and sealed. Durable at the next `commit` / `flush`.
   */
  putContent(content: Uint8Array | AsyncIterable<Uint8Array>): Promise<PutContentResult>;
  /** A builder on the source's latest snapshot; one open builder per source per session. */
  snapshot(source: SourceInfo): Promise<SnapshotBuilder>;
  /** Makes the content written so far durable and indexed (so it deduplicates after a crash). */
  flush(): Promise<void>;
  readonly stats: SessionStats;
  /** Flushes and releases the lock. Open builders are discarded (their snapshots never appear). */
  close(): Promise<void>;
}

/** A committed snapshot, for browse, restore and export. */
export interface SnapshotReader {
  readonly meta: SnapshotMeta;
  folders(): readonly FolderState[];
  cursor(folderId: string | null): string | undefined;
  /** Items directly in a folder, in pages (a folder of 100,000 items is never one array). */
  items(folderId: string): AsyncIterable<ItemEntry>;
  getItem(folderId: string, itemId: string): Promise<ItemEntry | undefined>;
}

export interface Storage {
  readonly info: StorageInfo;
  /** Takes the storage's write lock (refused with 'locked', naming the holder, when held). */
  beginWrite(options: WriteOptions): Promise<WriteSession>;
  /** Every source with its latest snapshot. */
  sources(): Promise<readonly SourceSummary[]>;
  latest(sourceKey: string): Promise<SnapshotReader | undefined>;
  /**
   * One level of the tree: '' lists the sources; `<source>/<folder>/…` a folder, folders first. The
   * source is a mailbox UPN or a site as `host/sites/name` (so it may hold '/'), and a folder name
   * may hold '/' too: each level takes the longest name that matches. 'not-found' for an unknown path.
   */
  browse(path: string): Promise<BrowseListing>;
  /** The content as it was stored, streamed and authenticated chunk by chunk. */
  readContent(ref: ContentRef): Readable;
  stats(): Promise<StorageStats>;
  /** Reads and authenticates every file and object; names each damaged one. Takes a shared lock. */
  check(options?: { readonly onProgress?: (filesDone: number, filesTotal: number) => void }): Promise<CheckReport>;
  /**
   * Drops items deleted (or versions replaced) more than `retentionDays` before `now`, removes
   * superseded snapshots and frees data nothing refers to. Takes the exclusive lock.
   */
  prune(now: Date): Promise<PruneReport>;
  close(): Promise<void>;
}
