import { classifyFailure, failsCycle } from '../../m365/data/classify.js';
import type { DrivesApi } from '../../m365/data/drives.js';
import type { Storage } from '../../repository/api.js';
import type { EngineContext } from '../context.js';
import { describeFailure } from '../cycle.js';
import type { RestoreSummary } from '../exchange-online/restore.js';
import type { Selection, SelectedItem } from '../selection.js';
import { selectedItems } from '../selection.js';

/**
 * Restore into a site's library: a folder `Restored <date>` (or the one asked for) at the root of
 * the library the files came from (or its namesake in the target site), the original folders
 * beneath, each file by one PUT up to 250 MB or an upload session above. A file is read from the
 * storage range by range, so a large one is never held whole.
 */

export async function restoreToSite(options: {
  storage: Storage;
  selection: Selection;
  items?: readonly string[];
  api: DrivesApi;
  /** The target site's id. */
  siteId: string;
  siteName: string;
  folderName: string;
  ctx: EngineContext;
}): Promise<RestoreSummary> {
  const { api, ctx, selection } = options;
  const summary: RestoreSummary = { restored: 0, bytes: 0, errors: [] };
  const drives = await api.drives(options.siteId);
  const targets = new Map<string, { driveId: string; folderId: string }>();
  const targetFor = async (folderId: string) => {
    const known = targets.get(folderId);
    if (known) return known;
    const [library, ...rest] = selection.resolver.path(folderId);
    const drive = drives.find((d) => d.name === library) ?? drives[0];
    if (!drive) throw new Error(`The site has no document library to restore into.`);
    let parent = await api.ensureFolder(drive.id, await api.rootId(drive.id), options.folderName);
    for (const name of rest) parent = await api.ensureFolder(drive.id, parent, name);
    const target = { driveId: drive.id, folderId: parent };
    targets.set(folderId, target);
    return target;
  };
  const one = async ({ folderId, item }: SelectedItem) => {
    const target = await targetFor(folderId);
    const stream = options.storage.readContent(item.content)[Symbol.asyncIterator]();
    let buffered = Buffer.alloc(0);
    let offset = 0;
    // Ranges are asked for in order; read the stream forward just far enough for each.
    const read = async (start: number, end: number): Promise<Uint8Array> => {
      while (offset + buffered.length < end) {
        const next = await stream.next();
        if (next.done) break;
        buffered = Buffer.concat([buffered, Buffer.from(next.value as Uint8Array)]);
      }
      const slice = buffered.subarray(start - offset, end - offset);
      buffered = buffered.subarray(end - offset);
      offset = end;
      return slice;
    };
    await api.upload(target.driveId, target.folderId, item.name, item.content.size, read);
    summary.restored++;
    summary.bytes += item.content.size;
    ctx.emit({ type: 'item', source: options.siteName, bytes: item.content.size, action: 'restored' });
  };
  for await (const selected of selectedItems(selection, options.items)) {
    if (ctx.stopRequested()) break;
    if (selected.item.kind !== 'file') continue;
    try {
      await one(selected);
    } catch (error) {
      if (failsCycle(classifyFailure(error))) throw error;
      const message = describeFailure(error);
      summary.errors.push({ source: options.siteName, item: selected.item.id, message });
      ctx.emit({ type: 'error', source: options.siteName, message });
    }
  }
  return summary;
}
