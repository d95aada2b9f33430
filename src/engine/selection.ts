import type { ItemEntry, SnapshotReader, SourceSummary, Storage } from '../repository/api.js';
import { StorageError } from '../repository/api.js';
import { FolderResolver } from './folder-resolver.js';

/**
 * What a browse path (`<source>/<folder>/…`, contracts §8.1) names in a storage, for restore and
 * export: the source (a UPN, or a site as `host/sites/name`, itself holding slashes), the folder,
 * and the items under it (all, or the listed ids, deleted ones within retention included).
 */

export interface Selection {
  readonly source: SourceSummary;
  readonly reader: SnapshotReader;
  readonly resolver: FolderResolver;
  /** The folder named by the path; undefined = the whole source. */
  readonly folderId?: string;
  readonly folderPath: readonly string[];
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '');
}

/** The source whose name is the longest prefix of the path, and the folder names after it. */
export function matchSource(sources: readonly SourceSummary[], path: string): { source: SourceSummary; rest: string[] } | undefined {
  const parts = splitPath(path);
  let best: { source: SourceSummary; rest: string[] } | undefined;
  for (const source of sources) {
    const name = splitPath(source.source.name);
    if (name.length > parts.length) continue;
    if (!name.every((p, i) => p.toLowerCase() === parts[i]?.toLowerCase())) continue;
    if (!best || name.length > splitPath(best.source.source.name).length) best = { source, rest: parts.slice(name.length) };
  }
  return best;
}

export async function select(storage: Storage, path: string): Promise<Selection> {
  const sources = await storage.sources();
  const match = matchSource(sources, path);
  if (!match) throw new StorageError('not-found', `The storage holds no source at '${path.slice(0, 200)}'; see 'storages browse' for the sources.`);
  const reader = await storage.latest(match.source.source.key);
  if (!reader) throw new StorageError('not-found', `The storage holds no snapshot of '${match.source.source.name}'.`);
  const resolver = new FolderResolver(reader.folders());
  if (match.rest.length === 0) return { source: match.source, reader, resolver, folderPath: [] };
  const folder = resolver.byPath(match.rest);
  if (!folder) throw new StorageError('not-found', `No folder '${match.rest.join('/').slice(0, 200)}' in '${match.source.source.name}'; see 'storages browse'.`);
  return { source: match.source, reader, resolver, folderId: folder.id, folderPath: match.rest };
}

export interface SelectedItem {
  readonly folderId: string;
  readonly item: ItemEntry;
}

/** The items a selection names: the listed ids anywhere under it, or every live item beneath. */
export async function* selectedItems(selection: Selection, ids?: readonly string[]): AsyncGenerator<SelectedItem> {
  const roots = selection.folderId !== undefined ? selection.resolver.subtree(selection.folderId) : selection.reader.folders().map((f) => f.id);
  const wanted = ids ? new Set(ids) : undefined;
  for (const folderId of roots) {
    for await (const item of selection.reader.items(folderId)) {
      if (wanted ? wanted.has(item.id) : item.deletedAt === undefined) yield { folderId, item };
    }
  }
}
