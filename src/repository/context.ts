/** What the parts of an open storage share. */
import type { BlobIndex } from './blob-index.js';
import type { StorageFs } from './files.js';
import type { StorageKeys } from './keys.js';
import type { Layout } from './layout.js';

export interface StorageContext {
  readonly fs: StorageFs;
  readonly layout: Layout;
  readonly keys: StorageKeys;
  readonly storageId: string;
  readonly name: string;
  readonly retentionDays: number;
  readonly index: BlobIndex;
  /** Index files already loaded into `index`. */
  readonly indexFiles: Set<string>;
}
