import { isAbsolute, resolve } from 'node:path';
import type { Storage as StorageRecord, StoreDocument } from '../domain/index.js';
import type { Secret } from '../domain/index.js';
import { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, displayText, jobsOnStorage, storageNameProblem, storageSecretRef, storagesOf } from '../domain/index.js';
import type { BrowseListing, CheckReport, PruneReport, Storage, StorageStats } from '../repository/api.js';
import { StorageError } from '../repository/api.js';

export type { BrowseEntry, BrowseListing, CheckReport } from '../repository/api.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { newStorageId } from './ids.js';

/** Storages (contracts §8.1): create, list, browse, check, attach, prune; the data lives in the folder. */

async function repository() {
  return import('../repository/index.js');
}

/** A storage by id or name. */
export function findStorage(doc: Pick<StoreDocument, 'storages'>, ref: string): StorageRecord {
  const all = storagesOf(doc);
  const byId = all.find((s) => s.id === ref);
  if (byId) return byId;
  const byName = all.filter((s) => s.name === ref);
  if (byName.length === 1) return byName[0] as StorageRecord;
  throw new ServiceError('bad-input', `No storage '${displayText(ref, { maxLength: 80 })}'. See 'backup-panel storages list' for ids and names.`);
}

/** Storage failures in the service's words (one line each; kinds for the exit codes). */
export function storageFailure(error: unknown): never {
  if (error instanceof StorageError) {
    const kind = error.code === 'bad-input' || error.code === 'not-empty' || error.code === 'not-found' || error.code === 'not-a-storage' || error.code === 'unsafe' ? 'bad-input' : 'refused';
    throw new ServiceError(kind, error.message);
  }
  throw error;
}

/** Opens a storage with the master key the store keeps sealed. */
export async function openStorageRecord(ctx: Pick<ServiceContext, 'store'>, record: StorageRecord): Promise<Storage> {
  const masterKey = ctx.store.reveal(record.masterKey, storageSecretRef(record.id));
  const { openStorage } = await repository();
  try {
    return await openStorage(record.path, masterKey);
  } catch (error) {
    storageFailure(error);
  }
}

export async function withStorage<T>(ctx: Pick<ServiceContext, 'store'>, ref: string, body: (storage: Storage, record: StorageRecord) => Promise<T>): Promise<T> {
  const record = findStorage(ctx.store.current(), ref);
  const storage = await openStorageRecord(ctx, record);
  try {
    return await body(storage, record);
  } catch (error) {
    storageFailure(error);
  } finally {
    await storage.close().catch(() => undefined);
  }
}

function checkName(doc: StoreDocument, name: string): string {
  const problem = storageNameProblem(storagesOf(doc), name);
  if (problem) throw new ServiceError('bad-input', problem);
  return name.trim();
}

function checkRetention(days: number | undefined): number {
  const value = days ?? DEFAULT_RETENTION_DAYS;
  if (!Number.isInteger(value) || value < 0 || value > MAX_RETENTION_DAYS) throw new ServiceError('bad-input', `--retention-days must be a whole number of days from 0 to ${MAX_RETENTION_DAYS}.`);
  return value;
}

function readOnlyRefusal(ctx: Pick<ServiceContext, 'store'>, what: string): void {
  if (ctx.store.readOnly) throw new ServiceError('refused', `The store is open read-only (${ctx.store.readOnlyReason ?? 'by request'}); ${what}.`);
}

export interface CreatedStorageResult {
  readonly storage: StorageRecord;
  /** Show once; never stored in the clear. */
  readonly recoveryKey: Secret;
}

