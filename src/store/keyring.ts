import type { SealedSecret, SecretRef } from '../domain/index.js';
import { displayText, secretRefLabel } from '../domain/index.js';
import { StoreError } from './api.js';
import type { EncryptionRecord } from './encryption-record.js';
import type { FsFacade } from './fs-facade.js';
import { errorCode } from '../fs/io-errors.js';
import type { FileOwner } from './key-file.js';
import { createKeyFile, readKeyFile } from './key-file.js';
import type { ScryptCost } from './passphrase.js';
import { readPassphrase, unwrapDataKey, wrapDataKey } from './passphrase.js';
import type { StoreFiles } from './paths.js';
import { AuthenticationFailed, secretAad, Vault } from './vault.js';

export interface KeySource {
  readonly fs: FsFacade;
  readonly files: StoreFiles;
  /** When set, new stores use a passphrase-wrapped key instead of a key file. */
  readonly passphraseFile: string | undefined;
  readonly scryptCost: ScryptCost;
  /** Who may own the key file and the passphrase file (us, root, the store's owner). */
  readonly owners: () => readonly number[];
}

interface PendingKey {
  readonly vault: Vault;
  /** The key already sits in `<store>.key` (left by an earlier attempt, or just written). */
  inKeyFile: boolean;
  record?: EncryptionRecord;
  used: boolean;
  readonly ephemeral: boolean;
}

/** String.prototype.isWellFormed (Node 20) is newer than this project's TypeScript lib (ES2023). */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

function describeRef(ref: SecretRef): string {
  return displayText(secretRefLabel(ref), { maxLength: 120 });
}

/**
 * The data keys of one store. A document names its key in `encryption`; the key comes from the
 * key file or the passphrase. Keys load ahead of use (async), so seal and reveal stay synchronous;
 * a key that could not be loaded is remembered and its error reported when a secret is touched,
 * so a store whose key is missing can still be listed.
 */
export class Keyring {
  readonly #source: KeySource;
  readonly #vaults = new Map<string, Vault>();
  readonly #failures = new Map<string, StoreError>();
  #pending: PendingKey | undefined;
  #pendingFailure: StoreError | undefined;

  constructor(source: KeySource) {
    this.#source = source;
  }

