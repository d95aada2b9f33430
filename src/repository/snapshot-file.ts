/**
 * Snapshot files (DESIGN.md, "Snapshots"): one source's folders, page lists and cursors after one
 * cycle, in `snapshots/<source tag>/<time>-<random>`, sealed.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FolderInput, SnapshotMeta, SourceInfo } from './api.js';
import { StorageError } from './api.js';
import type { StorageContext } from './context.js';
import { ensureFolder, listFiles, listFolders, readWholeFile, syncFolder, writeFileDurably } from './files.js';
import type { PageRef } from './pages.js';
import { openFile, sealFile } from './seal.js';

export interface FolderRecord extends FolderInput {
  readonly deletedAt?: string;
  readonly cursor?: string;
  readonly pages: readonly PageRef[];
}

export interface SnapshotDoc {
  readonly source: SourceInfo;
  readonly time: string;
  readonly parent: string | null;
  readonly cursor?: string;
  readonly folders: readonly FolderRecord[];
  readonly items: number;
  readonly deletedItems: number;
  readonly bytes: number;
}

const NAME = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;
const TAG = /^[0-9a-f]{16}$/;
const MAX_SNAPSHOT = 256 << 20;

/** The folder of a source's snapshots: a keyed hash of its key, so the name says nothing. */
export function sourceTag(ctx: StorageContext, sourceKey: string): string {
  return createHmac('sha256', ctx.keys.names).update(sourceKey).digest('hex').slice(0, 16);
}

/** `20261203T132524123Z-1a2b3c4d`: names sort in time order. */
export function snapshotName(time: Date): string {
  return `${time.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}

export function snapshotFile(tag: string, name: string): string {
  return `snapshots/${tag}/${name}`;
}

type EncodedPage = [string, string, number, number, number, string | null];

function encode(doc: SnapshotDoc): Buffer {
  const folders = doc.folders.map((f) => ({ ...f, pages: f.pages.map((p): EncodedPage => [p.first, p.id, p.n, p.bytes, p.deleted, p.expiry]) }));
  return Buffer.from(JSON.stringify({ v: 1, ...doc, folders }));
}

function decode(plain: Buffer, file: string): SnapshotDoc {
  try {
    const raw = JSON.parse(plain.toString('utf8')) as Omit<SnapshotDoc, 'folders'> & { v: number; folders: (Omit<FolderRecord, 'pages'> & { pages: EncodedPage[] })[] };
    if (raw.v !== 1 || typeof raw.source?.key !== 'string' || !Array.isArray(raw.folders)) throw new Error('shape');
    const folders = raw.folders.map((f) => ({ ...f, pages: f.pages.map(([first, id, n, bytes, deleted, expiry]) => ({ first, id, n, bytes, deleted, expiry })) }));
    const { v: _v, ...doc } = raw;
    return { ...doc, folders };
  } catch {
    throw new StorageError('damaged', `${file} is not a valid snapshot`);
  }
}

export function metaOf(tag: string, name: string, doc: SnapshotDoc): SnapshotMeta {
  return { id: `${tag}/${name}`, time: doc.time, source: doc.source, items: doc.items, deletedItems: doc.deletedItems, bytes: doc.bytes };
}

export async function writeSnapshot(ctx: StorageContext, doc: SnapshotDoc, time: Date): Promise<SnapshotMeta> {
  const tag = sourceTag(ctx, doc.source.key);
  const dir = join(ctx.layout.snapshots, tag);
  if (await ensureFolder(ctx.fs, dir)) await syncFolder(ctx.fs, ctx.layout.snapshots);
  const name = snapshotName(time);
  await writeFileDurably(ctx.fs, ctx.layout.tmp, dir, name, sealFile(ctx.keys.seal, snapshotFile(tag, name), encode(doc)), 'snapshot');
  return metaOf(tag, name, doc);
}

export async function readSnapshot(ctx: StorageContext, tag: string, name: string): Promise<SnapshotDoc> {
  const file = snapshotFile(tag, name);
  const sealed = await readWholeFile(ctx.fs, join(ctx.layout.snapshots, tag, name), MAX_SNAPSHOT);
  return decode(openFile(ctx.keys.seal, file, sealed), file);
}

/** A source's snapshot names, oldest first. */
export async function snapshotNames(ctx: StorageContext, tag: string): Promise<string[]> {
  return (await listFiles(ctx.fs, join(ctx.layout.snapshots, tag))).filter((n) => NAME.test(n)).sort();
}

export async function sourceTags(ctx: StorageContext): Promise<string[]> {
  return (await listFolders(ctx.fs, ctx.layout.snapshots)).filter((n) => TAG.test(n)).sort();
}

/** The latest snapshot of a source, by tag; undefined when it has none. */
export async function latestSnapshot(ctx: StorageContext, tag: string): Promise<{ name: string; doc: SnapshotDoc } | undefined> {
  const names = await snapshotNames(ctx, tag);
  const name = names[names.length - 1];
  return name === undefined ? undefined : { name, doc: await readSnapshot(ctx, tag, name) };
}
