import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';
import type { StoreDocument } from '../domain/index.js';
import { CURRENT_SCHEMA_VERSION, displayText, emptyDocument } from '../domain/index.js';
import type { AuditActor, Edit, EditTools } from './api.js';
import { StoreError } from './api.js';
import { actorLabel, currentActor } from './actor.js';
import { trustedOwners } from '../fs/index.js';
import { removeStaleTemps, replaceFile } from './atomic-write.js';
import type { AuditAccess, AuditEntry } from './audit-log.js';
import { auditEntry, auditHasEntry, openAuditLog, rollForwardAudit, writeAuditLine } from './audit-log.js';
import { cloneJson, lazyDraft } from './draft.js';
import { encryptionOf } from './encryption-record.js';
import type { FsFacade } from './fs-facade.js';
import { closeQuietly } from './fs-facade.js';
import { describeIoError, errorCode, showPath } from '../fs/io-errors.js';
import type { FileOwner } from './key-file.js';
import { Keyring } from './keyring.js';
import type { HeldLock, LockTiming, Locker } from './lock.js';
import { migrateToCurrent, sealedV1Backup } from './migrations/index.js';
import type { ParsedStore } from './parse-store.js';
import { parseStoreText, validateDocument } from './parse-store.js';
import type { StoreFiles } from './paths.js';
import type { ScryptCost } from './passphrase.js';
import type { FileSnapshot, Fingerprint } from './read-file.js';
import { readIfUnchanged, readStoreFile, sameFingerprint } from './read-file.js';
import { serializeDocument, shareSerialization } from './serialize.js';
import { assertWithinLimit } from './size-limit.js';

export interface AdapterSettings {
  readonly fs: FsFacade;
  readonly maxBytes: number;
  readonly timing: LockTiming;
  readonly locker: Locker;
  readonly passphraseFile: string | undefined;
  readonly scryptCost: ScryptCost;
}

/** The file as this process last saw it: what lets a save skip re-parsing an unchanged file. */
interface Known {
  readonly fingerprint: Fingerprint;
  readonly bytes: Buffer;
  readonly doc: StoreDocument;
}

export interface CommitOptions {
  readonly expectRevision?: number;
  readonly actor: AuditActor;
  readonly now: Date;
}

export interface CommitOutcome<T> {
  readonly doc: StoreDocument;
  readonly result: T | undefined;
  readonly saved: boolean;
  /** The change is saved, but its audit line could not be written. */
  readonly auditError?: StoreError;
}

export type InitialState = 'missing' | { readonly snapshot: FileSnapshot; readonly parsed: ParsedStore };

function conflictMessage(path: string, fresh: StoreDocument, expected: number): string {
  const root = fresh as StoreDocument & { updatedBy?: unknown };
  const who = typeof root.updatedBy === 'string' ? ` by ${displayText(root.updatedBy, { maxLength: 160 })}` : ' by another session';
  const when = fresh.updatedAt ? ` at ${fresh.updatedAt}` : '';
  return (
    `${showPath(path)} was changed${who}${when} after you loaded it ` +
    `(revision ${expected}, now ${fresh.revision}); your change was not saved — review the refreshed data and try again`
  );
}

function ownerOf(snapshot: FileSnapshot): FileOwner {
  return { uid: snapshot.uid, gid: snapshot.gid };
}

function lastChangeOf(doc: StoreDocument): AuditEntry | undefined {
  return (doc as StoreDocument & { lastChange?: AuditEntry }).lastChange;
}

/**
 * The single object per store file per process (see `adapterFor`): a lowdb adapter whose reads
 * validate and whose saves run one at a time through an in-process queue, under the
 * inter-process lock, on the file re-read inside the lock.
 */
export class StoreFileAdapter implements Adapter<StoreDocument> {
  readonly files: StoreFiles;
  readonly settings: AdapterSettings;
  readonly keyring: Keyring;
  known: Known | undefined;
  #bad: { readonly fingerprint: Fingerprint; readonly error: unknown } | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  refs = 0;
  /** Who may own the files beside the store: us, root, and the store file's owner once read. */
  readonly owners: number[] = [...trustedOwners()];
  /**
   * The folder is shared (others may write to it; the sticky bit keeps them from replacing our
   * files): there a store file must belong to us or root, since anyone could have created it.
   */
  sharedFolder = false;
  /** The id of the last audit line this process knows is in the log (spares re-reading its tail). */
  #audited: string | undefined;

