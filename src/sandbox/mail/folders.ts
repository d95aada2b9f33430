/** A mailbox's folder tree: the seeded folders (SEED_FOLDERS) and those made later, deleted ones kept. */
import { IdKind, makeId, normaliseId } from './ids.js';
import { SEED_FOLDERS } from './seed.js';

export interface FolderRecord {
  readonly id: string;
  readonly seedIndex: number | undefined;
  readonly wellKnownName: string | undefined;
  displayName: string;
  /** '' for the root (msgfolderroot). */
  parentId: string;
  seq: number;
  /** Change number of its creation (0 when seeded): EWS tells Create from Update by it. */
  readonly createdSeq: number;
  deleted: boolean;
  readonly seededCount: number;
  /** Seeded messages of this folder that were materialised (changed, moved or deleted). */
  materialisedOut: number;
  materialisedOutUnread: number;
}

export class MailError extends Error {
  constructor(
    readonly code: 'ErrorItemNotFound' | 'ErrorFolderExists' | 'ErrorInvalidIdMalformed' | 'ErrorMoveCopyFailed',
    message: string,
  ) {
    super(message);
  }
}

const NOT_FOUND = 'The specified object was not found in the store.';

export class FolderTree {
  private readonly folders = new Map<string, FolderRecord>();
  private created = 0;

  constructor(
    private readonly mailboxKey: string,
    counts: readonly number[],
  ) {
    const idOfKey = new Map<string, string>();
    SEED_FOLDERS.forEach((f, i) => {
      const id = makeId(mailboxKey, IdKind.SeededFolder, 0, i);
      idOfKey.set(f.key, id);
      this.folders.set(id, {
        id,
        seedIndex: i,
        wellKnownName: f.wellKnownName,
        displayName: f.displayName,
        parentId: f.parent ? (idOfKey.get(f.parent) ?? '') : '',
        seq: 0,
        createdSeq: 0,
        deleted: false,
        seededCount: counts[i] ?? 0,
        materialisedOut: 0,
        materialisedOutUnread: 0,
      });
    });
  }

  get root(): FolderRecord {
    const root = [...this.folders.values()][0];
    if (!root) throw new Error('mailbox without root');
    return root;
  }

  /** Any folder by its exact id, deleted ones included. */
  byId(id: string): FolderRecord | undefined {
    return this.folders.get(id);
  }

  /** A live folder by id (either spelling) or well-known name. */
  folder(ref: string): FolderRecord | undefined {
    const byName = [...this.folders.values()].find((f) => f.wellKnownName !== undefined && f.wellKnownName === ref.toLowerCase());
    const f = byName ?? this.folders.get(normaliseId(ref));
    return f && !f.deleted ? f : undefined;
  }

  all(): FolderRecord[] {
    return [...this.folders.values()];
  }

  /** Live folders below the root. */
  live(): FolderRecord[] {
    return [...this.folders.values()].filter((f) => !f.deleted && f.parentId !== '');
  }

  path(folder: FolderRecord): string {
    const names: string[] = [];
    for (let f: FolderRecord | undefined = folder; f && f.parentId !== ''; f = this.folders.get(f.parentId)) names.unshift(f.displayName);
    return names.join('/');
  }

  private nameTaken(parentId: string, name: string, except?: FolderRecord): boolean {
    return this.live().some((f) => f !== except && f.parentId === parentId && f.displayName.toLowerCase() === name.toLowerCase());
  }

  add(parentId: string, displayName: string, bump: () => number): FolderRecord {
    const parent = this.folder(parentId);
    if (!parent) throw new MailError('ErrorItemNotFound', NOT_FOUND);
    if (this.nameTaken(parent.id, displayName)) throw new MailError('ErrorFolderExists', 'A folder with the specified name already exists.');
    this.created += 1;
    const seq = bump();
    const id = makeId(this.mailboxKey, IdKind.CreatedFolder, 0, this.created);
    const folder: FolderRecord = { id, seedIndex: undefined, wellKnownName: undefined, displayName, parentId: parent.id, seq, createdSeq: seq, deleted: false, seededCount: 0, materialisedOut: 0, materialisedOutUnread: 0 };
    this.folders.set(id, folder);
    return folder;
  }

  update(id: string, change: { displayName?: string; parentId?: string }, bump: () => number): FolderRecord {
    const folder = this.folder(id);
    if (!folder || folder.parentId === '') throw new MailError('ErrorItemNotFound', NOT_FOUND);
    const parent = change.parentId !== undefined ? this.folder(change.parentId) : this.folders.get(folder.parentId);
    if (!parent) throw new MailError('ErrorItemNotFound', NOT_FOUND);
    for (let p: FolderRecord | undefined = parent; p; p = this.folders.get(p.parentId)) {
      if (p.id === folder.id) throw new MailError('ErrorMoveCopyFailed', 'Cannot move a folder into itself or one of its subfolders.');
    }
    const name = change.displayName ?? folder.displayName;
    if (this.nameTaken(parent.id, name, folder)) throw new MailError('ErrorFolderExists', 'A folder with the specified name already exists.');
    folder.displayName = name;
    folder.parentId = parent.id;
    folder.seq = bump();
    return folder;
  }
}
