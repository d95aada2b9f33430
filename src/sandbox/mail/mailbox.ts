/**
 * One mailbox's state. Seeded messages stay implicit (derived from their id) until something changes
 * them; then they are "materialised" into `records`. Every change takes the next change number
 * (`seq`), which is what delta links and EWS sync states remember; removals leave tombstones in the
 * folder they left, which is how `@removed` and EWS Delete are answered.
 */
import type { BlobStore } from '../data/blobs.js';
import { FolderTree, MailError, type FolderRecord } from './folders.js';
import { decodeId, IdKind, makeId, normaliseId } from './ids.js';
import type { Address } from './mime-write.js';
import { isRead, MSGFLAG, recordFromSpec, type MessageRecord, type StoredAttachment } from './records.js';
import { messageSpec, SEED_FOLDERS, seedCounts, seededIsRead, type MailSeed, type SpecContext } from './seed.js';

export { MailError, type FolderRecord } from './folders.js';

export interface MailboxOwner {
  /** The user's object id (Exchange Online) or SMTP address (on-premises). */
  readonly key: string;
  readonly address: Address;
}

export interface MessagePatch {
  readonly isRead?: boolean;
  readonly subject?: string;
  readonly categories?: readonly string[];
  readonly flagged?: boolean;
  readonly importance?: 'low' | 'normal' | 'high';
  /** Adds an attachment to a message created from JSON (restore adds them after the create). */
  readonly attachment?: StoredAttachment;
}

export class Mailbox {
  seq = 0;
  /** Bumped to expire every delta token and sync state of the mailbox. */
  epoch = 0;
  private readonly tree: FolderTree;
  private readonly records = new Map<string, MessageRecord>();
  private readonly byFolder = new Map<string, Set<string>>();
  private readonly tombstones = new Map<string, Map<string, number>>();
  private readonly pristineUnread = new Map<string, number>();
  /** Recently derived seeded messages: a delta page and the $value that follows it derive each once. */
  private readonly recent = new Map<string, MessageRecord>();
  private createdMessages = 0;
  readonly ctx: SpecContext;

  constructor(
    readonly owner: MailboxOwner,
    readonly seed: MailSeed,
    readonly blobs: BlobStore,
    readonly clock: () => Date,
  ) {
    this.ctx = { seed: seed.seed, mailboxKey: owner.key, owner: owner.address };
    this.tree = new FolderTree(owner.key, seedCounts(seed.messages));
  }

  // ---- folders (folders.ts keeps the tree)

  get root(): FolderRecord {
    return this.tree.root;
  }

  /** A live folder by id (either spelling) or well-known name. */
  folder(ref: string): FolderRecord | undefined {
    return this.tree.folder(ref);
  }

  /** Every folder ever known, deleted ones included (for folder sync). */
  allFolders(): FolderRecord[] {
    return this.tree.all();
  }

  liveFolders(): FolderRecord[] {
    return this.tree.live();
  }

  childCount(folderId: string): number {
    return this.tree.live().filter((f) => f.parentId === folderId).length;
  }

  /** The folder's path below the root, e.g. "Inbox/Projects/Alpha". */
  path(folder: FolderRecord): string {
    return this.tree.path(folder);
  }

  totalCount(folder: FolderRecord): number {
    return folder.seededCount - folder.materialisedOut + (this.byFolder.get(folder.id)?.size ?? 0);
  }

  unreadCount(folder: FolderRecord): number {
    let pristine = this.pristineUnread.get(folder.id);
    if (pristine === undefined && folder.seedIndex !== undefined) {
      const def = SEED_FOLDERS[folder.seedIndex];
      pristine = 0;
      if (def) for (let i = 0; i < folder.seededCount; i++) if (!seededIsRead(this.ctx, def, i)) pristine++;
      this.pristineUnread.set(folder.id, pristine);
    }
    let unread = (pristine ?? 0) - folder.materialisedOutUnread;
    for (const id of this.byFolder.get(folder.id) ?? []) {
      const m = this.records.get(id);
      if (m && !isRead(m)) unread++;
    }
    return unread;
  }

  private bump(): number {
    this.seq += 1;
    return this.seq;
  }

  addFolder(parentId: string, displayName: string): FolderRecord {
    return this.tree.add(parentId, displayName, () => this.bump());
  }

  updateFolder(id: string, change: { displayName?: string; parentId?: string }): FolderRecord {
    return this.tree.update(id, change, () => this.bump());
  }

