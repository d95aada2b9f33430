/**
 * Opaque state tokens ($skiptoken, $deltatoken, drive delta tokens, EWS SyncState, tempauth): a JSON
 * state sealed with the sandbox's key, so clients cannot read or forge them and a changed byte is an
 * invalid token, as with Microsoft's.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export class TokenSealer {
  private readonly key = randomBytes(32);

  seal(purpose: string, state: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(JSON.stringify(state), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The state, or undefined when the token is not one of ours for this purpose. */
  open<T>(purpose: string, token: string): T | undefined {
    try {
      const raw = Buffer.from(token, 'base64url');
      if (raw.length < 29) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  /** A short stable id-like string for values that must look opaque but stay the same (ETags, change keys). */
  tag(...parts: ReadonlyArray<string | number>): string {
    return createHash('sha256').update(this.key).update(parts.join('\0')).digest('base64').slice(0, 16);
  }
}
