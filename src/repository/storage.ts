import type { Secret } from '../domain/index.js';
import type { AttachedStorage, CreatedStorage, CreateOptions, Storage, StorageInfo } from './api.js';
import { StorageError } from './api.js';

function notYet(): never {
  throw new StorageError('bad-input', 'storages are not implemented yet');
}

/** Creates a storage in `dir` (new, or empty); returns it with its master key and the recovery key to show once. */
export async function createStorage(_dir: string, _options: CreateOptions): Promise<CreatedStorage> {
  notYet();
}

/** Opens a storage with the master key the store keeps ('wrong-key' if it is not this storage's). */
export async function openStorage(_dir: string, _masterKey: Secret): Promise<Storage> {
  notYet();
}

/** Opens a storage with its recovery key (disaster recovery, `storages attach`); gives back the master key. */
export async function attachStorage(_dir: string, _recoveryKey: Secret): Promise<AttachedStorage> {
  notYet();
}

/** What the plaintext `config` says (no key needed). */
export async function readStorageInfo(_dir: string): Promise<StorageInfo> {
  notYet();
}
