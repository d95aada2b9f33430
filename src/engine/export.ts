import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { CycleError } from '../domain/index.js';
import type { Storage } from '../repository/api.js';
import type { EngineContext } from './context.js';
import { safeFileName } from './folder-resolver.js';
import { select, selectedItems } from './selection.js';

/**
 * `restore export`: items as they were at the source, into a folder: messages as `.eml`, byte for
 * byte the MIME the source served; files with their names, in their folders. Nothing is
 * overwritten and no link is followed (O_EXCL | O_NOFOLLOW).
 */

export interface ExportSummary {
  exported: number;
  bytes: number;
  readonly errors: CycleError[];
  readonly files: string[];
}

export async function exportItems(options: { storage: Storage; from: string; items?: readonly string[]; out: string; ctx: EngineContext }): Promise<ExportSummary> {
  const { storage, ctx } = options;
  const selection = await select(storage, options.from);
  const summary: ExportSummary = { exported: 0, bytes: 0, errors: [], files: [] };
  const source = selection.source.source;
  const root = join(options.out, ...source.name.split('/').map((p) => safeFileName(p)));
  for await (const { folderId, item } of selectedItems(selection, options.items)) {
    if (ctx.stopRequested()) break;
    const dir = join(root, ...selection.resolver.path(folderId).map((p) => safeFileName(p)));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const short = createHash('sha256').update(item.id).digest('hex').slice(0, 8);
    const name = item.kind === 'message' ? `${safeFileName(item.title ?? item.name, 'message').slice(0, 80)} ${short}.eml` : safeFileName(item.name, `file ${short}`);
    let target = join(dir, name);
    let handle;
    try {
      handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      target = join(dir, `${short} ${name}`);
      handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    }
    try {
      for await (const chunk of storage.readContent(item.content)) await handle.write(chunk as Uint8Array);
      await handle.sync();
    } finally {
      await handle.close();
    }
    summary.exported++;
    summary.bytes += item.content.size;
    summary.files.push(target);
    ctx.emit({ type: 'item', source: source.name, bytes: item.content.size, action: 'exported' });
  }
  return summary;
}
