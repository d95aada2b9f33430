/**
 * `check` (DESIGN.md, "Check"): reads every pack, index file and snapshot; authenticates and
 * re-hashes every object; follows every snapshot to every page and chunk; names each problem.
 */
import { join } from 'node:path';
import type { CheckProblem, CheckReport } from './api.js';
import { StorageError } from './api.js';
import { idKey } from './blob-index.js';
import type { ObjectLocation } from './blob-index.js';
import type { StorageContext } from './context.js';
import { listFiles, listFolders } from './files.js';
import { indexFile, loadNewIndexFiles, readIndexFile } from './index-file.js';
import { HEX32, packFile, packPath } from './layout.js';
import type { IndexEntry } from './index-file.js';
import type { PackFile } from './pack-format.js';
import { openPack, readObject, readPackHeader } from './pack-format.js';
import { decodePage } from './pages.js';
import { ID_BYTES, ObjectFaultError, openObject } from './seal.js';
import { readSnapshot, snapshotFile, snapshotNames, sourceTags } from './snapshot-file.js';

type Progress = ((filesDone: number, filesTotal: number) => void) | undefined;

function problemOf(error: unknown): string {
  if (error instanceof StorageError) return error.message;
  return 'cannot be read';
}

export async function checkStorage(ctx: StorageContext, onProgress: Progress): Promise<CheckReport> {
  const problems: CheckProblem[] = [];
  const damaged = new Set<string>();
  let objects = 0;
  let bytes = 0;
  let unreferencedFiles = 0;

  // Index files first: each must open; what they name is what snapshots may use.
  const indexNames = (await listFiles(ctx.fs, ctx.layout.index)).filter((n) => HEX32.test(n));
  const packsOnDisk: string[] = [];
  for (const dir of await listFolders(ctx.fs, ctx.layout.packs)) {
    for (const name of await listFiles(ctx.fs, join(ctx.layout.packs, dir))) if (HEX32.test(name) && name.startsWith(dir)) packsOnDisk.push(name);
  }
  const snapshotFiles: { tag: string; name: string }[] = [];
  for (const tag of await sourceTags(ctx)) for (const name of await snapshotNames(ctx, tag)) snapshotFiles.push({ tag, name });
  const total = indexNames.length + packsOnDisk.length + snapshotFiles.length;
  let done = 0;
  const step = () => onProgress?.(++done, total);

  const indexedPacks = new Map<string, number>();
  for (const name of indexNames) {
    try {
      for (const pack of await readIndexFile(ctx, name)) indexedPacks.set(pack.name, (indexedPacks.get(pack.name) ?? 0) + pack.entries.length);
    } catch (error) {
      problems.push({ file: indexFile(name), problem: problemOf(error) });
    }
    step();
  }
  // Index files that opened are in memory; damaged ones are reported above and skipped.
  await loadNewIndexFiles(ctx).catch(() => undefined);

  const onDisk = new Set(packsOnDisk);
  for (const name of packsOnDisk) {
    const file = packFile(name);
    if (!indexedPacks.has(name)) unreferencedFiles++;
    let pack: PackFile | undefined;
    try {
      const header = await readPackHeader(ctx.fs, ctx.keys, packPath(ctx.layout, name), name);
      pack = await openPack(ctx.fs, packPath(ctx.layout, name));
      // One read of the whole pack (at most ~16 MiB) rather than one per object.
      const all = await pack.read(0, header.objectsEnd);
      for (const entry of header.entries) {
        objects++;
        bytes += entry.length;
        const fault = await checkObject(ctx, all ? inMemory(all) : pack, entry);
        if (fault) {
          damaged.add(idKey(entry.id));
          problems.push({ file, object: entry.id.toString('hex'), problem: fault });
        }
        const indexed = ctx.index.get(entry.id);
        if (indexed && indexed.pack.name === name && (indexed.offset !== entry.offset || indexed.length !== entry.length)) {
          problems.push({ file, object: entry.id.toString('hex'), problem: 'is at another place than the index says' });
        }
      }
    } catch (error) {
      problems.push({ file, problem: problemOf(error) });
      // The header is gone: test each object the index names in this pack, so each damaged one is named.
      pack ??= await openPack(ctx.fs, packPath(ctx.layout, name)).catch(() => undefined);
      for (const { id, location } of ctx.index.entries()) {
        if (location.pack.name !== name) continue;
        const fault = pack ? await checkObject(ctx, pack, { ...location, id }) : 'cannot be read';
        if (fault) {
          damaged.add(idKey(id));
          problems.push({ file, object: id.toString('hex'), problem: fault });
        }
      }
    } finally {
      await pack?.close();
    }
    step();
  }
  const missing = new Set<string>();
  for (const [name, count] of indexedPacks) {
    if (onDisk.has(name)) continue;
    missing.add(name);
    problems.push({ file: packFile(name), problem: `is missing (the index names ${count} objects in it)` });
  }
  if (missing.size) for (const { id, location } of ctx.index.entries()) if (missing.has(location.pack.name)) damaged.add(idKey(id));

  // Snapshots: every page and chunk they reach must be indexed and sound.
  const reached = new Set<string>();
  for (const { tag, name } of snapshotFiles) {
    const file = snapshotFile(tag, name);
    try {
      const doc = await readSnapshot(ctx, tag, name);
      for (const folder of doc.folders) {
        for (const page of folder.pages) {
          const plain = await reach(ctx, Buffer.from(page.id, 'hex'), reached, damaged, file, problems, () => true);
          const items = plain ? decodePage(plain, `page ${page.id}`) : [];
          for (const item of items) {
            for (const ref of [item.content, ...(item.versions ?? []).map((v) => v.content)]) {
              // Chunks were authenticated with their packs above: only a list needs reading here.
              const list = await reach(ctx, Buffer.from(ref.id, 'hex'), reached, damaged, file, problems, (location) => location.kind === 'l');
              for (let at = 0; list && at < list.length; at += ID_BYTES) await reach(ctx, list.subarray(at, at + ID_BYTES), reached, damaged, file, problems, () => false);
            }
          }
        }
      }
    } catch (error) {
      problems.push({ file, problem: problemOf(error) });
    }
    step();
  }

  return { sound: problems.length === 0, files: total, objects, bytes, problems, unreferencedFiles };
}