  async load(record: EncryptionRecord | undefined): Promise<void> {
    if (!record || this.#vaults.has(record.kid)) return;
    try {
      this.#vaults.set(record.kid, await this.#open(record));
      this.#failures.delete(record.kid);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      this.#failures.set(record.kid, error);
    }
  }

  async #open(record: EncryptionRecord): Promise<Vault> {
    const { fs, files, passphraseFile } = this.#source;
    if (record.mode === 'key-file') return readKeyFile(fs, files, this.#source.owners(), record.kid);
    if (!passphraseFile) {
      throw new StoreError(
        'key',
        `${displayText(files.store, { maxLength: 300 })} is protected by a passphrase: set BACKUP_PANEL_PASSPHRASE_FILE to a file that holds it.`,
        files.store,
      );
    }
    return unwrapDataKey(await readPassphrase(fs, passphraseFile, this.#source.owners()), record, passphraseFile);
  }

  #vaultForRecord(record: EncryptionRecord): Vault {
    const vault = this.#vaults.get(record.kid);
    if (vault) return vault;
    throw this.#failures.get(record.kid) ?? new StoreError('key', `the key ${record.kid} of ${displayText(this.#source.files.store, { maxLength: 300 })} is not loaded.`);
  }

  /**
   * Before an edit of a document that has no key yet: pick the key it will get if the edit seals
   * a secret. An existing key file is reused (left by an interrupted first save), else a new key.
   */
  async preparePending(): Promise<void> {
    const { fs, files, passphraseFile } = this.#source;
    // A pending key already in the key file (or a passphrase store's) is settled; a random one is
    // not: another session may have created the key file since, and then that file wins.
    if (this.#pending?.ephemeral) this.#pending = undefined;
    if (this.#pending && (this.#pending.inKeyFile || passphraseFile)) return;
    this.#pendingFailure = undefined;
    if (!passphraseFile) {
      const exists = await fs.lstat(files.key).then(
        () => true,
        (error: unknown) => errorCode(error) !== 'ENOENT',
      );
      if (exists) {
        this.#pending = undefined;
        try {
          this.#pending = { vault: await readKeyFile(fs, files, this.#source.owners()), inKeyFile: true, used: false, ephemeral: false };
        } catch (error) {
          if (!(error instanceof StoreError)) throw error;
          // Reported only if the edit actually seals something.
          this.#pendingFailure = error;
        }
        return;
      }
    }
    this.#pending ??= { vault: Vault.generate(), inKeyFile: false, used: false, ephemeral: false };
  }

  /** A read-only store migrated in memory seals with a key that is never written anywhere. */
  useEphemeralKey(): void {
    const vault = Vault.generate();
    // Registered like a loaded key, so that the in-memory document's secrets can be revealed.
    this.#vaults.set(vault.kid, vault);
    this.#pending = { vault, inKeyFile: false, used: false, ephemeral: true };
  }

  /** Seals for a document with `record` (or, without one, with the pending key). */
  seal(plaintext: string, ref: SecretRef, record: EncryptionRecord | undefined): SealedSecret {
    if (!isWellFormed(plaintext)) {
      throw new StoreError('invalid', `the secret for ${describeRef(ref)} is not well-formed text (it contains a lone surrogate); nothing was saved`);
    }
    let vault: Vault;
    if (record) {
      vault = this.#vaultForRecord(record);
    } else {
      if (this.#pendingFailure) throw this.#pendingFailure;
      if (!this.#pending) throw new Error('Keyring.preparePending() must run before an edit that seals');
      this.#pending.used = true;
      vault = this.#pending.vault;
    }
    return vault.seal(plaintext, secretAad(ref));
  }

  /** Whether the last edit sealed with the pending key, so the key must be saved with the document. */
  get pendingUsed(): boolean {
    return this.#pending?.used === true;
  }

  /**
   * Makes the pending key durable (key file, or passphrase wrap) and returns the record to store
   * in the document. Runs inside the lock, before the document that needs it is written.
   */
  async persistPending(owner: FileOwner | undefined): Promise<EncryptionRecord> {
    const pending = this.#pending;
    if (!pending || pending.ephemeral) throw new Error('no pending key to persist');
    if (!pending.record) {
      const { fs, files, passphraseFile, scryptCost } = this.#source;
      if (passphraseFile) {
        pending.record = await wrapDataKey(await readPassphrase(fs, passphraseFile, this.#source.owners()), pending.vault, scryptCost);
      } else {
        if (!pending.inKeyFile) await createKeyFile(fs, files, pending.vault, owner);
        pending.inKeyFile = true;
        pending.record = { mode: 'key-file', kid: pending.vault.kid };
      }
    }
    this.#vaults.set(pending.vault.kid, pending.vault);
    return pending.record;
  }

  /** After the document naming the pending key was saved: it is an ordinary key now. */
  commitPending(): void {
    if (this.#pending && !this.#pending.ephemeral) this.#pending = undefined;
    this.#pendingFailure = undefined;
  }

  /** Drops the "used" mark after a failed edit, keeping the key itself for the next attempt. */
  resetPendingUse(): void {
    if (this.#pending) this.#pending.used = false;
  }

  /** The pending vault, for sealing the version-1 backup during the migration. */
  pendingVault(): Vault {
    if (this.#pendingFailure) throw this.#pendingFailure;
    if (!this.#pending) throw new Error('no pending key');
    this.#pending.used = true;
    return this.#pending.vault;
  }

  reveal(sealed: SealedSecret, ref: SecretRef, record: EncryptionRecord | undefined): string {
    let vault = this.#vaults.get(sealed.kid);
    if (!vault && this.#pending?.vault.kid === sealed.kid) vault = this.#pending.vault;
    if (!vault && record) {
      if (record.kid !== sealed.kid) {
        throw new StoreError('key', `the secret for ${describeRef(ref)} was sealed with key ${sealed.kid}, but this store uses key ${record.kid}; restore the matching store and key from your backup.`);
      }
      vault = this.#vaultForRecord(record);
    }
    if (!vault) {
      throw new StoreError('key', `the secret for ${describeRef(ref)} was sealed with key ${sealed.kid}, which this store does not name; restore the store from your backup.`);
    }
    try {
      return vault.open(sealed, secretAad(ref));
    } catch (error) {
      if (!(error instanceof AuthenticationFailed)) throw error;
      throw new StoreError('invalid', `the sealed secret for ${describeRef(ref)} does not belong there (it was moved or altered), so it cannot be decrypted.`);
    }
  }
}
