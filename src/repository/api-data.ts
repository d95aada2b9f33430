/**
 * The data shapes of the storage contract (api.ts re-exports them): content references, sources,
 * items, folders, snapshots, browse entries and reports.
 */

/** A reference to content held by the storage (a whole item: a MIME message, a file). */
export interface ContentRef {
  /** Keyed hash of the content (64 hex); reveals nothing without the key. */
  readonly id: string;
  /** Bytes of the original content. */
  readonly size: number;
}

export interface PutContentResult {
  readonly ref: ContentRef;
  /** False when the storage already held every byte (another folder, source or cycle). */
  readonly isNew: boolean;
  /** Bytes this call added to the storage (after compression and sealing); 0 when deduplicated. */
  readonly bytesStored: number;
}

/** Which kind of thing a source is: a mailbox (Exchange) or a site (SharePoint / OneDrive). */
export type SourceKind = 'mailbox' | 'site';

export interface SourceInfo {
  /** Stable, unique in the storage, chosen by the engine (e.g. `mailbox:<user id>`); never shown. */
  readonly key: string;
  /** What users see and type in browse paths: a mailbox UPN, or a site as `host/sites/name`. */
  readonly name: string;
  readonly kind: SourceKind;
  /** The engine's own facts about the source (tenant id, connection id…): small, flat. */
  readonly extra?: Readonly<Record<string, string | number | boolean>>;
}

export type ItemKind = 'message' | 'file' | 'item';

export interface ItemInput {
  /** The source's id of the item (Graph message or drive item id, EWS ItemId). */
  readonly id: string;
  /** A file's name; for a message, what export names it by (usually the subject). */
  readonly name: string;
  /** A message's subject. */
  readonly title?: string;
  /** ISO-8601: received (message) or last modified (file). */
  readonly date: string;
  readonly kind: ItemKind;
  /** From `WriteSession.putContent` in this session, or any ref this storage already holds. */
  readonly content: ContentRef;
  /** The engine's own per-item facts (changeKey, eTag, isRead…): small, flat, at most 4 KB as JSON. */
  readonly extra?: Readonly<Record<string, string | number | boolean | null>>;
}

/** An earlier content of an item, kept restorable for the retention period after it was replaced. */
export interface ItemVersion {
  readonly content: ContentRef;
  readonly date: string;
  readonly replacedAt: string;
}

export interface ItemEntry extends ItemInput {
  /** `content.size`. */
  readonly size: number;
  /** Set when the item was deleted at the source; restorable until `prune` after the retention period. */
  readonly deletedAt?: string;
  readonly versions?: readonly ItemVersion[];
}

export interface FolderInput {
  readonly id: string;
  /** null: a top-level folder of the source (for a site: a document library). */
  readonly parentId: string | null;
  readonly name: string;
  readonly extra?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface FolderState extends FolderInput {
  readonly deletedAt?: string;
  /** The opaque string the engine stored for this folder (a Graph delta link, an EWS sync state). */
  readonly cursor?: string;
  /** Items directly in the folder (deleted ones included) and their bytes. */
  readonly items: number;
  readonly bytes: number;
}

export type PutItemResult = 'added' | 'updated' | 'unchanged';

export interface SnapshotMeta {
  /** Name of the snapshot file (time-ordered, random tail). */
  readonly id: string;
  readonly time: string;
  readonly source: SourceInfo;
  /** Items in the snapshot (deleted within retention included), deleted ones, and their bytes. */
  readonly items: number;
  readonly deletedItems: number;
  readonly bytes: number;
}

/** One level of the tree for `storages browse`, in the words of contract §8.1. */
export interface BrowseEntry {
  readonly name: string;
  readonly kind: 'source' | 'folder' | 'item';
  readonly id?: string;
  readonly size?: number;
  readonly date?: string;
  readonly title?: string;
  readonly deleted?: boolean;
}

export interface BrowseListing {
  /** The path as resolved, names joined by '/' ('' at the top). */
  readonly path: string;
  readonly entries: readonly BrowseEntry[];
}

export interface SourceSummary {
  readonly source: SourceInfo;
  readonly latest: SnapshotMeta;
}

export interface StorageStats {
  /** Items in the sources' latest snapshots (deleted ones within retention included). */
  readonly items: number;
  /** Bytes the storage's objects take on disk (compressed and sealed). */
  readonly bytesStored: number;
  /** Bytes the items and their kept versions had at the source. */
  readonly bytesOriginal: number;
}

export interface CheckProblem {
  /** The file (relative to the storage folder), and the object inside it when one is named. */
  readonly file: string;
  readonly object?: string;
  readonly problem: string;
}

export interface CheckReport {
  readonly sound: boolean;
  readonly files: number;
  readonly objects: number;
  readonly bytes: number;
  readonly problems: readonly CheckProblem[];
  /** Packs or index entries no snapshot refers to (left by an interrupted cycle): prune frees them. */
  readonly unreferencedFiles: number;
}

export interface PruneReport {
  readonly itemsExpired: number;
  readonly snapshotsRemoved: number;
  readonly packsRemoved: number;
  readonly packsRewritten: number;
  readonly bytesFreed: number;
}
