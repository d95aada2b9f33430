import { Low } from 'lowdb';
import { constants } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import type { SealedSecret, SecretRef, StoreDocument } from '../domain/index.js';
import { CURRENT_SCHEMA_VERSION, Secret } from '../domain/index.js';
import type { AuditActor, Edit, OpenStoreOptions, Store, StoreChange, UpdateOptions } from './api.js';
import { StoreError } from './api.js';
import { currentActor } from './actor.js';
import type { StoreFileAdapter } from './adapter.js';
import { adapterFor, releaseAdapter } from './adapter.js';
import { encryptionOf } from './encryption-record.js';
import type { FsFacade } from './fs-facade.js';
import { closeQuietly, nodeFs, W_OK, X_OK } from './fs-facade.js';
import { realpathOfExisting, shellPath } from '../fs/index.js';
import { checkStoreFolder } from './safe-files.js';
import { readStoreFile } from './read-file.js';
import { parseStoreText } from './parse-store.js';
import { describeIoError, errorCode, showPath } from '../fs/io-errors.js';
import type { LockTiming, Locker } from './lock.js';
import { acquireStoreLock, DEFAULT_LOCK_TIMING } from './lock.js';
import type { ScryptCost } from './passphrase.js';
import { DEFAULT_SCRYPT_COST } from './passphrase.js';
import type { StoreFiles } from './paths.js';
import { storeFiles } from './paths.js';
import { DEFAULT_MAX_BYTES } from './read-file.js';
import type { AuditRecord } from './audit-read.js';
import { readAuditLog } from './audit-read.js';
import { readAuditLogNewestFirst } from './audit-tail.js';

/**
 * Knobs for tests and benchmarks, beside the public options. The defaults are what production
 * uses; nothing here is needed to use the store.
 */
export interface StoreTuning {
  /** File operations (fault injection). */
  readonly fs?: FsFacade;
  readonly lockTiming?: Partial<LockTiming>;
  /** The inter-process lock; a test swaps in `noLock` to show the updates it would lose. */
  readonly locker?: Locker;
  /** scrypt cost for new passphrase-protected stores (existing ones record their own). */
  readonly scryptCost?: ScryptCost;
}

function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

/**
 * Why this process could not save the store, or undefined if it can: the file must be writable
 * (open r+) and the directory too (the temp file and the rename live there).
 */
