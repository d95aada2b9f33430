import * as z from 'zod';

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');

/**
 * A secret as it rests in the store: AES-256-GCM ciphertext whose associated data names the
 * record and field it belongs to, so it cannot be moved to another place in the file.
 */
export const SealedSecret = z.strictObject({
  $enc: z.literal('v1'),
  kid: z.string().regex(/^[0-9a-f]{16}$/, 'expected a 16-hex-digit key id'),
  iv: Base64,
  ct: Base64,
  tag: Base64,
});
export type SealedSecret = z.infer<typeof SealedSecret>;

/** Where a sealed secret lives; bound into the ciphertext as associated data. */
export interface SecretRef {
  readonly record: 'connection' | 'storage';
  readonly id: string;
  readonly field: string;
}

export function secretRefLabel(ref: SecretRef): string {
  return `${ref.record}:${ref.id}|${ref.field}`;
}

/** The places where a connection keeps secrets; the field names are part of each ciphertext's associated data. */
export const CONNECTION_SECRET_FIELDS = {
  password: 'credential.password',
  privateKey: 'credential.privateKey',
  clientSecret: 'credential.clientSecret',
  legacyPassword: 'legacyAccount.password',
} as const;
export type ConnectionSecretField = (typeof CONNECTION_SECRET_FIELDS)[keyof typeof CONNECTION_SECRET_FIELDS];

export function connectionSecretRef(connectionId: string, field: ConnectionSecretField): SecretRef {
  return { record: 'connection', id: connectionId, field };
}

/** A storage keeps its repository master key sealed under this field. */
export const STORAGE_SECRET_FIELDS = { masterKey: 'masterKey' } as const;

export function storageSecretRef(storageId: string): SecretRef {
  return { record: 'storage', id: storageId, field: STORAGE_SECRET_FIELDS.masterKey };
}
