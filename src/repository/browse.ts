/** `storages browse`: one level of the tree, addressed by the names users see (contract §8.1). */
import type { BrowseEntry, BrowseListing, FolderState, SnapshotReader, SourceSummary } from './api.js';
import { StorageError } from './api.js';

export interface BrowseSource {
  sources(): Promise<readonly SourceSummary[]>;
  latest(sourceKey: string): Promise<SnapshotReader | undefined>;
}

/** The longest of `names` that `path` is or starts with (followed by '/'); names may hold '/'. */
function longestPrefix<T>(path: string, candidates: readonly T[], nameOf: (c: T) => string, prefer: (c: T) => boolean): T | undefined {
  let best: T | undefined;
  for (const c of candidates) {
    const name = nameOf(c);
    if (path !== name && !path.startsWith(`${name}/`)) continue;
    if (!best || name.length > nameOf(best).length || (name.length === nameOf(best).length && prefer(c) && !prefer(best))) best = c;
  }
  return best;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name);
}

/** A folder's size as users expect it: its items and everything below it. */
function subtreeBytes(folders: readonly FolderState[]): Map<string, number> {
  const children = new Map<string | null, FolderState[]>();
  for (const f of folders) {
    const list = children.get(f.parentId);
    if (list) list.push(f);
    else children.set(f.parentId, [f]);
  }
  const totals = new Map<string, number>();
  const total = (f: FolderState, depth: number): number => {
    const known = totals.get(f.id);
    if (known !== undefined) return known;
    // Folders arrive as a tree (orderFolders cut any cycle at commit); the depth guard is only a fuse.
    const sum = f.bytes + (depth > 1000 ? 0 : (children.get(f.id) ?? []).reduce((s, c) => s + total(c, depth + 1), 0));
    totals.set(f.id, sum);
    return sum;
  };
  for (const f of folders) total(f, 0);
  return totals;
}

export async function browse(from: BrowseSource, rawPath: string): Promise<BrowseListing> {
  const path = rawPath.replace(/^\/+|\/+$/g, '');
  const sources = await from.sources();
  if (path === '') {
    const entries = sources.map((s): BrowseEntry => ({ name: s.source.name, kind: 'source', size: s.latest.bytes, date: s.latest.time })).sort(byName);
    return { path: '', entries };
  }
  const source = longestPrefix(path, sources, (s) => s.source.name, () => true);
  if (!source) throw new StorageError('not-found', 'no source of that name in this storage');
  const reader = (await from.latest(source.source.key))!;
  const folders = reader.folders();
  let rest = path.slice(source.source.name.length + 1);
  let folder: FolderState | undefined;
  const resolved = [source.source.name];
  while (rest !== '') {
    const parentId = folder?.id ?? null;
    const children = folders.filter((f) => f.parentId === parentId);
    const next = longestPrefix(rest, children, (f) => f.name, (f) => !f.deletedAt);
    if (!next) throw new StorageError('not-found', `no folder of that name in ${resolved.join('/')}`);
    folder = next;
    resolved.push(next.name);
    rest = rest.slice(next.name.length + 1);
  }
  const parentId = folder?.id ?? null;
  const totals = subtreeBytes(folders);
  const entries: BrowseEntry[] = folders
    .filter((f) => f.parentId === parentId)
    .sort(byName)
    .map((f) => ({ name: f.name, kind: 'folder', id: f.id, size: totals.get(f.id) ?? f.bytes, ...(f.deletedAt ? { deleted: true } : {}) }));
  if (folder) {
    const items: BrowseEntry[] = [];
    for await (const item of reader.items(folder.id)) {
      items.push({ name: item.name, kind: 'item', id: item.id, size: item.size, date: item.date, ...(item.title !== undefined ? { title: item.title } : {}), ...(item.deletedAt || folder.deletedAt ? { deleted: true } : {}) });
    }
    // Newest first, as a mail client lists a folder.
    items.sort((a, b) => (a.date! < b.date! ? 1 : a.date! > b.date! ? -1 : 0));
    entries.push(...items);
  }
  return { path: resolved.join('/'), entries };
}
