import type { OpenedFile, OpenFileOptions } from '../fs/index.js';
import { checkFolder, openFile, UnsafePathError } from '../fs/index.js';
import { StoreError } from './api.js';
import type { FsFacade } from './fs-facade.js';

/** src/fs's openFile through the store's facade; a refused path is a StoreError('unsafe') with its one line. */
export async function openBeside(fs: FsFacade, path: string, options: Omit<OpenFileOptions, 'opener'>): Promise<OpenedFile> {
  try {
    return await openFile(path, { ...options, opener: fs });
  } catch (error) {
    throw asStoreError(error);
  }
}

export function asStoreError(error: unknown): unknown {
  return error instanceof UnsafePathError ? new StoreError('unsafe', error.message, error.path) : error;
}

/** The store's folder and those above it: refused when another user could swap files in them. */
export async function checkStoreFolder(dir: string): Promise<void> {
  try {
    await checkFolder(dir);
  } catch (error) {
    throw asStoreError(error);
  }
}
