/**
 * `prune` (DESIGN.md, "Prune"), under the exclusive lock: expire, drop superseded snapshots, mark
 * what the latest snapshots reach, repack, re-index, and only then delete.
 */
import { join } from 'node:path';
import type { PruneReport } from './api.js';
import { StorageError } from './api.js';
import { BlobIndex, idKey } from './blob-index.js';
import { Builder } from './builder.js';
import { ContentWriter, chunkIds, locate } from './content.js';
import type { StorageContext } from './context.js';
import { listFiles, listFolders, syncFolder, unlinkQuietly } from './files.js';
import type { IndexPack } from './index-file.js';
import { loadNewIndexFiles, writeIndexFiles } from './index-file.js';
import type { HeldLock } from './lock.js';
import { HEX32, packFile, packFolder, packPath } from './layout.js';
import type { PackFile } from './pack-format.js';
import { openPack, readObject } from './pack-format.js';
import { PACK_TARGET_BYTES, PackWriter } from './pack-writer.js';
import { decodePage } from './pages.js';
import { pageIO } from './session.js';
import type { SnapshotDoc } from './snapshot-file.js';
import { latestSnapshot, metaOf, snapshotNames, sourceTags, writeSnapshot } from './snapshot-file.js';

const DAY_MS = 86_400_000;
/** Packs smaller than this are merged with others (many cycles leave many small packs). */
const SMALL_PACK = PACK_TARGET_BYTES / 4;

export interface PruneDeps {
  readonly now: Date;
  readonly gear: Int32Array;
  readonly lock: HeldLock;
}

async function persist(ctx: StorageContext, packs: PackWriter): Promise<void> {
  await packs.flush();
  const { packs: list, refs } = packs.takeFinished();
  if (list.length) await writeIndexFiles(ctx, list, refs);
}