  constructor(files: StoreFiles, settings: AdapterSettings) {
    this.files = files;
    this.settings = settings;
    this.keyring = new Keyring({ fs: settings.fs, files, passphraseFile: settings.passphraseFile, scryptCost: settings.scryptCost, owners: () => this.owners });
  }

  /** Runs tasks of this file one after another (saves, migrations, refreshes). */
  enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }

  // ---- lowdb Adapter ------------------------------------------------------------------------

  /**
   * lowdb: the latest valid current-version document (null when there is no file). Call it
   * inside enqueue() (FileStore.reload does), so that it cannot interleave with a save.
   */
  async read(): Promise<StoreDocument | null> {
    const outcome = await this.#refresh();
    this.missing = outcome === 'missing';
    return outcome === 'missing' ? null : outcome;
  }

  /** Whether the last read found no file (it was moved or deleted since it was opened). */
  missing = false;

  /**
   * lowdb: saves `data` as the next revision, refused with 'conflict' if the file is no longer at
   * `data.revision` (Low.write() must not overwrite another session's work either).
   */
  async write(data: StoreDocument): Promise<void> {
    await this.enqueue(() =>
      this.commit(
        (draft) => {
          const target = draft as unknown as Record<string, unknown>;
          for (const key of Object.keys(target)) delete target[key];
          Object.assign(target, cloneJson(data));
          return { change: { action: 'store.write', entity: { type: 'store' } }, result: undefined };
        },
        { expectRevision: data.revision, actor: currentActor(), now: new Date() },
      ),
    );
  }

  // ---- reading -------------------------------------------------------------------------------

  #storeOwners(): readonly number[] | undefined {
    return this.sharedFolder ? trustedOwners() : undefined;
  }

  async #snapshot(): Promise<FileSnapshot | 'missing'> {
    const snapshot = await readStoreFile(this.settings.fs, this.files.store, this.settings.maxBytes, this.#storeOwners());
    if (snapshot !== 'missing' && !this.owners.includes(snapshot.uid)) this.owners.push(snapshot.uid);
    return snapshot;
  }

  /** The first read at open (no lock: renames make every read see a whole file). */
  async readInitial(): Promise<InitialState> {
    const snapshot = await this.#snapshot();
    if (snapshot === 'missing') return 'missing';
    const parsed = this.#parse(snapshot);
    return { snapshot, parsed };
  }

  #parse(snapshot: FileSnapshot): ParsedStore {
    if (this.known && snapshot.bytes.equals(this.known.bytes)) return { version: CURRENT_SCHEMA_VERSION, doc: this.known.doc };
    const parsed = parseStoreText(snapshot.text, this.files.store);
    if (parsed.version === CURRENT_SCHEMA_VERSION) this.known = { fingerprint: snapshot.fingerprint, bytes: snapshot.bytes, doc: parsed.doc };
    return parsed;
  }

  /**
   * Re-reads the file if its stat fingerprint changed. Returns the current document (unchanged
   * object when nothing changed). Throws for a file that is now invalid, newer or version 1.
   */
  async #refresh(): Promise<StoreDocument | 'missing'> {
    const stat = await this.settings.fs.lstat(this.files.store).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw new StoreError('unreadable', `cannot read ${showPath(this.files.store)}: ${describeIoError(error)}`, this.files.store);
    });
    if (!stat) return 'missing';
    const fingerprint = { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
    if (this.known && sameFingerprint(fingerprint, this.known.fingerprint)) return this.known.doc;
    if (this.#bad && sameFingerprint(fingerprint, this.#bad.fingerprint)) throw this.#bad.error;
    const snapshot = await this.#snapshot();
    if (snapshot === 'missing') return 'missing';
    try {
      const parsed = this.#parse(snapshot);
      if (parsed.version !== CURRENT_SCHEMA_VERSION) {
        throw new StoreError('conflict', `${showPath(this.files.store)} was replaced by a version-1 file; reopen backup-panel to migrate it`, this.files.store);
      }
      if (this.known?.doc === parsed.doc) this.known = { ...this.known, fingerprint: snapshot.fingerprint };
      this.#bad = undefined;
      return parsed.doc;
    } catch (error) {
      this.#bad = { fingerprint: snapshot.fingerprint, error };
      throw error;
    }
  }

  /** Inside the lock: the file as it is now, validated (reusing the last parse when the bytes are identical). */
  async #readLocked(): Promise<{ snapshot: FileSnapshot; doc: StoreDocument }> {
    const known = this.known;
    if (known) {
      const same = await readIfUnchanged(this.settings.fs, this.files.store, known.bytes, this.#storeOwners());
      if (same) return { snapshot: same, doc: known.doc };
    }
    const snapshot = await this.#snapshot();
    if (snapshot === 'missing') {
      throw new StoreError('unreadable', `${showPath(this.files.store)} was removed since it was opened; nothing was saved`, this.files.store);
    }
    const parsed = this.#parse(snapshot);
    if (parsed.version !== CURRENT_SCHEMA_VERSION) {
      throw new StoreError('conflict', `${showPath(this.files.store)} was replaced by a version-1 file since it was opened; reopen backup-panel to migrate it. Nothing was saved`, this.files.store);
    }
    return { snapshot, doc: parsed.doc };
  }

  // ---- writing -------------------------------------------------------------------------------

  async #locked<T>(body: (lock: HeldLock) => Promise<T>): Promise<T> {
    const lock = await this.settings.locker(this.files, this.settings.timing);
    try {
      await removeStaleTemps(this.settings.fs, this.files.dir, this.files.base);
      return await body(lock);
    } finally {
      await lock.release();
    }
  }

  async #save(lock: HeldLock, doc: StoreDocument, options: { backup: boolean; owner: FileOwner | undefined; previous?: { doc: StoreDocument; bytes: Buffer } }): Promise<Buffer> {
    const bytes = serializeDocument(doc);
    assertWithinLimit(this.files.store, bytes, this.settings.maxBytes, doc, options.previous?.doc);
    await lock.assertHeld();
    const fingerprint = await replaceFile(this.settings.fs, this.files.store, this.files.dir, this.files.base, bytes, {
      ...(options.backup ? { backupPath: this.files.backup, ...(options.previous ? { previousBytes: options.previous.bytes } : {}) } : {}),
      owner: options.owner,
    });
    this.known = { fingerprint, bytes, doc };
    this.#bad = undefined;
    return bytes;
  }

  #auditAccess(owner: FileOwner | undefined): AuditAccess {
    return { fs: this.settings.fs, files: this.files, owners: this.owners, newOwner: owner };
  }

  /**
   * Under the lock, before anything else is saved: writes the line of the document's last change
   * if the log lacks it (the process that saved it crashed, or its append failed). A log that
   * cannot be written stops the save, so no change is ever left without its line.
   */
  async #rollForward(doc: StoreDocument, owner: FileOwner | undefined): Promise<void> {
    const last = lastChangeOf(doc);
    if (!last || last.id === this.#audited) return;
    await rollForwardAudit(this.#auditAccess(owner), last);
    this.#audited = last.id;
  }

  /**
   * The save and its audit line, committed together: the log is opened first (a log that cannot
   * be opened stops the save: nothing is written), the document carries the line as
   * `lastChange`, and the line is appended after the rename. If that append fails, the change is
   * saved and the next session writes the line from the document (#rollForward).
   */
  async #saveAudited(
    lock: HeldLock,
    doc: StoreDocument,
    entry: AuditEntry,
    options: { backup: boolean; owner: FileOwner | undefined; previous?: { doc: StoreDocument; bytes: Buffer } },
  ): Promise<StoreError | undefined> {
    const access = this.#auditAccess(options.owner);
    const log = await openAuditLog(access);
    try {
      await this.#save(lock, doc, options);
    } catch (error) {
      await closeQuietly(this.settings.fs, log.handle);
      throw error;
    }
    try {
      await writeAuditLine(access, log, entry);
      this.#audited = entry.id;
      return undefined;
    } catch (error) {
      if (error instanceof StoreError) return error;
      throw error;
    }
  }

  /**
   * At open, for a session that may write: if the document's last change has no line in the log,
   * write it now (under the lock), so that even a session that changes nothing repairs the log.
   */
  async settleAudit(): Promise<void> {
    const doc = this.known?.doc;
    const last = doc ? lastChangeOf(doc) : undefined;
    if (!last || last.id === this.#audited) return;
    if (await auditHasEntry(this.#auditAccess(undefined), last.id)) {
      this.#audited = last.id;
      return;
    }
    await this.enqueue(() =>
      this.#locked(async () => {
        const { snapshot, doc: fresh } = await this.#readLocked();
        await this.#rollForward(fresh, ownerOf(snapshot));
      }),
    );
  }

  /** Creates a missing store with an empty document (under the lock, in case another session does too). */
  async create(actor: AuditActor, now: Date): Promise<InitialState> {
    await ensureDirectory(this.settings.fs, this.files.dir);
    return this.enqueue(() =>
      this.#locked(async (lock) => {
        const existing = await this.readInitial();
        if (existing !== 'missing') return existing;
        const empty = emptyDocument();
        const entry = auditEntry({ action: 'store.create', entity: { type: 'store' } }, null, empty.revision, actor, now);
        const doc = validateDocument({ ...empty, updatedAt: now.toISOString(), updatedBy: actorLabel(actor), lastChange: entry }, this.files.store, 'save');
        const auditError = await this.#saveAudited(lock, doc, entry, { backup: false, owner: undefined });
        if (auditError) throw auditError;
        return this.readInitial();
      }),
    );
  }

  /** A version-1 store opened read-only: migrated in memory with a throwaway key; nothing is written. */
  migrateInMemory(raw: Record<string, unknown>, now: Date): StoreDocument {
    this.keyring.useEphemeralKey();
    const migrated = migrateToCurrent(structuredClone(raw), 1, { now, seal: (plaintext, ref) => this.keyring.seal(plaintext, ref, undefined) });
    return validateDocument(migrated, this.files.store, 'read');
  }

  /**
   * Migrates a version-1 store as one locked operation: seal the passwords (creating the key),
   * keep the original as `<store>.v1.bak` with its passwords sealed too, write the migrated file,
   * and record it in the audit log.
   */
  migrate(actor: AuditActor, now: Date): Promise<StoreDocument> {
    return this.enqueue(() =>
      this.#locked(async (lock) => {
        const state = await this.readInitial();
        if (state === 'missing') throw new StoreError('unreadable', `${showPath(this.files.store)} was removed while it was being opened`, this.files.store);
        if (state.parsed.version === CURRENT_SCHEMA_VERSION) return state.parsed.doc; // another session migrated it
        const raw = state.parsed.raw;
        await this.keyring.preparePending();
        const seal: EditTools['seal'] = (plaintext, ref) => this.keyring.seal(plaintext, ref, undefined);
        const v1Backup = Buffer.from(sealedV1Backup(raw, seal), 'utf8');
        const migrated = migrateToCurrent(raw, 1, { now, seal });
        migrated.revision = 1;
        migrated.updatedAt = now.toISOString();
        migrated.updatedBy = actorLabel(actor);
        const owner = ownerOf(state.snapshot);
        if (this.keyring.pendingUsed) migrated.encryption = await this.keyring.persistPending(owner);
        const connections = Array.isArray(migrated.connections) ? (migrated.connections as Array<{ location?: unknown; credential?: { kind?: unknown } }>) : [];
        const count = (value: unknown): number => (Array.isArray(value) ? value.length : 0);
        const details = {
          from: 1,
          to: CURRENT_SCHEMA_VERSION,
          connections: connections.length,
          obsolete: connections.filter((c) => c.location === 'online' && c.credential?.kind === 'basic').length,
          jobs: count(migrated.jobs),
          alerts: count(migrated.alerts),
          legacyAlerts: count(migrated.legacyAlerts),
          mutedCategories: count((migrated.notifications as { muted?: unknown } | undefined)?.muted),
        };
        const entry = auditEntry({ action: 'store.migrate', entity: { type: 'store' }, details }, null, 1, actor, now);
        migrated.lastChange = entry;
        const doc = validateDocument(migrated, this.files.store, 'read');
        await replaceFile(this.settings.fs, this.files.v1Backup, this.files.dir, this.files.base, v1Backup, { owner });
        const auditError = await this.#saveAudited(lock, doc, entry, { backup: false, owner });
        this.keyring.commitPending();
        if (auditError) throw auditError;
        return doc;
      }),
    );
  }

  /**
   * One save: lock, re-read and validate, check the revision, apply the edit to a private copy,
   * validate the result with the domain schema, write it durably, append the audit line.
   * Call it inside enqueue(), so the caller can take the result over before anything else runs.
   */
  commit<T>(edit: Edit<T>, options: CommitOptions): Promise<CommitOutcome<T>> {
    return this.#locked(async (lock) => {
        const { snapshot, doc: base } = await this.#readLocked();
        await this.#rollForward(base, ownerOf(snapshot));
        if (options.expectRevision !== undefined && base.revision !== options.expectRevision) {
          throw new StoreError('conflict', conflictMessage(this.files.store, base, options.expectRevision), this.files.store);
        }
        const record = encryptionOf(base);
        if (record) await this.keyring.load(record);
        else await this.keyring.preparePending();
        const { draft, settle } = lazyDraft(base);
        const tools: EditTools = { now: options.now, seal: (plaintext, ref) => this.keyring.seal(plaintext, ref, record) };
        let outcome: ReturnType<Edit<T>>;
        try {
          outcome = edit(draft, tools);
        } catch (error) {
          this.keyring.resetPendingUse();
          throw error;
        }
        if (outcome === 'unchanged') {
          this.keyring.resetPendingUse();
          return { doc: base, result: undefined, saved: false };
        }
        // lastChange is replaced below, after settle() has called it untouched: not the base's bytes.
        const untouched = new Set(settle().untouched);
        untouched.delete('lastChange');
        const target = draft as StoreDocument & { updatedBy?: string; encryption?: unknown; lastChange?: AuditEntry };
        target.revision = base.revision + 1;
        target.updatedAt = options.now.toISOString();
        target.updatedBy = actorLabel(options.actor);
        const fields = [...(outcome.change.fields ?? [])];
        const owner = ownerOf(snapshot);
        if (!record && this.keyring.pendingUsed) {
          target.encryption = await this.keyring.persistPending(owner);
          fields.push('encryption');
        }
        const entry = auditEntry({ ...outcome.change, fields }, base.revision, target.revision, options.actor, options.now);
        target.lastChange = entry;
        let next: StoreDocument;
        try {
          next = validateDocument(draft, this.files.store, 'save', untouched);
        } catch (error) {
          this.keyring.resetPendingUse();
          throw error;
        }
        const baseRecord = base as unknown as Record<string, unknown>;
        const nextRecord = next as unknown as Record<string, unknown>;
        for (const key of untouched) shareSerialization(baseRecord[key], nextRecord[key]);
        const auditError = await this.#saveAudited(lock, next, entry, { backup: true, owner, previous: { doc: base, bytes: snapshot.bytes } });
        if (!record) this.keyring.commitPending();
        return { doc: next, result: outcome.result, saved: true, ...(auditError ? { auditError } : {}) };
      });
  }
}

