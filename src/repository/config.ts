/**
 * The plaintext `config` (what anyone may read) and `keys/recovery`, and the checks a folder must
 * pass to be created as a storage.
 */
import { StorageError } from './api.js';
import type { StorageInfo } from './api.js';
import type { StorageFs } from './files.js';
import { checkFolderSafe, ioError, readWholeFile, writeFileDurably } from './files.js';
import { errorCode, showPath } from './io-words.js';
import type { RecoveryFile } from './keys.js';
import type { Layout } from './layout.js';
import { HEX32 } from './layout.js';

export const FORMAT = 'backup-panel-storage';
export const VERSION = 1;

export interface ConfigFile {
  readonly format: typeof FORMAT;
  readonly version: typeof VERSION;
  readonly id: string;
  readonly name: string;
  readonly retentionDays: number;
  readonly created: string;
  readonly keyCheck: string;
}

export const MAX_RETENTION_DAYS = 36_500;

export function validateCreate(name: string, retentionDays: number): void {
  if (!name.trim() || name.length > 200) throw new StorageError('bad-input', 'a storage name must have 1 to 200 characters');
  if (!Number.isInteger(retentionDays) || retentionDays < 0 || retentionDays > MAX_RETENTION_DAYS) {
    throw new StorageError('bad-input', `retention days must be a whole number from 0 to ${MAX_RETENTION_DAYS}`);
  }
}

export async function readConfig(fs: StorageFs, layout: Layout): Promise<ConfigFile> {
  await checkFolderSafe(fs, layout.root);
  let raw: unknown;
  try {
    raw = JSON.parse((await readWholeFile(fs, layout.config, 64 << 10)).toString('utf8'));
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') throw new StorageError('not-a-storage', `${showPath(layout.root)} holds no storage (no config file)`);
    if (code === undefined) throw new StorageError('damaged', `${showPath(layout.config)} is not valid JSON`);
    throw ioError(`cannot read ${showPath(layout.config)}`, error);
  }
  const c = raw as Partial<ConfigFile>;
  if (c.format !== FORMAT) throw new StorageError('not-a-storage', `${showPath(layout.root)} holds no backup-panel storage`);
  if (c.version !== VERSION) throw new StorageError('not-a-storage', `${showPath(layout.root)} is a storage of format ${String(c.version)}, which this version cannot read`);
  if (typeof c.id !== 'string' || !HEX32.test(c.id) || typeof c.name !== 'string' || typeof c.keyCheck !== 'string' || typeof c.retentionDays !== 'number' || typeof c.created !== 'string') {
    throw new StorageError('damaged', `${showPath(layout.config)} is missing fields`);
  }
  return c as ConfigFile;
}

export function infoOf(config: ConfigFile, layout: Layout): StorageInfo {
  return { id: config.id, name: config.name, retentionDays: config.retentionDays, created: config.created, path: layout.root };
}

export async function writeConfig(fs: StorageFs, layout: Layout, config: ConfigFile): Promise<void> {
  await writeFileDurably(fs, layout.tmp, layout.root, 'config', Buffer.from(JSON.stringify(config, null, 2) + '\n'), 'config');
}

export async function writeRecovery(fs: StorageFs, layout: Layout, file: RecoveryFile): Promise<void> {
  await writeFileDurably(fs, layout.tmp, layout.keys, 'recovery', Buffer.from(JSON.stringify(file) + '\n'), 'config');
}

export async function readRecovery(fs: StorageFs, layout: Layout): Promise<RecoveryFile> {
  try {
    const file = JSON.parse((await readWholeFile(fs, layout.recovery, 64 << 10)).toString('utf8')) as Partial<RecoveryFile>;
    if (file.version === 1 && file.kdf === 'hkdf-sha256' && typeof file.salt === 'string' && typeof file.ct === 'string') return file as RecoveryFile;
  } catch (error) {
    if (errorCode(error) && errorCode(error) !== 'ENOENT') throw ioError(`cannot read ${showPath(layout.recovery)}`, error);
  }
  throw new StorageError('damaged', `${showPath(layout.recovery)} is missing or damaged: the storage cannot be opened with a recovery key`);
}

/** Names in a folder that an interrupted `create` may have left (anything else: not ours to take). */
export const SKELETON = new Set(['keys', 'packs', 'index', 'snapshots', 'locks', 'tmp']);
