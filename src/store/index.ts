export type {
  AuditActor,
  AuditChange,
  Edit,
  EditTools,
  OpenStoreOptions,
  Store,
  StoreChange,
  StoreErrorCode,
  UpdateOptions,
} from './api.js';
export { StoreError } from './api.js';
export { currentActor, actorLabel } from './actor.js';
export { defaultStorePath, storeFiles } from './paths.js';
export type { StoreFiles } from './paths.js';
export type { AuditEntry } from './audit-log.js';
export type { AuditRecord, AuditUnreadable } from './audit-read.js';
export { isUnreadable } from './audit-read.js';
export { openStore } from './store.js';
export type { StoreTuning } from './store.js';
export type { FsFacade, SyncTarget } from './fs-facade.js';
export { nodeFs } from './fs-facade.js';
export type { Locker } from './lock.js';
