import * as z from 'zod';

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
const KeyId = z.string().regex(/^[0-9a-f]{16}$/, 'expected a 16-hex-digit key id');

/** The data key is in the key file beside the store (`<store>.key`). */
export const KeyFileEncryption = z.strictObject({
  mode: z.literal('key-file'),
  kid: KeyId,
});

/** scrypt cost parameters; bounded so that a hand-edited file cannot ask for gigabytes of memory. */
export const ScryptParams = z
  .strictObject({
    name: z.literal('scrypt'),
    N: z
      .number()
      .int()
      .min(2 ** 10)
      .max(2 ** 20)
      .refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: Base64,
  })
  .refine((k) => k.N * k.r <= 2 ** 21, 'N × r is too large (over 256 MiB of memory)');
export type ScryptParams = z.infer<typeof ScryptParams>;

/** The data key is wrapped (AES-256-GCM) by a key derived from a passphrase with scrypt. */
export const PassphraseEncryption = z.strictObject({
  mode: z.literal('passphrase'),
  kid: KeyId,
  kdf: ScryptParams,
  wrappedKey: z.strictObject({ iv: Base64, ct: Base64, tag: Base64 }),
});

export const EncryptionRecord = z.discriminatedUnion('mode', [KeyFileEncryption, PassphraseEncryption]);
export type EncryptionRecord = z.infer<typeof EncryptionRecord>;
export type KeyFileEncryption = z.infer<typeof KeyFileEncryption>;
export type PassphraseEncryption = z.infer<typeof PassphraseEncryption>;

/**
 * The audit line of the change that made this revision, kept in the document so that a line the
 * log missed (a crash or a failed append after the rename) is written by the next session: the
 * change and its line are committed together (see audit-log.ts for the fields).
 */
export const LastChange = z.looseObject({
  id: z.string().regex(/^[0-9a-f]{16}$/),
  ts: z.string(),
  action: z.string(),
  revisionAfter: z.number().int(),
  actor: z.looseObject({}),
});

/**
 * Root fields only the store writes (the domain schema passes them through as unknown fields):
 * who saved last, how the secrets are encrypted, and the audit line of the last change.
 */
export const StoreExtras = z.looseObject({
  updatedBy: z.string().optional(),
  encryption: EncryptionRecord.optional(),
  lastChange: LastChange.optional(),
});

export function encryptionOf(doc: object): EncryptionRecord | undefined {
  return (doc as { encryption?: EncryptionRecord }).encryption;
}