export async function pruneStorage(ctx: StorageContext, deps: PruneDeps): Promise<PruneReport> {
  await loadNewIndexFiles(ctx);
  const cutoff = new Date(deps.now.getTime() - ctx.retentionDays * DAY_MS).toISOString();
  let itemsExpired = 0;
  let snapshotsRemoved = 0;

  // 1. Expire in each source's latest snapshot; a new snapshot when something went.
  const latest: SnapshotDoc[] = [];
  const writer = new PackWriter(ctx, () => undefined);
  const content = new ContentWriter(ctx, writer, deps.gear, () => undefined);
  for (const tag of await sourceTags(ctx)) {
    const found = await latestSnapshot(ctx, tag);
    if (!found) continue;
    let committed: SnapshotDoc = found.doc;
    const builder = new Builder(found.doc.source, { meta: metaOf(tag, found.name, found.doc), doc: found.doc }, {
      io: pageIO(ctx, content),
      now: () => deps.now,
      commit: async (doc, time) => {
        await deps.lock.assertHeld();
        await persist(ctx, writer);
        committed = doc;
        return writeSnapshot(ctx, doc, time);
      },
      release: () => undefined,
    });
    const dropped = await builder.expire(cutoff);
    if (dropped > 0) {
      await builder.commit({ time: deps.now });
      itemsExpired += dropped;
    } else builder.discard();
    latest.push(committed);

    // 2. Older snapshots are superseded: the latest holds all that is restorable.
    const names = await snapshotNames(ctx, tag);
    for (const name of names.slice(0, -1)) {
      await ctx.fs.unlink(join(ctx.layout.snapshots, tag, name));
      snapshotsRemoved++;
    }
    if (names.length > 1) await syncFolder(ctx.fs, join(ctx.layout.snapshots, tag));
  }
  await writer.abandon();

  // 3. Mark what the latest snapshots reach.
  const live = new Set<string>();
  for (const doc of latest) {
    for (const folder of doc.folders) {
      for (const page of folder.pages) {
        const pageId = Buffer.from(page.id, 'hex');
        live.add(idKey(pageId));
        for (const item of decodePage(await readObject(ctx, pageId, await locate(ctx, pageId), 'p'), `page ${page.id}`)) {
          for (const ref of [item.content, ...(item.versions ?? []).map((v) => v.content)]) {
            const id = Buffer.from(ref.id, 'hex');
            if (live.has(idKey(id))) continue;
            live.add(idKey(id));
            for (const chunk of await chunkIds(ctx, id)) live.add(idKey(chunk));
          }
        }
      }
    }
  }

  // 4. Per pack: keep, rewrite (mostly dead, or small), or delete.
  const usage = new Map<string, { live: number; dead: number }>();
  for (const { id, location } of ctx.index.entries()) {
    const u = usage.get(location.pack.name) ?? { live: 0, dead: 0 };
    if (live.has(idKey(id))) u.live += location.length;
    else u.dead += location.length;
    usage.set(location.pack.name, u);
  }
  const small = [...usage.values()].filter((u) => u.live > 0 && u.live + u.dead < SMALL_PACK).length;
  const rewrite = new Set<string>();
  const remove = new Set<string>();
  for (const [name, u] of usage) {
    if (u.live === 0) remove.add(name);
    else if (u.dead > u.live || (small > 1 && u.live + u.dead < SMALL_PACK)) rewrite.add(name);
  }
  const scratch: StorageContext = { ...ctx, index: new BlobIndex(), indexFiles: new Set() };
  const repacker = new PackWriter(scratch, () => undefined);
  const kept = new Map<string, IndexPack['entries'][number][]>();
  let reading: { name: string; file: PackFile } | undefined;
  for (const { id, location } of ctx.index.entries()) {
    if (!live.has(idKey(id))) continue;
    const name = location.pack.name;
    if (rewrite.has(name)) {
      if (reading?.name !== name) {
        await reading?.file.close();
        reading = { name, file: await openPack(ctx.fs, location.pack.path) };
      }
      const sealed = await reading.file.read(location.offset, location.length);
      if (!sealed) throw new StorageError('damaged', `${packFile(name)} is truncated; run storages check`);
      await repacker.add(location.kind, id, [sealed], location.rawLength);
    } else {
      const list = kept.get(name) ?? [];
      list.push({ id, kind: location.kind, offset: location.offset, length: location.length, rawLength: location.rawLength });
      kept.set(name, list);
    }
  }
  await reading?.file.close();
  await repacker.flush();
  const repacked = repacker.takeFinished();

  // 5. One new index for everything live, then the old index files, then the dead packs.
  const oldIndexFiles = [...ctx.indexFiles];
  const keptPacks: IndexPack[] = [...kept].map(([name, entries]) => ({ name, entries }));
  await deps.lock.assertHeld();
  await writeIndexFiles(scratch, [...keptPacks, ...repacked.packs], repacked.refs);
  for (const name of oldIndexFiles) await unlinkQuietly(ctx.fs, join(ctx.layout.index, name));
  await syncFolder(ctx.fs, ctx.layout.index);
  let bytesFreed = 0;
  const doomed = new Set([...remove, ...rewrite]);
  // Packs no index ever named (left by a killed cycle) go too; not the ones just written.
  const fresh = new Set(repacked.packs.map((p) => p.name));
  for (const dir of await listFolders(ctx.fs, ctx.layout.packs)) {
    for (const name of await listFiles(ctx.fs, join(ctx.layout.packs, dir))) if (HEX32.test(name) && !usage.has(name) && !fresh.has(name)) doomed.add(name);
  }
  const touched = new Set<string>();
  for (const name of doomed) {
    const path = packPath(ctx.layout, name);
    bytesFreed += await ctx.fs.lstat(path).then((s) => s.size, () => 0);
    await unlinkQuietly(ctx.fs, path);
    touched.add(packFolder(ctx.layout, name));
  }
  for (const dir of touched) await syncFolder(ctx.fs, dir);
  bytesFreed -= repacked.packs.reduce((sum, p) => sum + p.entries.reduce((s, e) => s + e.length, 0), 0);

  ctx.index.clear();
  ctx.indexFiles.clear();
  await loadNewIndexFiles(ctx);
  return { itemsExpired, snapshotsRemoved, packsRemoved: doomed.size, packsRewritten: rewrite.size, bytesFreed: Math.max(0, bytesFreed) };
}