function inMemory(data: Buffer): PackFile {
  return { read: async (offset, length) => (offset + length <= data.length ? data.subarray(offset, offset + length) : undefined), close: async () => undefined };
}

/** What is wrong with one object, read at its place; undefined when it is sound. */
async function checkObject(ctx: StorageContext, pack: PackFile, entry: IndexEntry): Promise<string | undefined> {
  try {
    const sealed = await pack.read(entry.offset, entry.length);
    if (!sealed) return 'is truncated';
    await openObject(ctx.keys, entry.kind, entry.id, sealed, entry.rawLength);
    return undefined;
  } catch (error) {
    if (error instanceof ObjectFaultError) return error.fault;
    return problemOf(error);
  }
}

/**
 * Follows a reference once: reports it missing or damaged (naming the snapshot that needs it), and
 * on a first visit of a sound object returns its plaintext when `read` asks for it.
 */
async function reach(ctx: StorageContext, id: Buffer, reached: Set<string>, damaged: Set<string>, file: string, problems: CheckProblem[], read: (location: ObjectLocation) => boolean): Promise<Buffer | undefined> {
  const key = idKey(id);
  if (reached.has(key)) return undefined;
  reached.add(key);
  const location = ctx.index.get(id);
  if (!location) {
    problems.push({ file, object: id.toString('hex'), problem: 'needs this object, which no index names (missing)' });
    return undefined;
  }
  if (damaged.has(key)) {
    problems.push({ file, object: id.toString('hex'), problem: 'needs this object, which is damaged' });
    return undefined;
  }
  if (!read(location)) return undefined;
  try {
    return await readObject(ctx, id, location);
  } catch (error) {
    problems.push({ file, object: id.toString('hex'), problem: problemOf(error) });
    return undefined;
  }
}