/** Creates the store's directory (0700) and any missing parents. */
export async function ensureDirectory(fs: FsFacade, dir: string): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      const stat = await fs.lstat(current);
      if (!stat.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') {
        throw new StoreError('write-failed', `cannot create the store in ${showPath(dir)}: ${describeIoError(error)}`, dir);
      }
      missing.unshift(current);
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const path of missing) {
    try {
      await fs.mkdir(path, 0o700);
      await fs.chmod(path, 0o700);
    } catch (error) {
      if (errorCode(error) === 'EEXIST') continue;
      throw new StoreError('write-failed', `cannot create the directory ${showPath(path)}: ${describeIoError(error)}`, path);
    }
  }
}

const adapters = new Map<string, StoreFileAdapter>();

/** Exactly one adapter per store file per process, shared by every Store opened on it. */
export function adapterFor(files: StoreFiles, settings: AdapterSettings): StoreFileAdapter {
  let adapter = adapters.get(files.store);
  if (!adapter) {
    adapter = new StoreFileAdapter(files, settings);
    adapters.set(files.store, adapter);
  }
  adapter.refs += 1;
  return adapter;
}

export function releaseAdapter(adapter: StoreFileAdapter): void {
  adapter.refs -= 1;
  if (adapter.refs <= 0 && adapters.get(adapter.files.store) === adapter) adapters.delete(adapter.files.store);
}