  /** Deletes the folder, its subfolders and their messages (each leaves a tombstone). */
  deleteFolder(id: string): void {
    const folder = this.folder(id);
    if (!folder || folder.parentId === '' || folder.wellKnownName) throw new MailError('ErrorItemNotFound', 'The specified object was not found in the store.');
    const remove = (f: FolderRecord): void => {
      for (const child of this.liveFolders().filter((c) => c.parentId === f.id)) remove(child);
      for (const m of this.enumerate(f.id, { phase: 0, pos: 0 }, Infinity, Infinity).items) this.deleteMessage(m.id);
      f.deleted = true;
      f.seq = this.bump();
    };
    remove(folder);
  }

  // ---- messages

  private pristine(folderIndex: number, index: number): MessageRecord | undefined {
    const def = SEED_FOLDERS[folderIndex];
    const folderId = makeId(this.owner.key, IdKind.SeededFolder, 0, folderIndex);
    const folder = this.tree.byId(folderId);
    if (!def || !folder || folder.deleted || index >= folder.seededCount) return undefined;
    const id = makeId(this.owner.key, IdKind.SeededMessage, folderIndex, index);
    const cached = this.recent.get(id);
    if (cached) return cached;
    const spec = messageSpec(this.ctx, def, index, folder.seededCount, this.seed);
    const record = recordFromSpec(id, folderId, spec, { folderId, unread: !spec.isRead });
    if (this.recent.size >= 512) this.recent.delete(this.recent.keys().next().value ?? '');
    this.recent.set(id, record);
    return record;
  }

  /** A live message by id (either spelling). */
  message(ref: string): MessageRecord | undefined {
    const id = normaliseId(ref);
    const known = this.records.get(id);
    if (known) return known.folderId ? known : undefined;
    const decoded = decodeId(this.owner.key, id);
    if (decoded?.kind !== IdKind.SeededMessage) return undefined;
    return this.pristine(decoded.a, decoded.b);
  }

  /** Makes a message mutable: a pristine seeded message is copied into `records`. */
  private materialise(ref: string): MessageRecord {
    const m = this.message(ref);
    if (!m) throw new MailError('ErrorItemNotFound', 'The specified object was not found in the store.');
    if (!this.records.has(m.id)) {
      this.recent.delete(m.id);
      this.records.set(m.id, m);
      this.index(m.folderId).add(m.id);
      const from = this.tree.byId(m.folderId);
      if (from) {
        from.materialisedOut += 1;
        if (m.seeded?.unread) from.materialisedOutUnread += 1;
      }
    }
    return m;
  }

  private index(folderId: string): Set<string> {
    let set = this.byFolder.get(folderId);
    if (!set) this.byFolder.set(folderId, (set = new Set()));
    return set;
  }

  private tombstone(folderId: string, id: string, seq: number): void {
    let map = this.tombstones.get(folderId);
    if (!map) this.tombstones.set(folderId, (map = new Map()));
    map.set(id, seq);
  }

  /** Stores a new message in the folder; `init` is everything but the bookkeeping. */
  addMessage(folderId: string, init: Omit<MessageRecord, 'id' | 'folderId' | 'seq' | 'arrivedSeq' | 'readOnlyChange' | 'version' | 'seeded'>): MessageRecord {
    const folder = this.folder(folderId);
    if (!folder) throw new MailError('ErrorItemNotFound', 'The specified folder could not be found in the store.');
    this.createdMessages += 1;
    const seq = this.bump();
    const m: MessageRecord = { ...init, id: makeId(this.owner.key, IdKind.CreatedMessage, 0, this.createdMessages), folderId: folder.id, seq, arrivedSeq: seq, readOnlyChange: false, version: 0 };
    this.records.set(m.id, m);
    this.index(folder.id).add(m.id);
    this.tombstones.get(folder.id)?.delete(m.id);
    return m;
  }

  /** Applies a property change as one change (one new change number). */
  updateMessage(ref: string, patch: MessagePatch): MessageRecord {
    const m = this.materialise(ref);
    const keys = Object.keys(patch).filter((k) => patch[k as keyof MessagePatch] !== undefined);
    if (patch.isRead !== undefined) m.flags = patch.isRead ? m.flags | MSGFLAG.READ : m.flags & ~MSGFLAG.READ;
    if (patch.subject !== undefined) m.subject = patch.subject;
    if (patch.categories !== undefined) m.categories = [...patch.categories];
    if (patch.flagged !== undefined) m.flagged = patch.flagged;
    if (patch.importance !== undefined) m.importance = patch.importance;
    if (patch.attachment !== undefined && m.content.kind === 'built') {
      m.content.attachments.push(patch.attachment);
      if (!patch.attachment.isInline) m.flags |= MSGFLAG.HASATTACH;
    }
    m.readOnlyChange = keys.length === 1 && keys[0] === 'isRead';
    m.seq = this.bump();
    m.version += 1;
    m.modified = this.clock();
    return m;
  }

