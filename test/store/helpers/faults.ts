import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FsFacade, SyncTarget } from '../../../src/store/fs-facade.js';
import { errnoError, nodeFs } from '../../../src/store/fs-facade.js';

/** The steps of a save that a test can make fail. */
export type SaveStep = 'open-temp' | 'write' | 'fsync' | 'backup-link' | 'rename' | 'dir-fsync';

export interface FaultyFs {
  readonly fs: FsFacade;
  /** Fail this step with this errno code until `clear()`. */
  fail(step: SaveStep | 'open-rw', code: string): void;
  clear(): void;
  /** How many times the active fault fired. */
  readonly fired: number;
}

const STORE_TEMP = /^\.store\.json\.\d+\.[0-9a-f]+\.tmp$/;
const BACKUP_TEMP = /^\.store\.json\.bak\.\d+\.[0-9a-f]+\.tmp$/;

/** node:fs with one injectable fault, deterministic, no root or full disk needed. */
export function faultyFs(): FaultyFs {
  let fault: { step: SaveStep | 'open-rw'; code: string } | undefined;
  let fired = 0;
  const paths = new WeakMap<FileHandle, string>();
  const trip = (step: SaveStep | 'open-rw', syscall: string, path?: string): void => {
    if (fault?.step !== step) return;
    fired++;
    throw errnoError(fault.code, syscall, path);
  };
  const fs: FsFacade = {
    ...nodeFs,
    async open(path, flags, mode) {
      if (STORE_TEMP.test(basename(path)) && typeof flags === 'number' && (flags & constants.O_EXCL) !== 0) trip('open-temp', 'open', path);
      if (basename(path) === 'store.json' && typeof flags === 'number' && (flags & 3) === constants.O_RDWR) trip('open-rw', 'open', path);
      const handle = await nodeFs.open(path, flags, mode);
      paths.set(handle, path);
      return handle;
    },
    async write(handle, data) {
      if (STORE_TEMP.test(basename(paths.get(handle) ?? ''))) trip('write', 'write');
      return nodeFs.write(handle, data);
    },
    async sync(handle, target: SyncTarget) {
      if (target === 'file') trip('fsync', 'fsync');
      if (target === 'directory') trip('dir-fsync', 'fsync');
      return nodeFs.sync(handle, target);
    },
    async link(existing, newPath) {
      if (BACKUP_TEMP.test(basename(newPath))) trip('backup-link', 'link', newPath);
      return nodeFs.link(existing, newPath);
    },
    async rename(from, to) {
      if (STORE_TEMP.test(basename(from)) && basename(to) === 'store.json') trip('rename', 'rename', to);
      return nodeFs.rename(from, to);
    },
  };
  return {
    fs,
    fail(step, code) {
      fault = { step, code };
      fired = 0;
    },
    clear() {
      fault = undefined;
    },
    get fired() {
      return fired;
    },
  };
}
