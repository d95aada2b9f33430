import * as z from 'zod';
import { IsoInstant, NonEmpty } from './primitives.js';
import { SealedSecret } from './sealed.js';

/** Days an item deleted at the source stays restorable unless the storage says otherwise. */
export const DEFAULT_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 36_500;

/**
 * A storage (contracts §8.1): a folder on this server holding backed-up data. The store keeps only
 * where it is and its master key, sealed; what it holds is read from the folder itself.
 */
export const Storage = z.looseObject({
  id: NonEmpty,
  name: NonEmpty,
  /** Absolute path of the storage folder. */
  path: NonEmpty,
  retentionDays: z.number().int().min(0).max(MAX_RETENTION_DAYS).default(DEFAULT_RETENTION_DAYS),
  created: IsoInstant,
  /** The repository's master key (base64), sealed to `storage:<id>|masterKey`. */
  masterKey: SealedSecret,
});
export type Storage = z.infer<typeof Storage>;

/** Storages are named uniquely, as jobs are; the rule lives here once. */
export function storageNameTaken(storages: readonly Storage[], name: string, exceptId?: string): boolean {
  const wanted = name.trim().toLowerCase();
  return storages.some((s) => s.id !== exceptId && s.name.trim().toLowerCase() === wanted);
}