  moveMessage(ref: string, folderId: string): MessageRecord {
    const target = this.folder(folderId);
    if (!target) throw new MailError('ErrorItemNotFound', 'The specified folder could not be found in the store.');
    const m = this.materialise(ref);
    if (m.folderId === target.id) return m;
    const seq = this.bump();
    this.index(m.folderId).delete(m.id);
    this.tombstone(m.folderId, m.id, seq);
    m.folderId = target.id;
    this.index(target.id).add(m.id);
    this.tombstones.get(target.id)?.delete(m.id);
    m.seq = seq;
    m.arrivedSeq = seq;
    m.readOnlyChange = false;
    m.version += 1;
    return m;
  }

  deleteMessage(ref: string): void {
    const m = this.materialise(ref);
    const seq = this.bump();
    this.index(m.folderId).delete(m.id);
    this.tombstone(m.folderId, m.id, seq);
    m.folderId = '';
    m.seq = seq;
  }

  // ---- enumeration and changes

  /**
   * Live messages of a folder in a stable order: seeded ones by index (phase 0), then materialised
   * ones by change number (phase 1). Items changed after `baseline` are left to the next round. The
   * first `skip` items are passed over without being derived (list paging by $skip).
   */
  enumerate(folderId: string, cursor: { phase: 0 | 1; pos: number }, limit: number, baseline: number, skip = 0): { items: MessageRecord[]; next: { phase: 0 | 1; pos: number } | undefined } {
    const folder = this.tree.byId(folderId);
    const items: MessageRecord[] = [];
    if (!folder || folder.deleted) return { items, next: undefined };
    let pos = cursor.pos;
    let toSkip = skip;
    if (cursor.phase === 0 && folder.seedIndex !== undefined) {
      for (; pos < folder.seededCount && items.length < limit; pos++) {
        const id = makeId(this.owner.key, IdKind.SeededMessage, folder.seedIndex, pos);
        if (this.records.has(id)) continue;
        if (toSkip > 0) {
          toSkip -= 1;
          continue;
        }
        const m = this.pristine(folder.seedIndex, pos);
        if (m) items.push(m);
      }
      if (pos < folder.seededCount) return { items, next: { phase: 0, pos } };
    }
    if (cursor.phase === 0) pos = 0;
    const rest = this.materialisedIn(folderId).filter((m) => m.seq > pos && m.seq <= baseline);
    for (const m of rest) {
      if (items.length >= limit) return { items, next: { phase: 1, pos } };
      pos = m.seq;
      if (toSkip > 0) {
        toSkip -= 1;
        continue;
      }
      items.push(m);
    }
    return { items, next: undefined };
  }

  private materialisedIn(folderId: string): MessageRecord[] {
    const out: MessageRecord[] = [];
    for (const id of this.byFolder.get(folderId) ?? []) {
      const m = this.records.get(id);
      if (m) out.push(m);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** What changed in a folder in (since, baseline], after change number `after`, oldest first. */
  changes(folderId: string, since: number, after: number, baseline: number, limit: number): { entries: Array<{ record: MessageRecord } | { removed: string; seq: number }>; last: number; more: boolean } {
    const lower = Math.max(since, after);
    const upserts = this.materialisedIn(folderId)
      .filter((m) => m.seq > lower && m.seq <= baseline)
      .map((m) => ({ seq: m.seq, entry: { record: m } as const }));
    const removed = [...(this.tombstones.get(folderId) ?? new Map<string, number>())]
      .filter(([, seq]) => seq > lower && seq <= baseline)
      .map(([id, seq]) => ({ seq, entry: { removed: id, seq } as const }));
    const all = [...upserts, ...removed].sort((a, b) => a.seq - b.seq);
    const page = all.slice(0, limit);
    return { entries: page.map((e) => e.entry), last: page.length ? (page[page.length - 1]?.seq ?? lower) : lower, more: all.length > limit };
  }
}
