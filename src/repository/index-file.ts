/**
 * Index files (DESIGN.md, "Index"): which objects each pack holds. Binary, sealed, at most
 * MAX_ENTRIES entries each so that no file is large to load or rewrite.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { StorageError } from './api.js';
import type { PackRef } from './blob-index.js';
import type { StorageContext } from './context.js';
import { listFiles, readWholeFile, writeFileDurably } from './files.js';
import { HEX32, packPath } from './layout.js';
import type { ObjectKind } from './seal.js';
import { ID_BYTES, KIND_CODE, KIND_OF_CODE, openFile, sealFile } from './seal.js';

export interface IndexEntry {
  readonly id: Buffer;
  readonly kind: ObjectKind;
  readonly offset: number;
  readonly length: number;
  readonly rawLength: number;
}

export interface IndexPack {
  readonly name: string;
  readonly entries: readonly IndexEntry[];
}

const MAGIC = 'BPX1';
const ENTRY = 1 + ID_BYTES + 12;
export const MAX_ENTRIES = 90_000;
const MAX_FILE = 4 + 4 + MAX_ENTRIES * (ENTRY + 20) + 1024;

export function encodeIndex(packs: readonly IndexPack[]): Buffer {
  const size = 8 + packs.reduce((sum, p) => sum + 20 + p.entries.length * ENTRY, 0);
  const out = Buffer.alloc(size);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(packs.length, 4);
  let at = 8;
  for (const pack of packs) {
    out.write(pack.name, at, 'hex');
    out.writeUInt32LE(pack.entries.length, at + 16);
    at += 20;
    for (const e of pack.entries) {
      out[at] = KIND_CODE[e.kind];
      e.id.copy(out, at + 1);
      out.writeUInt32LE(e.offset, at + 33);
      out.writeUInt32LE(e.length, at + 37);
      out.writeUInt32LE(e.rawLength, at + 41);
      at += ENTRY;
    }
  }
  return out;
}

export function decodeIndex(file: string, data: Buffer): IndexPack[] {
  const bad = () => new StorageError('damaged', `${file} is malformed`);
  if (data.length < 8 || data.toString('latin1', 0, 4) !== MAGIC) throw bad();
  const count = data.readUInt32LE(4);
  const packs: IndexPack[] = [];
  let at = 8;
  for (let p = 0; p < count; p++) {
    if (at + 20 > data.length) throw bad();
    const name = data.toString('hex', at, at + 16);
    const n = data.readUInt32LE(at + 16);
    at += 20;
    if (at + n * ENTRY > data.length) throw bad();
    const entries: IndexEntry[] = [];
    for (let i = 0; i < n; i++, at += ENTRY) {
      const kind = KIND_OF_CODE[data[at]!];
      if (!kind) throw bad();
      entries.push({ kind, id: Buffer.from(data.subarray(at + 1, at + 33)), offset: data.readUInt32LE(at + 33), length: data.readUInt32LE(at + 37), rawLength: data.readUInt32LE(at + 41) });
    }
    packs.push({ name, entries });
  }
  if (at !== data.length) throw bad();
  return packs;
}

export function indexFile(name: string): string {
  return `index/${name}`;
}

export async function readIndexFile(ctx: StorageContext, name: string): Promise<IndexPack[]> {
  const sealed = await readWholeFile(ctx.fs, join(ctx.layout.index, name), MAX_FILE + 64);
  return decodeIndex(indexFile(name), openFile(ctx.keys.seal, indexFile(name), sealed));
}

/** Loads index files not loaded yet; returns how many were new. */
export async function loadNewIndexFiles(ctx: StorageContext): Promise<number> {
  let added = 0;
  for (const name of await listFiles(ctx.fs, ctx.layout.index)) {
    if (!HEX32.test(name) || ctx.indexFiles.has(name)) continue;
    for (const pack of await readIndexFile(ctx, name)) {
      const ref = ctx.index.pack(pack.name, packPath(ctx.layout, pack.name), true);
      ref.indexed = true;
      for (const e of pack.entries) ctx.index.add(e.id, ref, e.kind, e.offset, e.length, e.rawLength);
    }
    ctx.indexFiles.add(name);
    added++;
  }
  return added;
}

/** Splits packs into index files of at most MAX_ENTRIES entries (a pack's entries may span files). */
export function splitForFiles(packs: readonly IndexPack[]): IndexPack[][] {
  const files: IndexPack[][] = [];
  let current: IndexPack[] = [];
  let count = 0;
  for (const pack of packs) {
    let rest = pack.entries;
    while (rest.length > 0) {
      const take = Math.min(rest.length, MAX_ENTRIES - count);
      current.push({ name: pack.name, entries: rest.slice(0, take) });
      rest = rest.slice(take);
      count += take;
      if (count === MAX_ENTRIES) {
        files.push(current);
        current = [];
        count = 0;
      }
    }
  }
  if (current.length) files.push(current);
  return files;
}

/** Writes durable index files for `packs` and marks the packs indexed; returns the file names. */
export async function writeIndexFiles(ctx: StorageContext, packs: readonly IndexPack[], refs: readonly PackRef[]): Promise<string[]> {
  const names: string[] = [];
  for (const group of splitForFiles(packs)) {
    const name = randomBytes(16).toString('hex');
    await writeFileDurably(ctx.fs, ctx.layout.tmp, ctx.layout.index, name, sealFile(ctx.keys.seal, indexFile(name), encodeIndex(group), false), 'index');
    ctx.indexFiles.add(name);
    names.push(name);
  }
  for (const ref of refs) ref.indexed = true;
  return names;
}
