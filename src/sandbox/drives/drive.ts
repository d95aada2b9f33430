/**
 * One document library: its items (metadata in memory, content derived or in a blob), change numbers
 * for delta, and the edits a client or the control API makes. Deleted items stay as tombstones so
 * delta can report them with the `deleted` facet; deleting a folder deletes its subtree, children
 * first, as SharePoint reports it.
 */
import type { Blob } from '../data/blobs.js';
import { generatedSource, type ByteSource } from '../data/bytes.js';
import { derive, keystream } from '../data/random.js';
import { QuickXor } from './quickxor.js';
import { contentOf, libraryTree, textOf, type LibrarySeed, type SeedFile, type SeedLibrary } from './seed.js';

export type FileContent =
  | { readonly kind: 'seed'; readonly file: Pick<SeedFile, 'key' | 'size' | 'text' | 'signature' | 'mimeType'> }
  | { readonly kind: 'blob'; readonly blob: Blob; readonly quickXor: string };

export interface DriveItemRecord {
  readonly id: string;
  /** The list item's GUID: download.aspx?UniqueId=… and the eTag. */
  readonly uniqueId: string;
  name: string;
  /** '' for the root. */
  parentId: string;
  readonly kind: 'root' | 'folder' | 'file';
  seq: number;
  deleted: boolean;
  readonly created: Date;
  modified: Date;
  version: number;
  mimeType: string | undefined;
  content: FileContent | undefined;
}

export class DriveError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'itemNotFound' | 'nameAlreadyExists' | 'invalidRequest',
    message: string,
  ) {
    super(message);
  }
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

