/**
 * The master key, the sub-keys derived from it, and the recovery key that wraps it (DESIGN.md,
 * "Keys"). No function here puts a key into an error message.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Secret } from '../domain/index.js';
import { StorageError } from './api.js';

export const MASTER_KEY_BYTES = 32;
const RECOVERY_KEY_BYTES = 20;
/** Crockford's base32: no I, L, O, U, so a key read aloud or retyped is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The keys a storage works with, all derived from its master key and bound to its id. */
export interface StorageKeys {
  /** HMAC key of object ids. */
  readonly id: Buffer;
  /** AES-256-GCM key of objects, index files and snapshots. */
  readonly seal: Buffer;
  /** Seed of the chunker's gear table. */
  readonly chunker: Buffer;
  /** HMAC key of snapshot folder names. */
  readonly names: Buffer;
  readonly check: Buffer;
}

function derive(master: Buffer, storageId: string, purpose: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.from(storageId, 'hex'), `backup-panel storage v1 ${purpose}`, length));
}

export function deriveKeys(master: Buffer, storageId: string): StorageKeys {
  return {
    id: derive(master, storageId, 'object id'),
    seal: derive(master, storageId, 'seal'),
    chunker: derive(master, storageId, 'chunker gear', 1024),
    names: derive(master, storageId, 'names'),
    check: derive(master, storageId, 'key check'),
  };
}

/** Stored in `config`: lets `open` tell a wrong key from a damaged storage, and reveals nothing. */
export function keyCheck(keys: StorageKeys, storageId: string): string {
  return createHmac('sha256', keys.check).update(`key check ${storageId}`).digest('hex');
}

export function keyCheckMatches(keys: StorageKeys, storageId: string, stored: string): boolean {
  const expected = Buffer.from(keyCheck(keys, storageId), 'hex');
  const found = Buffer.from(stored, 'hex');
  return found.length === expected.length && timingSafeEqual(found, expected);
}

export function newMasterKey(): Buffer {
  return randomBytes(MASTER_KEY_BYTES);
}

export function masterKeySecret(master: Buffer): Secret {
  return new Secret(master.toString('base64'));
}

/** The master key from the store's text; a malformed one is simply a wrong key. */
export function masterKeyBytes(secret: Secret): Buffer {
  const text = secret.reveal();
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== MASTER_KEY_BYTES || bytes.toString('base64') !== text) {
    throw new StorageError('wrong-key', 'the storage key is malformed (it must be the one created with the storage)');
  }
  return bytes;
}

export function newRecoveryKey(): Buffer {
  return randomBytes(RECOVERY_KEY_BYTES);
}

/** 20 bytes → 32 base32 digits in groups of four: `7K2M-…`. */
export function formatRecoveryKey(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out.match(/.{1,4}/g)!.join('-');
}

/** Accepts what a person types back: any case, spaces or dashes, O for 0 and I/L for 1. */
export function parseRecoveryKey(text: string): Buffer | undefined {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (clean.length !== 32) return undefined;
  const out = Buffer.alloc(RECOVERY_KEY_BYTES);
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const ch of clean) {
    const digit = ALPHABET.indexOf(ch);
    if (digit < 0) return undefined;
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      out[at++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
      value &= (1 << bits) - 1;
    }
  }
  return out;
}

/** `keys/recovery`: the master key sealed by a key derived from the recovery key. */
export interface RecoveryFile {
  readonly version: 1;
  /** Why not scrypt: see DESIGN.md — the recovery key has 160 random bits, not a chosen password. */
  readonly kdf: 'hkdf-sha256';
  readonly salt: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

function recoveryKek(recovery: Buffer, salt: Buffer, storageId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', recovery, salt, `backup-panel storage v1 recovery ${storageId}`, 32));
}

function recoveryAad(storageId: string): Buffer {
  return Buffer.from(`bp1|recovery|${storageId}`);
}

export function wrapMasterKey(master: Buffer, recovery: Buffer, storageId: string): RecoveryFile {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', recoveryKek(recovery, salt, storageId), iv, { authTagLength: 16 });
  cipher.setAAD(recoveryAad(storageId));
  const ct = Buffer.concat([cipher.update(master), cipher.final()]);
  return { version: 1, kdf: 'hkdf-sha256', salt: salt.toString('base64'), iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** The master key, or undefined when the recovery key is not this storage's. */
export function unwrapMasterKey(file: RecoveryFile, recovery: Buffer, storageId: string): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', recoveryKek(recovery, Buffer.from(file.salt, 'base64'), storageId), Buffer.from(file.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(recoveryAad(storageId));
    decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
    const master = Buffer.concat([decipher.update(Buffer.from(file.ct, 'base64')), decipher.final()]);
    return master.length === MASTER_KEY_BYTES ? master : undefined;
  } catch {
    return undefined;
  }
}
