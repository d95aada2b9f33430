import { randomBytes, scrypt } from 'node:crypto';
import { StoreError } from './api.js';
import type { PassphraseEncryption } from './encryption-record.js';
import type { FsFacade } from './fs-facade.js';
import { describeIoError, showPath } from '../fs/io-errors.js';
import { readSmallFile } from './key-file.js';
import { gcmDecrypt, gcmEncrypt, Vault } from './vault.js';

export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** ≈128 MiB and ≈0.4 s per derivation on the target machine (restic-like). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

const WRAP_AAD = 'backup-panel|data-key';

/** The passphrase in the file, without its trailing newline. */
export async function readPassphrase(fs: FsFacade, path: string, owners: readonly number[]): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readSmallFile(fs, path, owners);
  } catch (error) {
    if (error instanceof StoreError) throw new StoreError('key', error.message, path);
    throw new StoreError('key', `cannot read the passphrase file ${showPath(path)}: ${describeIoError(error)}; check BACKUP_PANEL_PASSPHRASE_FILE.`, path);
  }
  const passphrase = bytes.toString('utf8').replace(/\r?\n$/, '');
  if (passphrase.length === 0) throw new StoreError('key', `the passphrase file ${showPath(path)} is empty; put the store's passphrase in it.`, path);
  return passphrase.normalize('NFC');
}

function deriveKek(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // Node's default maxmem (32 MiB) rejects N=2^17, r=8; allow what the parameters need plus headroom.
  const maxmem = Math.max(256 * 1024 * 1024, 2 * 128 * cost.N * cost.r);
  return new Promise((resolvePromise, reject) => {
    scrypt(passphrase, salt, 32, { N: cost.N, r: cost.r, p: cost.p, maxmem }, (error, key) => (error ? reject(error) : resolvePromise(key)));
  });
}

/** Wraps a new data key with a key derived from the passphrase; the result goes into the document. */
export async function wrapDataKey(passphrase: string, dataKey: Vault, cost: ScryptCost): Promise<PassphraseEncryption> {
  const salt = randomBytes(16);
  const kek = await deriveKek(passphrase, salt, cost);
  return {
    mode: 'passphrase',
    kid: dataKey.kid,
    kdf: { name: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: salt.toString('base64') },
    wrappedKey: gcmEncrypt(kek, dataKey.exportKey(), WRAP_AAD),
  };
}

export async function unwrapDataKey(passphrase: string, record: PassphraseEncryption, passphraseFile: string): Promise<Vault> {
  const kek = await deriveKek(passphrase, Buffer.from(record.kdf.salt, 'base64'), record.kdf);
  let vault: Vault;
  try {
    vault = new Vault(gcmDecrypt(kek, record.wrappedKey, WRAP_AAD));
  } catch {
    // Wrong passphrase (the GCM tag does not verify) or a damaged record.
    throw new StoreError('key', `the passphrase in ${showPath(passphraseFile)} does not unlock this store; check the passphrase file.`, passphraseFile);
  }
  if (vault.kid !== record.kid) {
    throw new StoreError('key', `the passphrase in ${showPath(passphraseFile)} unlocks key ${vault.kid}, but the store needs key ${record.kid}; check the passphrase file.`, passphraseFile);
  }
  return vault;
}
