/**
 * Storages: the only code that touches a storage folder. Format and crash safety: DESIGN.md;
 * the contract: api.ts.
 */
export type * from './api.js';
export { StorageError } from './api.js';
export { createStorage, openStorage, attachStorage, readStorageInfo } from './storage.js';
export type { StorageOptions } from './storage.js';
