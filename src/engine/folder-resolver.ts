/**
 * Folder ids ↔ the paths users see (`Inbox/Projects`, `Shared Documents/2026`): one resolver shared
 * by backup (restore folders keep the original path), browse and restore, as corso's
 * container_resolver does. Built from a snapshot's folder list (parents by id).
 */

export interface ResolvableFolder {
  readonly id: string;
  readonly parentId: string | null;
  readonly name: string;
  readonly deletedAt?: string;
}

export class FolderResolver {
  readonly #byId = new Map<string, ResolvableFolder>();
  readonly #paths = new Map<string, string[]>();

  constructor(folders: readonly ResolvableFolder[]) {
    for (const folder of folders) this.#byId.set(folder.id, folder);
  }

  folder(id: string): ResolvableFolder | undefined {
    return this.#byId.get(id);
  }

  /** The folder's path as names from the top; [] when unknown. A cycle in parents stops the walk. */
  path(id: string): readonly string[] {
    const cached = this.#paths.get(id);
    if (cached) return cached;
    const names: string[] = [];
    const seen = new Set<string>();
    for (let f = this.#byId.get(id); f && !seen.has(f.id); f = f.parentId === null ? undefined : this.#byId.get(f.parentId)) {
      seen.add(f.id);
      names.unshift(f.name);
    }
    this.#paths.set(id, names);
    return names;
  }

  /** The folder at a path of names (live folders first), or undefined. */
  byPath(names: readonly string[]): ResolvableFolder | undefined {
    let candidates = [...this.#byId.values()].filter((f) => f.parentId === null || !this.#byId.has(f.parentId));
    let found: ResolvableFolder | undefined;
    for (const name of names) {
      const matches = candidates.filter((f) => f.name === name).sort((a, b) => Number(a.deletedAt !== undefined) - Number(b.deletedAt !== undefined));
      found = matches[0];
      if (!found) return undefined;
      const parent = found.id;
      candidates = [...this.#byId.values()].filter((f) => f.parentId === parent);
    }
    return found;
  }

  /** The folder and every folder beneath it. */
  subtree(id: string): string[] {
    const out = [id];
    for (let i = 0; i < out.length; i++) {
      for (const f of this.#byId.values()) if (f.parentId === out[i]) out.push(f.id);
    }
    return out;
  }
}

/** A name safe as one path segment on disk (export): no separators, no control characters, not empty. */
export function safeFileName(name: string, fallback = 'item'): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^\.+$/, '_').trim().slice(0, 120);
  return cleaned === '' ? fallback : cleaned;
}
