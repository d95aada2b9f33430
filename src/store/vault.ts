import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SealedSecret, SecretRef } from '../domain/index.js';
import { secretRefLabel } from '../domain/index.js';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Public name of a key: the first 16 hex digits of its SHA-256 (lets a store say which key it needs). */
export function keyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Binds a ciphertext to its record and field, so it cannot be moved elsewhere in the file. */
export function secretAad(ref: SecretRef): string {
  return `backup-panel|${secretRefLabel(ref)}`;
}

export interface GcmBox {
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

/** Authentication failed: wrong key, wrong associated data, or altered bytes. */
export class AuthenticationFailed extends Error {
  override readonly name = 'AuthenticationFailed';
}

export function gcmEncrypt(key: Uint8Array, plaintext: Uint8Array, aad: string): GcmBox {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

export function gcmDecrypt(key: Uint8Array, box: GcmBox, aad: string): Buffer {
  const iv = Buffer.from(box.iv, 'base64');
  const tag = Buffer.from(box.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new AuthenticationFailed('malformed sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(box.ct, 'base64')), decipher.final()]);
  } catch {
    throw new AuthenticationFailed('unable to authenticate');
  }
}

/** One data key; seals and opens secrets. The key is a private field, so inspecting a Vault never prints it. */
export class Vault {
  readonly #key: Buffer;
  readonly kid: string;

  constructor(key: Uint8Array) {
    if (key.length !== KEY_BYTES) throw new Error(`a data key has ${KEY_BYTES} bytes`);
    this.#key = Buffer.from(key);
    this.kid = keyId(this.#key);
  }

  static generate(): Vault {
    return new Vault(randomBytes(KEY_BYTES));
  }

  seal(plaintext: string, aad: string): SealedSecret {
    return { $enc: 'v1', kid: this.kid, ...gcmEncrypt(this.#key, Buffer.from(plaintext, 'utf8'), aad) };
  }

  /** Throws AuthenticationFailed when the value was not sealed with this key for this place. */
  open(sealed: SealedSecret, aad: string): string {
    return gcmDecrypt(this.#key, sealed, aad).toString('utf8');
  }

  /** The raw key, for writing the key file or wrapping it; nothing else should ask. */
  exportKey(): Buffer {
    return Buffer.from(this.#key);
  }
}