export async function createStorage(ctx: ServiceContext, input: { name: string; path: string; retentionDays?: number }): Promise<CreatedStorageResult> {
  readOnlyRefusal(ctx, 'no storage was created');
  const name = checkName(ctx.store.current(), input.name);
  const retentionDays = checkRetention(input.retentionDays);
  if (!input.path.trim()) throw new ServiceError('bad-input', 'A storage needs a folder: --path DIR.');
  const path = isAbsolute(input.path) ? input.path : resolve(input.path);
  if (storagesOf(ctx.store.current()).some((s) => s.path === path)) throw new ServiceError('bad-input', `${path} is a storage already.`);
  const { createStorage: create } = await repository();
  let created;
  try {
    created = await create(path, { name, retentionDays });
  } catch (error) {
    storageFailure(error);
  }
  await created.storage.close();
  const id = newStorageId();
  const record = await ctx.store.update((draft, tools) => {
    checkName(draft, name);
    const storage: StorageRecord = { id, name, path, retentionDays, created: tools.now.toISOString(), masterKey: tools.seal(created.masterKey.reveal(), storageSecretRef(id)) };
    draft.storages = [...(draft.storages ?? []), storage];
    return { change: { action: 'storage.create', fields: ['storages'], details: { storageId: id } }, result: storage };
  });
  return { storage: record, recoveryKey: created.recoveryKey };
}

/** Opens a storage made elsewhere with its recovery key and keeps it in this store. */
export async function attachStorage(ctx: ServiceContext, input: { name: string; path: string; recoveryKey: Secret }): Promise<StorageRecord> {
  readOnlyRefusal(ctx, 'the storage was not attached');
  const name = checkName(ctx.store.current(), input.name);
  const path = isAbsolute(input.path) ? input.path : resolve(input.path);
  const { attachStorage: attach } = await repository();
  let attached;
  try {
    attached = await attach(path, input.recoveryKey);
  } catch (error) {
    if (error instanceof StorageError && error.code === 'wrong-key') throw new ServiceError('refused', error.message);
    storageFailure(error);
  }
  const retentionDays = attached.storage.info.retentionDays;
  await attached.storage.close();
  const id = newStorageId();
  return ctx.store.update((draft, tools) => {
    checkName(draft, name);
    const storage: StorageRecord = { id, name, path, retentionDays, created: tools.now.toISOString(), masterKey: tools.seal(attached.masterKey.reveal(), storageSecretRef(id)) };
    draft.storages = [...(draft.storages ?? []), storage];
    return { change: { action: 'storage.attach', fields: ['storages'], details: { storageId: id } }, result: storage };
  });
}

export interface StorageRow {
  readonly id: string;
  readonly name: string;
  readonly path: string;
  readonly retentionDays: number;
  readonly items: number | null;
  readonly bytesStored: number | null;
  readonly bytesOriginal: number | null;
  /** Why the figures are missing (folder gone, key refused…). */
  readonly problem?: string;
}

export async function storageRows(ctx: Pick<ServiceContext, 'store'>): Promise<StorageRow[]> {
  const rows: StorageRow[] = [];
  for (const record of storagesOf(ctx.store.current())) {
    let stats: StorageStats | undefined;
    let problem: string | undefined;
    try {
      stats = await withStorage(ctx, record.id, (storage) => storage.stats());
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    rows.push({
      id: record.id,
      name: record.name,
      path: record.path,
      retentionDays: record.retentionDays,
      items: stats?.items ?? null,
      bytesStored: stats?.bytesStored ?? null,
      bytesOriginal: stats?.bytesOriginal ?? null,
      ...(problem ? { problem } : {}),
    });
  }
  return rows;
}

export async function browseStorage(ctx: Pick<ServiceContext, 'store'>, ref: string, path: string | undefined): Promise<BrowseListing> {
  return withStorage(ctx, ref, (storage) => storage.browse(path ?? ''));
}

export async function checkStorage(ctx: Pick<ServiceContext, 'store'>, ref: string, onProgress?: (done: number, total: number) => void): Promise<CheckReport> {
  return withStorage(ctx, ref, (storage) => storage.check(onProgress ? { onProgress } : {}));
}

/** Frees what the retention period no longer keeps (items deleted at the source before now − retention). */
export async function pruneStorage(ctx: Pick<ServiceContext, 'store' | 'now'>, ref: string): Promise<PruneReport> {
  return withStorage(ctx, ref, (storage) => storage.prune(ctx.now()));
}

/** Jobs using a storage, for a refusal to delete or for `storages list`. */
export function storageUsers(doc: StoreDocument, storageId: string): string[] {
  return jobsOnStorage(doc.jobs, storageId).map((j) => j.name);
}
