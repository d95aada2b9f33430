import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach } from 'vitest';
import type { ContentRef, SourceInfo, Storage, WriteEvent } from '../../../src/repository/index.js';
import { createStorage } from '../../../src/repository/index.js';
import type { StorageOptions } from '../../../src/repository/storage.js';

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

export async function tempDir(prefix = 'storage-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function newStorage(options: { retentionDays?: number; tuning?: StorageOptions } = {}) {
  const dir = join(await tempDir(), 'storage');
  const created = await createStorage(dir, { name: 'Main', retentionDays: options.retentionDays ?? 30 }, options.tuning);
  return { dir, ...created };
}

export const ALICE: SourceInfo = { key: 'mailbox:alice', name: 'alice@contoso.com', kind: 'mailbox' };
export const BOB: SourceInfo = { key: 'mailbox:bob', name: 'bob@contoso.com', kind: 'mailbox' };

export { mime, noise } from './data.js';

export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export async function readContent(storage: Storage, ref: ContentRef): Promise<Buffer> {
  return readAll(storage.readContent(ref));
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Every file under `dir`, relative paths. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name).slice(dir.length + 1));
  }
  return out.sort();
}

/** Collects write events, for counting what a cycle wrote. */
export function eventLog(): { events: WriteEvent[]; onEvent: (e: WriteEvent) => void; count: (type: WriteEvent['type']) => number; blobs: () => number } {
  const events: WriteEvent[] = [];
  return {
    events,
    onEvent: (e) => events.push(e),
    count: (type) => events.filter((e) => e.type === type).length,
    blobs: () => events.reduce((sum, e) => sum + (e.type === 'pack' ? e.blobs : 0), 0),
  };
}

export function at(day: number): Date {
  return new Date(Date.UTC(2026, 0, 1) + day * 86_400_000);
}
