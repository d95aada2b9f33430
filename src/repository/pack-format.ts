/**
 * Reading packs: the header at the end (which objects, how long), and one object at a known place.
 * Writing is in pack-writer.ts.
 */
import type { FileHandle } from 'node:fs/promises';
import { StorageError } from './api.js';
import type { ObjectLocation } from './blob-index.js';
import type { StorageContext } from './context.js';
import type { StorageFs } from './files.js';
import { READ, closeQuietly, ioError, openNoFollow } from './files.js';
import type { IndexEntry } from './index-file.js';
import { packFile } from './layout.js';
import type { StorageKeys } from './keys.js';
import type { ObjectKind } from './seal.js';
import { ID_BYTES, KIND_CODE, KIND_OF_CODE, ObjectFaultError, openFile, openObject } from './seal.js';

const HEADER_ENTRY = 1 + ID_BYTES + 8;
/** A pack header never needs more (a pack of 16 MiB holds at most ~500,000 tiny objects). */
const MAX_HEADER = 32 << 20;

export function encodePackHeader(entries: readonly IndexEntry[]): Buffer {
  const out = Buffer.alloc(entries.length * HEADER_ENTRY);
  entries.forEach((e, i) => {
    const at = i * HEADER_ENTRY;
    out[at] = KIND_CODE[e.kind];
    e.id.copy(out, at + 1);
    out.writeUInt32LE(e.length, at + 33);
    out.writeUInt32LE(e.rawLength, at + 37);
  });
  return out;
}

async function readExactly(fs: StorageFs, handle: FileHandle, length: number, position: number): Promise<Buffer | undefined> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = await fs.read(handle, buffer, done, length - done, position + done);
    if (n === 0) return undefined;
    done += n;
  }
  return buffer;
}

export interface PackHeader {
  readonly entries: readonly IndexEntry[];
  /** Where the header starts: the objects fill exactly [0, this). */
  readonly objectsEnd: number;
  readonly size: number;
}

/** Reads and authenticates a pack's header; 'damaged' says what is wrong with the file. */
export async function readPackHeader(fs: StorageFs, keys: StorageKeys, path: string, name: string): Promise<PackHeader> {
  const file = packFile(name);
  let handle: FileHandle | undefined;
  try {
    handle = await openNoFollow(fs, path, READ);
    const size = (await fs.fstat(handle)).size;
    const tail = size >= 4 ? await readExactly(fs, handle, 4, size - 4) : undefined;
    if (!tail) throw new StorageError('damaged', `${file} is truncated (no header)`);
    const headerLength = tail.readUInt32LE(0);
    if (headerLength > MAX_HEADER || headerLength + 4 > size) throw new StorageError('damaged', `${file} is truncated or its header length is damaged`);
    const sealed = await readExactly(fs, handle, headerLength, size - 4 - headerLength);
    if (!sealed) throw new StorageError('damaged', `${file} is truncated`);
    const plain = openFile(keys.seal, `pack ${name}`, sealed);
    if (plain.length % HEADER_ENTRY !== 0) throw new StorageError('damaged', `${file} has a malformed header`);
    const entries: IndexEntry[] = [];
    let offset = 0;
    for (let at = 0; at < plain.length; at += HEADER_ENTRY) {
      const kind = KIND_OF_CODE[plain[at]!];
      if (!kind) throw new StorageError('damaged', `${file} has a malformed header`);
      const length = plain.readUInt32LE(at + 33);
      entries.push({ kind, id: Buffer.from(plain.subarray(at + 1, at + 33)), offset, length, rawLength: plain.readUInt32LE(at + 37) });
      offset += length;
    }
    const objectsEnd = size - 4 - headerLength;
    if (offset !== objectsEnd) throw new StorageError('damaged', `${file} is truncated or has bytes its header does not describe`);
    return { entries, objectsEnd, size };
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') throw new StorageError('damaged', `${file} is missing`);
    throw ioError(`cannot read ${file}`, error);
  } finally {
    await closeQuietly(fs, handle);
  }
}

/** A pack opened once for reading many objects (check, prune). */
export interface PackFile {
  read(offset: number, length: number): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

export async function openPack(fs: StorageFs, path: string): Promise<PackFile> {
  const handle = await openNoFollow(fs, path, READ);
  return { read: (offset, length) => readExactly(fs, handle, length, offset), close: () => closeQuietly(fs, handle) };
}

/** The sealed bytes of one object; undefined when the pack is shorter than the index says. */
export async function readSealed(fs: StorageFs, path: string, offset: number, length: number): Promise<Buffer | undefined> {
  const handle = await openNoFollow(fs, path, READ);
  try {
    return await readExactly(fs, handle, length, offset);
  } finally {
    await closeQuietly(fs, handle);
  }
}

/** Reads, authenticates and opens one object (the plaintext); 'damaged' names the object and pack. */
export async function readObject(ctx: StorageContext, id: Buffer, location: ObjectLocation, expected?: ObjectKind): Promise<Buffer> {
  const where = `object ${id.toString('hex')} in ${packFile(location.pack.name)}`;
  if (expected && location.kind !== expected) throw new StorageError('damaged', `${where} is of the wrong kind`);
  let sealed: Buffer | undefined;
  try {
    sealed = await readSealed(ctx.fs, location.pack.path, location.offset, location.length);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') throw new StorageError('damaged', `${where}: the pack is missing`);
    throw ioError(`cannot read ${where}`, error);
  }
  if (!sealed) throw new StorageError('damaged', `${where}: the pack is truncated`);
  try {
    return await openObject(ctx.keys, location.kind, id, sealed, location.rawLength);
  } catch (error) {
    if (error instanceof ObjectFaultError) throw new StorageError('damaged', `${where} ${error.fault}`);
    throw error;
  }
}