async function whyNotWritable(fs: FsFacade, files: StoreFiles): Promise<string | undefined> {
  const reasonFor = (error: unknown, what: string): string => {
    const code = errorCode(error);
    if (code === 'EROFS') return `the file system holding ${showPath(files.store)} is read-only (EROFS)`;
    if (code === 'EACCES' || code === 'EPERM') return `${whoAmI()} has no permission to ${what} (${code})`;
    return `cannot ${what}: ${describeIoError(error)}`;
  };
  try {
    const handle = await fs.open(files.store, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    await closeQuietly(fs, handle);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') return reasonFor(error, `write ${showPath(files.store)}`);
  }
  try {
    await fs.access(files.dir, W_OK | X_OK);
  } catch (error) {
    return reasonFor(error, `create files in ${showPath(files.dir)}, which saving needs`);
  }
  return undefined;
}

class FileStore implements Store {
  readonly path: string;
  readonly readOnly: boolean;
  readonly readOnlyReason: string | undefined;
  readonly #adapter: StoreFileAdapter;
  readonly #low: Low<StoreDocument>;
  readonly #actor: AuditActor;
  readonly #now: () => Date;
  readonly #listeners = new Map<(change: StoreChange) => void, number>();
  #timer: NodeJS.Timeout | undefined;
  #timerMs = 0;
  #polling = false;
  #closed = false;
  /** The file was gone at the last reload (moved or deleted under the open panel). */
  #fileMissing = false;
  /** A version-1 file opened read-only: the document exists only in memory until someone migrates the file. */
  readonly #migratedInMemory: boolean;

  constructor(
    adapter: StoreFileAdapter,
    doc: StoreDocument,
    options: { readOnlyReason: string | undefined; actor: AuditActor; now: () => Date; migratedInMemory: boolean },
  ) {
    this.#migratedInMemory = options.migratedInMemory;
    this.path = adapter.files.store;
    this.#adapter = adapter;
    // lowdb holds the document this session sees; its reads go through our validating adapter.
    this.#low = new Low<StoreDocument>(adapter, doc);
    this.readOnly = options.readOnlyReason !== undefined;
    this.readOnlyReason = options.readOnlyReason;
    this.#actor = options.actor;
    this.#now = options.now;
  }

  current(): StoreDocument {
    return this.#low.data;
  }

  async update<T>(edit: Edit<T>, options: UpdateOptions = {}): Promise<T> {
    if (this.#closed) throw new StoreError('read-only', `the store ${showPath(this.path)} is closed; nothing was saved`, this.path);
    if (this.readOnly) {
      throw new StoreError('read-only', `${showPath(this.path)} is open read-only (${this.readOnlyReason}); nothing was saved`, this.path);
    }
    // Inside the queue, so that a poll cannot slip in between the save and taking its result over.
    return this.#adapter.enqueue(async () => {
      let outcome;
      try {
        outcome = await this.#adapter.commit(edit, {
          ...(options.expectRevision !== undefined ? { expectRevision: options.expectRevision } : {}),
          actor: this.#actor,
          now: this.#now(),
        });
      } catch (error) {
        // The file did not change, but we may have seen a newer version of it (e.g. a conflict).
        const known = this.#adapter.known?.doc;
        if (known && known.revision >= this.#low.data.revision) this.#adopt(known, true);
        throw error;
      }
      this.#adopt(outcome.doc, !outcome.saved);
      if (outcome.auditError) throw outcome.auditError;
      return outcome.result as T;
    });
  }

  #adopt(doc: StoreDocument, external: boolean, extra: Pick<StoreChange, 'fileMissing'> = {}): void {
    if (doc === this.#low.data) return;
    this.#low.data = doc;
    this.#notify({ document: doc, external, ...extra });
  }

  #notify(change: StoreChange): void {
    for (const listener of this.#listeners.keys()) {
      try {
        listener(change);
      } catch {
        // A failing listener must not turn a successful save into an error.
      }
    }
  }

  reload(): Promise<boolean> {
    return this.#adapter.enqueue(async () => {
      const before = this.#low.data;
      const wasMissing = this.#fileMissing;
      try {
        await this.#low.read();
      } catch (error) {
        // Still the version-1 file we migrated in memory: nothing new to show.
        if (this.#migratedInMemory && error instanceof StoreError && error.code === 'conflict') return false;
        throw error;
      }
      // lowdb keeps the last document when the file is gone; say so once, and once when it is back.
      this.#fileMissing = this.#adapter.missing;
      const after = this.#low.data;
      if (after === before) {
        if (this.#fileMissing !== wasMissing) this.#notify({ document: before, external: true, fileMissing: this.#fileMissing });
        return false;
      }
      this.#low.data = before;
      this.#adopt(after, true, wasMissing ? { fileMissing: false } : {});
      return true;
    });
  }

  subscribe(listener: (change: StoreChange) => void, pollMs = 500): () => void {
    this.#listeners.set(listener, Math.max(10, pollMs));
    this.#schedule();
    return () => {
      this.#listeners.delete(listener);
      this.#schedule();
    };
  }

  #schedule(): void {
    const wanted = this.#closed || this.#listeners.size === 0 ? 0 : Math.min(...this.#listeners.values());
    if (wanted === this.#timerMs) return;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#timerMs = wanted;
    if (wanted > 0) {
      this.#timer = setInterval(() => void this.#poll(), wanted);
      this.#timer.unref();
    }
  }

  async #poll(): Promise<void> {
    if (this.#polling || this.#closed) return;
    this.#polling = true;
    try {
      await this.reload();
    } catch {
      // Invalid or half-edited content: keep the last good document; a later valid write is picked up.
    } finally {
      this.#polling = false;
    }
  }

  auditLog(options: { readonly newestFirst?: boolean } = {}): AsyncIterable<AuditRecord> {
    const adapter = this.#adapter;
    const access = { fs: adapter.settings.fs, files: adapter.files, owners: adapter.owners };
    return options.newestFirst ? readAuditLogNewestFirst(access) : readAuditLog(access);
  }

  reveal(sealed: SealedSecret, ref: SecretRef): Secret {
    return new Secret(this.#adapter.keyring.reveal(sealed, ref, encryptionOf(this.#low.data)));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#schedule();
    await this.#adapter.idle();
    releaseAdapter(this.#adapter);
  }
}

const STICKY = 0o1000;

/**
 * Where the store really is. A link is followed to where it points, also when nothing is there
 * yet (the store is then created there): a save renames over the real file, never over the link.
 */
async function realStorePath(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    const stat = await lstat(current).catch(() => undefined);
    if (!stat?.isSymbolicLink()) return realpathOfExisting(current);
    current = resolve(dirname(current), await readlink(current));
  }
  throw new StoreError('unreadable', `cannot open ${showPath(path)}: too many symbolic links (ELOOP); nothing was changed`, path);
}

