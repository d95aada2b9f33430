import type { StoreDocument } from '../domain/index.js';
import { StoreError } from './api.js';
import { showPath } from '../fs/io-errors.js';
import { megabytes } from './read-file.js';
import { sectionSizes } from './serialize.js';

function entries(value: unknown): string {
  if (Array.isArray(value)) return `, ${value.length.toLocaleString('en-US')} entries`;
  return '';
}

/**
 * Refuses a save whose file the next read would refuse as too large: the write and the read share
 * one limit, so a save can never lock the admin out. Names the section that grew the most (or the
 * largest one) so the admin knows what to remove.
 */
export function assertWithinLimit(path: string, bytes: Uint8Array, maxBytes: number, next: StoreDocument, before: StoreDocument | undefined): void {
  if (bytes.length <= maxBytes) return;
  const after = sectionSizes(next);
  const previous = before ? sectionSizes(before) : new Map<string, number>();
  let pick: { key: string; size: number; growth: number } | undefined;
  for (const [key, size] of after) {
    const growth = size - (previous.get(key) ?? 0);
    if (!pick || growth > pick.growth || (growth === pick.growth && size > pick.size)) pick = { key, size, growth };
  }
  const what = pick
    ? pick.growth > 0 && before
      ? `${pick.key} grew by ${megabytes(pick.growth)} to ${megabytes(pick.size)}${entries((next as unknown as Record<string, unknown>)[pick.key])}`
      : `${pick.key} is the largest part: ${megabytes(pick.size)}${entries((next as unknown as Record<string, unknown>)[pick.key])}`
    : 'the document';
  const exact = megabytes(bytes.length) === megabytes(maxBytes);
  const size = exact ? `${bytes.length.toLocaleString('en-US')} bytes` : megabytes(bytes.length);
  const limit = exact ? `${maxBytes.toLocaleString('en-US')} bytes` : megabytes(maxBytes);
  throw new StoreError(
    'too-large',
    `refusing to save ${showPath(path)}: it would be ${size}, over the ${limit} a store may have (${what}); nothing was written — remove entries you no longer need`,
    path,
  );
}
