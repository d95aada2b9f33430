/** Creating, opening and attaching storages, and the open storage itself (api.ts `Storage`). */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Secret } from '../domain/index.js';
import type { AttachedStorage, BrowseListing, CheckReport, ContentRef, CreatedStorage, CreateOptions, PruneReport, SnapshotReader, SourceSummary, Storage, StorageInfo, StorageStats, WriteOptions, WriteSession } from './api.js';
import { StorageError } from './api.js';
import { BlobIndex } from './blob-index.js';
import { browse } from './browse.js';
import { gearTable } from './chunker.js';
import { checkStorage } from './check.js';
import type { ConfigFile } from './config.js';
import { FORMAT, SKELETON, VERSION, infoOf, readConfig, readRecovery, validateCreate, writeConfig, writeRecovery } from './config.js';
import { readContentStream } from './content.js';
import type { StorageContext } from './context.js';
import type { StorageFs } from './files.js';
import { checkFolderSafe, checkParentsSafe, ensureFolder, ioError, nodeStorageFs, syncFolder } from './files.js';
import { loadNewIndexFiles } from './index-file.js';
import { errorCode, showPath } from './io-words.js';
import { deriveKeys, formatRecoveryKey, keyCheck, keyCheckMatches, masterKeyBytes, masterKeySecret, newMasterKey, newRecoveryKey, parseRecoveryKey, unwrapMasterKey, wrapMasterKey } from './keys.js';
import { acquireLock } from './lock.js';
import type { Layout } from './layout.js';
import { folders, layoutOf } from './layout.js';
import { removeDeadTemps } from './maintenance.js';
import { pruneStorage } from './prune.js';
import { Reader } from './reader.js';
import { Session } from './session.js';
import type { SnapshotDoc } from './snapshot-file.js';
import { metaOf, readSnapshot, snapshotNames, sourceTag, sourceTags } from './snapshot-file.js';

/** For tests and benchmarks: the file-system seam and the clock. */
export interface StorageOptions {
  readonly fs?: StorageFs;
  readonly now?: () => Date;
}

async function prepareFolder(fs: StorageFs, layout: Layout): Promise<void> {
  let created = true;
  await checkParentsSafe(layout.root);
  try {
    await fs.mkdir(layout.root, 0o700);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw ioError(`cannot create ${showPath(layout.root)}`, error);
    created = false;
  }
  // Also the folders above it: a storage under a folder others can write is not safe either.
  await checkFolderSafe(fs, layout.root);
  if (!created) {
    const names = (await fs.readdir(layout.root)).map((e) => e.name);
    if (names.includes('config')) throw new StorageError('not-empty', `${showPath(layout.root)} already holds a storage; use storages attach to add it`);
    // An interrupted create left only our own empty folders: taking it over loses nothing.
    if (names.some((n) => !SKELETON.has(n))) throw new StorageError('not-empty', `${showPath(layout.root)} is not empty; give a new or empty folder`);
  }
  for (const folder of folders(layout)) await ensureFolder(fs, folder);
  await syncFolder(fs, layout.root);
}

export async function createStorage(dir: string, options: CreateOptions, tuning: StorageOptions = {}): Promise<CreatedStorage> {
  validateCreate(options.name, options.retentionDays);
  const fs = tuning.fs ?? nodeStorageFs;
  const layout = layoutOf(dir);
  try {
    await prepareFolder(fs, layout);
    const id = randomBytes(16).toString('hex');
    const master = newMasterKey();
    const recovery = newRecoveryKey();
    const keys = deriveKeys(master, id);
    // The recovery file first, the config last: a folder with a config is a complete storage.
    await writeRecovery(fs, layout, wrapMasterKey(master, recovery, id));
    const config: ConfigFile = { format: FORMAT, version: VERSION, id, name: options.name, retentionDays: options.retentionDays, created: (tuning.now?.() ?? new Date()).toISOString(), keyCheck: keyCheck(keys, id) };
    await writeConfig(fs, layout, config);
    const storage = await openWith(fs, layout, config, master, tuning);
    return { storage, masterKey: masterKeySecret(master), recoveryKey: new Secret(formatRecoveryKey(recovery)) };
  } catch (error) {
    throw ioError(`cannot create a storage in ${showPath(dir)}`, error);
  }
}

export async function openStorage(dir: string, masterKey: Secret, tuning: StorageOptions = {}): Promise<Storage> {
  const fs = tuning.fs ?? nodeStorageFs;
  const layout = layoutOf(dir);
  const config = await readConfig(fs, layout);
  return openWith(fs, layout, config, masterKeyBytes(masterKey), tuning);
}

export async function attachStorage(dir: string, recoveryKey: Secret, tuning: StorageOptions = {}): Promise<AttachedStorage> {
  const fs = tuning.fs ?? nodeStorageFs;
  const layout = layoutOf(dir);
  const config = await readConfig(fs, layout);
  const recovery = parseRecoveryKey(recoveryKey.reveal());
  if (!recovery) throw new StorageError('wrong-key', 'that is not a recovery key (32 letters and digits, as shown when the storage was created)');
  const master = unwrapMasterKey(await readRecovery(fs, layout), recovery, config.id);
  if (!master) throw new StorageError('wrong-key', `the recovery key does not open storage ${config.name}`);
  return { storage: await openWith(fs, layout, config, master, tuning), masterKey: masterKeySecret(master) };
}