/** Others may create files in the folder (the sticky bit keeps them from replacing ours). */
async function isSharedFolder(dir: string): Promise<boolean> {
  const stat = await lstat(dir).catch(() => undefined);
  return stat !== undefined && (stat.mode & 0o022) !== 0 && (stat.mode & STICKY) !== 0;
}

/**
 * For a store that cannot be read: where its last good version is and the commands that use it,
 * when `<store>.bak` holds a valid current-version document.
 */
async function backupHint(adapter: StoreFileAdapter): Promise<string | undefined> {
  const { files, settings } = adapter;
  try {
    const snapshot = await readStoreFile(settings.fs, files.backup, settings.maxBytes, adapter.owners);
    if (snapshot === 'missing') return undefined;
    const parsed = parseStoreText(snapshot.text, files.backup);
    if (parsed.version !== CURRENT_SCHEMA_VERSION) return undefined;
    const when = parsed.doc.updatedAt ? `, saved ${parsed.doc.updatedAt}` : '';
    return (
      `. The last good version (revision ${parsed.doc.revision}${when}) is in ${showPath(files.backup)}: ` +
      `look at it with backup-panel --store ${shellPath(files.backup)} --read-only, ` +
      `or put it back with mv ${shellPath(files.store)} ${shellPath(`${files.store}.damaged`)} && cp -p ${shellPath(files.backup)} ${shellPath(files.store)}`
    );
  } catch {
    return undefined;
  }
}

/**
 * Opens (creating or migrating when needed) the store at `options.path`. Throws a StoreError
 * with one clear line for files it cannot use, and never writes to those.
 */
export async function openStore(options: OpenStoreOptions & StoreTuning): Promise<Store> {
  const files = storeFiles(await realStorePath(options.path));
  // Before anything is read or created: a folder another user could write is refused.
  await checkStoreFolder(files.dir);
  const adapter = adapterFor(files, {
    fs: options.fs ?? nodeFs,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    timing: { ...DEFAULT_LOCK_TIMING, ...options.lockTiming },
    locker: options.locker ?? acquireStoreLock,
    passphraseFile: options.passphraseFile ?? (process.env.BACKUP_PANEL_PASSPHRASE_FILE || undefined),
    scryptCost: options.scryptCost ?? DEFAULT_SCRYPT_COST,
  });
  try {
    adapter.sharedFolder = await isSharedFolder(files.dir);
    const now = options.now ?? (() => new Date());
    const actor = options.actor ?? currentActor();
    let state;
    try {
      state = await adapter.readInitial();
    } catch (error) {
      if (error instanceof StoreError && error.code === 'invalid') {
        const hint = await backupHint(adapter);
        if (hint) throw new StoreError(error.code, error.message + hint, error.path);
      }
      throw error;
    }
    if (state === 'missing') {
      if (options.readOnly || options.create === false) {
        const via = resolve(options.path) !== files.store ? ` (where ${showPath(resolve(options.path))} points)` : '';
        throw new StoreError('missing', `${showPath(files.store)}${via} does not exist; nothing was created. Check the path (--store or BACKUP_PANEL_STORE)`, files.store);
      }
      state = await adapter.create(actor, now());
      if (state === 'missing') throw new StoreError('unreadable', `${showPath(files.store)} vanished while it was being created`, files.store);
    }
    const readOnlyReason = options.readOnly ? 'opened read-only on request' : await whyNotWritable(adapter.settings.fs, files);
    let doc: StoreDocument;
    if (state.parsed.version === CURRENT_SCHEMA_VERSION) doc = state.parsed.doc;
    else if (readOnlyReason !== undefined) doc = adapter.migrateInMemory(state.parsed.raw, now());
    else doc = await adapter.migrate(actor, now());
    // A change whose audit line a crashed or failed session did not write: written now.
    if (readOnlyReason === undefined) await adapter.settleAudit();
    await adapter.keyring.load(encryptionOf(doc));
    return new FileStore(adapter, doc, { readOnlyReason, actor, now, migratedInMemory: state.parsed.version !== CURRENT_SCHEMA_VERSION && readOnlyReason !== undefined });
  } catch (error) {
    releaseAdapter(adapter);
    throw error;
  }
}
