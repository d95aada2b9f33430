import type { AuditRecord } from './audit-read.js';
import type { SealedSecret, SecretRef, Secret, StoreDocument } from '../domain/index.js';

/** Why an operation on the store could not be done; `message` is one line an admin can act on. */
export type StoreErrorCode =
  | 'missing' // no store at the path, and the caller did not ask to create one
  | 'unreadable' // cannot read the file (permission, I/O, a directory in its place)
  | 'invalid' // not JSON, or JSON that fails validation
  | 'newer-version' // written by a newer release; never overwritten
  | 'too-large' // over the size cap
  | 'conflict' // another session saved since the edit's data was loaded
  | 'locked' // another process holds the lock for too long
  | 'read-only' // opened read-only (by request, or because the file cannot be written safely)
  | 'key' // key file / passphrase missing, unreadable, or not the one the store was sealed with
  | 'write-failed' // disk full, read-only file system, permission denied while saving
  | 'not-found' // an entity named in an edit does not exist
  | 'unsafe'; // a link, a file of another user, or a folder others may write, where our files are (see src/fs)

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/**
 * Who changed the store, as the audit log records it. The top-level fields are what the kernel
 * says (they cannot be faked by the user who runs the program); `claimed` holds what only the
 * environment says (SUDO_USER, SSH_CONNECTION), which that user can set to anything.
 */
export interface AuditActor {
  /** The effective uid the change was made with. */
  readonly uid: number;
  /** Its name in /etc/passwd (or `uid N`). */
  readonly user: string;
  /** /proc/self/loginuid when set: the uid that logged in, kept across sudo and su. */
  readonly loginUid?: number;
  readonly loginUser?: string;
  readonly pid: number;
  readonly host: string;
  readonly claimed?: {
    /** SUDO_USER. */
    readonly sudoUser?: string;
    /** The client address in SSH_CONNECTION. */
    readonly sshClient?: string;
  };
}

/** One committed change, as the edit describes it. Never include secret values. */
export interface AuditChange {
  readonly action: string; // e.g. 'alerts.mute', 'connection.reconfigure'
  readonly entity?: { readonly type: 'connection' | 'job' | 'alert' | 'notifications' | 'store'; readonly id?: string };
  /** Names of changed fields; for secrets the name only (e.g. 'credential.privateKey'). */
  readonly fields?: readonly string[];
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export interface EditTools {
  /** Encrypts a secret for the given place in the document. */
  seal(plaintext: string, ref: SecretRef): SealedSecret;
  readonly now: Date;
}

/** An edit: change `draft` (a private deep copy of the latest document) and describe the change. */
export type Edit<T> = (draft: StoreDocument, tools: EditTools) => { readonly change: AuditChange; readonly result: T } | 'unchanged';

export interface UpdateOptions {
  /**
   * The revision the edit is based on (what the user saw). If the file has moved on, the edit is
   * refused with a 'conflict' StoreError instead of overwriting another session's work. Without it
   * the edit is applied to the latest state read under the lock (safe for self-contained edits
   * such as "mute category X").
   */
  readonly expectRevision?: number;
}

export interface StoreChange {
  readonly document: StoreDocument;
  /** Set when the change came from another process. */
  readonly external: boolean;
  /**
   * Set when the file itself went away (moved or deleted: true) or came back (false). While it is
   * gone the document is the last one seen, saves are refused, and nothing recreates the file.
   */
  readonly fileMissing?: boolean;
}

export interface Store {
  readonly path: string;
  readonly readOnly: boolean;
  /** Why the store is read-only, when it is. */
  readonly readOnlyReason: string | undefined;
  /** The latest document this process has seen (secrets sealed). Do not mutate. */
  current(): StoreDocument;
  /** Applies an edit under the inter-process lock and saves atomically. Returns the edit's result. */
  update<T>(edit: Edit<T>, options?: UpdateOptions): Promise<T>;
  /** Re-reads the file if it changed on disk; true when the document changed. */
  reload(): Promise<boolean>;
  /** Calls `listener` when the document changes (own saves and other sessions'); polls the file. */
  subscribe(listener: (change: StoreChange) => void, pollMs?: number): () => void;
  /**
   * The audit log's entries, oldest first, streamed from `<store>.audit.log` (empty when there is
   * none yet). Lines this release cannot read come as `{unreadable, line}`. `newestFirst`: read
   * backwards from the end (the newest changes of a long log without reading all of it).
   */
  auditLog(options?: { readonly newestFirst?: boolean }): AsyncIterable<AuditRecord>;
  /** Decrypts a sealed secret that lives at `ref`. */
  reveal(sealed: SealedSecret, ref: SecretRef): Secret;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  readonly path: string;
  /** Open without ever writing (no migration write, no key creation). */
  readonly readOnly?: boolean;
  /** Defaults to BACKUP_PANEL_PASSPHRASE_FILE; when set, the key comes from the passphrase (scrypt). */
  readonly passphraseFile?: string;
  readonly now?: () => Date;
  readonly actor?: AuditActor;
  /** Refuse files larger than this (bytes). */
  readonly maxBytes?: number;
  /** Create the file with an empty document when it does not exist (default true). */
  readonly create?: boolean;
}