function guid(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

export class Drive {
  seq = 0;
  /** Bumped to expire every delta token of the library. */
  epoch = 0;
  private readonly items = new Map<string, DriveItemRecord>();
  private readonly children = new Map<string, string[]>();
  private readonly hashes = new Map<string, { version: number; hash: string }>();
  private counter = 0;
  readonly root: DriveItemRecord;

  constructor(
    readonly id: string,
    /** Stable key of the library (site key + library name) from which item ids derive. */
    readonly key: string,
    readonly library: SeedLibrary,
    private readonly seed: LibrarySeed,
    readonly created: Date,
  ) {
    this.root = this.insert('', 'root', 'root', created, undefined, undefined, 0);
    const tree = libraryTree(seed, key);
    for (const folder of tree.folders) {
      const slash = folder.lastIndexOf('/');
      const parent = slash < 0 ? this.root : this.byPath(folder.slice(0, slash));
      if (parent) this.insert(parent.id, folder.slice(slash + 1), 'folder', created, undefined, undefined, 0);
    }
    for (const file of tree.files) {
      const slash = file.path.lastIndexOf('/');
      const parent = slash < 0 ? this.root : this.byPath(file.path.slice(0, slash));
      if (!parent) continue;
      const item = this.insert(parent.id, file.path.slice(slash + 1), 'file', file.created, file.mimeType, { kind: 'seed', file }, 0);
      item.modified = file.modified;
    }
  }

  private insert(parentId: string, name: string, kind: DriveItemRecord['kind'], created: Date, mimeType: string | undefined, content: FileContent | undefined, seq: number): DriveItemRecord {
    this.counter += 1;
    const raw = derive(this.seed.seed, 'drive-item', this.key, this.counter);
    const item: DriveItemRecord = { id: `01${base32(raw.subarray(0, 20))}`, uniqueId: guid(derive(this.seed.seed, 'drive-item-guid', this.key, this.counter)), name, parentId, kind, seq, deleted: false, created, modified: created, version: 1, mimeType, content };
    this.items.set(item.id, item);
    if (parentId) {
      const list = this.children.get(parentId) ?? [];
      list.push(item.id);
      this.children.set(parentId, list);
    }
    return item;
  }

  /** A live item by id. */
  item(id: string): DriveItemRecord | undefined {
    const item = this.items.get(id) ?? (id.toLowerCase() === 'root' ? this.root : undefined);
    return item && !item.deleted ? item : undefined;
  }

  itemByUniqueId(uniqueId: string): DriveItemRecord | undefined {
    const wanted = uniqueId.replace(/[{}]/g, '').toUpperCase();
    for (const item of this.items.values()) if (item.uniqueId === wanted && !item.deleted) return item;
    return undefined;
  }

  childrenOf(id: string): DriveItemRecord[] {
    return (this.children.get(id) ?? []).map((c) => this.items.get(c)).filter((c): c is DriveItemRecord => c !== undefined && !c.deleted);
  }

  /** A live item by its path below `from` (default the root), case-insensitively as SharePoint does. */
  byPath(path: string, from: DriveItemRecord = this.root): DriveItemRecord | undefined {
    let at: DriveItemRecord | undefined = from;
    for (const part of path.split('/').filter(Boolean)) {
      at = at && this.childrenOf(at.id).find((c) => c.name.toLowerCase() === part.toLowerCase());
      if (!at) return undefined;
    }
    return at;
  }

  /** The item's path below the root ('' for the root). */
  path(item: DriveItemRecord): string {
    const names: string[] = [];
    for (let at: DriveItemRecord | undefined = item; at && at.kind !== 'root'; at = this.items.get(at.parentId)) names.unshift(at.name);
    return names.join('/');
  }

  size(item: DriveItemRecord): number {
    if (item.kind === 'file') return item.content?.kind === 'blob' ? item.content.blob.length : (item.content?.file.size ?? 0);
    return this.childrenOf(item.id).reduce((sum, c) => sum + this.size(c), 0);
  }

  content(item: DriveItemRecord): ByteSource {
    if (item.content?.kind === 'blob') return item.content.blob;
    if (item.content?.kind === 'seed') return contentOf(item.content.file);
    return generatedSource(Buffer.alloc(32), 0);
  }

  /** file.hashes.quickXorHash, computed once per version (seeded content synchronously, from its key). */
  quickXor(item: DriveItemRecord): string | undefined {
    if (item.content?.kind === 'blob') return item.content.quickXor;
    if (item.content?.kind !== 'seed') return undefined;
    const cached = this.hashes.get(item.id);
    if (cached?.version === item.version) return cached.hash;
    const file = item.content.file;
    const hash = new QuickXor();
    // The same bytes the download serves (seed.ts contentOf), made synchronously piece by piece.
    if (file.text) hash.update(textOf(file.key, file.size, file.mimeType === 'text/csv'));
    else {
      const signature = Buffer.from(file.signature, 'latin1').subarray(0, file.size);
      hash.update(signature);
      for (let at = signature.length; at < file.size; at += 160 * 8192) hash.update(keystream(file.key, at, Math.min(160 * 8192, file.size - at)));
    }
    const digest = hash.digest();
    this.hashes.set(item.id, { version: item.version, hash: digest });
    return digest;
  }

  // ---- edits

  private bump(): number {
    this.seq += 1;
    return this.seq;
  }

  private checkName(parentId: string, name: string, except?: DriveItemRecord): void {
    if (!name || /[\\/:*?"<>|]/.test(name) || name.startsWith(' ') || name.endsWith('.')) throw new DriveError(400, 'invalidRequest', `The name '${name}' is not allowed.`);
    if (this.childrenOf(parentId).some((c) => c !== except && c.name.toLowerCase() === name.toLowerCase())) {
      throw new DriveError(409, 'nameAlreadyExists', 'The specified item name already exists.');
    }
  }

  /** A free name in the folder: "name.ext", then "name 1.ext", "name 2.ext"… (conflictBehavior rename). */
  freeName(parentId: string, name: string): string {
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    const taken = new Set(this.childrenOf(parentId).map((c) => c.name.toLowerCase()));
    let candidate = name;
    for (let n = 1; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} ${n}${ext}`;
    return candidate;
  }

  private parent(id: string): DriveItemRecord {
    const parent = this.item(id);
    if (!parent || parent.kind === 'file') throw new DriveError(404, 'itemNotFound', 'The resource could not be found.');
    return parent;
  }

  addFolder(parentId: string, name: string, now: Date): DriveItemRecord {
    const parent = this.parent(parentId);
    this.checkName(parent.id, name);
    return this.insert(parent.id, name, 'folder', now, undefined, undefined, this.bump());
  }

  addFile(parentId: string, name: string, mimeType: string, content: FileContent, now: Date): DriveItemRecord {
    const parent = this.parent(parentId);
    this.checkName(parent.id, name);
    return this.insert(parent.id, name, 'file', now, mimeType, content, this.bump());
  }

  replaceContent(id: string, content: FileContent, now: Date): DriveItemRecord {
    const item = this.item(id);
    if (!item || item.kind !== 'file') throw new DriveError(404, 'itemNotFound', 'The resource could not be found.');
    item.content = content;
    item.version += 1;
    item.modified = now;
    item.seq = this.bump();
    return item;
  }

  update(id: string, change: { name?: string; parentId?: string }, now: Date): DriveItemRecord {
    const item = this.item(id);
    if (!item || item.kind === 'root') throw new DriveError(404, 'itemNotFound', 'The resource could not be found.');
    const parent = this.parent(change.parentId ?? item.parentId);
    for (let at: DriveItemRecord | undefined = parent; at; at = this.items.get(at.parentId)) {
      if (at.id === item.id) throw new DriveError(400, 'invalidRequest', 'An item cannot be moved into itself.');
    }
    const name = change.name ?? item.name;
    this.checkName(parent.id, name, item);
    if (parent.id !== item.parentId) {
      this.children.set(item.parentId, (this.children.get(item.parentId) ?? []).filter((c) => c !== item.id));
      this.children.set(parent.id, [...(this.children.get(parent.id) ?? []), item.id]);
      item.parentId = parent.id;
    }
    item.name = name;
    item.version += 1;
    item.modified = now;
    item.seq = this.bump();
    return item;
  }

  delete(id: string): void {
    const item = this.item(id);
    if (!item || item.kind === 'root') throw new DriveError(404, 'itemNotFound', 'The resource could not be found.');
    const remove = (at: DriveItemRecord): void => {
      for (const child of this.childrenOf(at.id)) remove(child);
      at.deleted = true;
      at.seq = this.bump();
    };
    remove(item);
  }

  // ---- enumeration for delta

  /** Live items, parents before children (the root first), unchanged since `baseline`. */
  private tree(baseline: number): DriveItemRecord[] {
    const out: DriveItemRecord[] = [];
    const walk = (item: DriveItemRecord): void => {
      if (item.seq <= baseline) out.push(item);
      for (const child of this.childrenOf(item.id)) walk(child);
    };
    walk(this.root);
    return out;
  }

  enumerate(pos: number, limit: number, baseline: number): { items: DriveItemRecord[]; next: number | undefined } {
    const all = this.tree(baseline);
    const items = all.slice(pos, pos + limit);
    return { items, next: pos + limit < all.length ? pos + limit : undefined };
  }

  /** Items (tombstones included) changed in (since, baseline] after change number `after`, oldest first. */
  changes(since: number, after: number, baseline: number, limit: number): { items: DriveItemRecord[]; last: number; more: boolean } {
    const lower = Math.max(since, after);
    const all = [...this.items.values()].filter((i) => i.seq > lower && i.seq <= baseline).sort((a, b) => a.seq - b.seq);
    const items = all.slice(0, limit);
    return { items, last: items.length ? (items[items.length - 1]?.seq ?? lower) : lower, more: all.length > limit };
  }

  /** eTag/cTag share the item's GUID and version, as SharePoint's do. */
  etag(item: DriveItemRecord): string {
    return `"{${item.uniqueId}},${item.version}"`;
  }

  ctag(item: DriveItemRecord): string {
    return `"c:{${item.uniqueId}},${item.version}"`;
  }
}