export async function readStorageInfo(dir: string, tuning: StorageOptions = {}): Promise<StorageInfo> {
  const layout = layoutOf(dir);
  return infoOf(await readConfig(tuning.fs ?? nodeStorageFs, layout), layout);
}

async function openWith(fs: StorageFs, layout: Layout, config: ConfigFile, master: Buffer, tuning: StorageOptions): Promise<Storage> {
  const keys = deriveKeys(master, config.id);
  if (!keyCheckMatches(keys, config.id, config.keyCheck)) throw new StorageError('wrong-key', `the key does not open storage ${config.name}`);
  for (const folder of folders(layout)) {
    const stat = await fs.lstat(folder).catch(() => undefined);
    if (stat && !stat.isDirectory()) throw new StorageError('unsafe', `${showPath(folder)} is not a folder (a link or a file is in its place); the storage was not opened`);
  }
  const ctx: StorageContext = { fs, layout, keys, storageId: config.id, name: config.name, retentionDays: config.retentionDays, index: new BlobIndex(), indexFiles: new Set() };
  try {
    await loadNewIndexFiles(ctx);
  } catch (error) {
    throw ioError(`cannot open storage ${config.name}`, error);
  }
  return new OpenStorage(ctx, infoOf(config, layout), tuning.now ?? (() => new Date()));
}

class OpenStorage implements Storage {
  readonly info: StorageInfo;
  readonly #ctx: StorageContext;
  readonly #now: () => Date;
  readonly #gear: Int32Array;
  /** The latest snapshot read per source tag, reused while it is still the latest. */
  readonly #latest = new Map<string, { name: string; doc: SnapshotDoc }>();
  #closed = false;

  constructor(ctx: StorageContext, info: StorageInfo, now: () => Date) {
    this.#ctx = ctx;
    this.info = info;
    this.#now = now;
    this.#gear = gearTable(ctx.keys.chunker);
  }

  async beginWrite(options: WriteOptions): Promise<WriteSession> {
    this.#assertOpen();
    const lock = await acquireLock(this.#ctx.fs, this.#ctx.layout, this.#ctx.name, 'write', options.what);
    try {
      for (const folder of folders(this.#ctx.layout)) await ensureFolder(this.#ctx.fs, folder);
      await removeDeadTemps(this.#ctx);
      await loadNewIndexFiles(this.#ctx);
    } catch (error) {
      await lock.release();
      throw ioError(`cannot write to storage ${this.#ctx.name}`, error);
    }
    return new Session({ ctx: this.#ctx, lock, gear: this.#gear, now: this.#now, options, onClose: () => undefined });
  }

  async sources(): Promise<readonly SourceSummary[]> {
    this.#assertOpen();
    const out: SourceSummary[] = [];
    for (const tag of await sourceTags(this.#ctx)) {
      const latest = await this.#latestOf(tag);
      if (latest) out.push({ source: latest.doc.source, latest: metaOf(tag, latest.name, latest.doc) });
    }
    return out;
  }

  async latest(sourceKey: string): Promise<SnapshotReader | undefined> {
    this.#assertOpen();
    const tag = sourceTag(this.#ctx, sourceKey);
    const latest = await this.#latestOf(tag);
    return latest && new Reader(this.#ctx, metaOf(tag, latest.name, latest.doc), latest.doc);
  }

  browse(path: string): Promise<BrowseListing> {
    this.#assertOpen();
    return browse(this, path);
  }

  readContent(ref: ContentRef): Readable {
    this.#assertOpen();
    return readContentStream(this.#ctx, ref);
  }

  async stats(): Promise<StorageStats> {
    this.#assertOpen();
    await loadNewIndexFiles(this.#ctx);
    let items = 0;
    let bytesOriginal = 0;
    for (const { latest } of await this.sources()) {
      items += latest.items;
      bytesOriginal += latest.bytes;
    }
    return { items, bytesStored: this.#ctx.index.bytes, bytesOriginal };
  }

  async check(options: { readonly onProgress?: (filesDone: number, filesTotal: number) => void } = {}): Promise<CheckReport> {
    this.#assertOpen();
    const lock = await acquireLock(this.#ctx.fs, this.#ctx.layout, this.#ctx.name, 'read', 'storages check');
    try {
      return await checkStorage(this.#ctx, options.onProgress);
    } finally {
      await lock.release();
    }
  }

  async prune(now: Date): Promise<PruneReport> {
    this.#assertOpen();
    const lock = await acquireLock(this.#ctx.fs, this.#ctx.layout, this.#ctx.name, 'exclusive', 'storages prune');
    try {
      await removeDeadTemps(this.#ctx);
      this.#latest.clear();
      return await pruneStorage(this.#ctx, { now, gear: this.#gear, lock });
    } catch (error) {
      throw ioError(`cannot prune storage ${this.#ctx.name}`, error);
    } finally {
      await lock.release();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async #latestOf(tag: string): Promise<{ name: string; doc: SnapshotDoc } | undefined> {
    const names = await snapshotNames(this.#ctx, tag);
    const name = names[names.length - 1];
    if (name === undefined) return undefined;
    const cached = this.#latest.get(tag);
    if (cached?.name === name) return cached;
    const found = { name, doc: await readSnapshot(this.#ctx, tag, name) };
    this.#latest.set(tag, found);
    return found;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageError('closed', `storage ${this.info.name} was closed`);
  }
}
