/** Where each file of a storage lives (DESIGN.md, "Files"). */
import { join } from 'node:path';

export interface Layout {
  readonly root: string;
  readonly config: string;
  readonly keys: string;
  readonly recovery: string;
  readonly packs: string;
  readonly index: string;
  readonly snapshots: string;
  readonly locks: string;
  readonly tmp: string;
}

export function layoutOf(root: string): Layout {
  return {
    root,
    config: join(root, 'config'),
    keys: join(root, 'keys'),
    recovery: join(root, 'keys', 'recovery'),
    packs: join(root, 'packs'),
    index: join(root, 'index'),
    snapshots: join(root, 'snapshots'),
    locks: join(root, 'locks'),
    tmp: join(root, 'tmp'),
  };
}

/** The folders `create` makes, in order. */
export function folders(layout: Layout): string[] {
  return [layout.keys, layout.packs, layout.index, layout.snapshots, layout.locks, layout.tmp];
}

export function packFolder(layout: Layout, name: string): string {
  return join(layout.packs, name.slice(0, 2));
}

export function packPath(layout: Layout, name: string): string {
  return join(layout.packs, name.slice(0, 2), name);
}

/** How a pack or index file is named relative to the storage folder, in messages. */
export function packFile(name: string): string {
  return `packs/${name.slice(0, 2)}/${name}`;
}

export const HEX32 = /^[0-9a-f]{32}$/;
