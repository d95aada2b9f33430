/** `sandbox.drives`: read back and change document libraries behind the API's back (control-types.ts). */
import { createHash } from 'node:crypto';
import { readAll } from '../data/bytes.js';
import { derive } from '../data/random.js';
import type { SandboxData } from '../data/world.js';
import type { Directory } from '../directory.js';
import { SandboxControlError } from '../identity/device-code.js';
import { DriveError, type Drive, type DriveItemRecord, type FileContent } from './drive.js';
import { libraryUrl, graphDate } from './graph-json.js';
import { QuickXor } from './quickxor.js';
import { siteRef, type SiteRef } from './store.js';
import type { FileContentInput, SandboxDriveItemInfo, SandboxDrives } from './control-types.js';

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DriveError) throw new SandboxControlError(e.message, e.status);
    throw e;
  }
}

export function driveControl(data: SandboxData, directory: Directory): SandboxDrives {
  const sites = (): SiteRef[] => directory.tenants.flatMap((t) => t.sites.map((s) => siteRef(t, s)));
  const siteOf = (name: string): SiteRef | undefined => {
    const n = name.replace(/^https:\/\//i, '').replace(/\/+$/, '').toLowerCase();
    return sites().find((s) => s.key.toLowerCase() === n || s.graphId.toLowerCase() === n);
  };
  const open = (name: string): { drive: Drive; site: SiteRef } => {
    const byId = data.drives.drive(name);
    if (byId) return byId;
    const site = siteOf(name);
    if (site) {
      const [first] = data.drives.drivesOf(site);
      if (first) return { drive: first, site };
    }
    const slash = name.lastIndexOf('/');
    const owner = slash > 0 ? siteOf(name.slice(0, slash)) : undefined;
    const drive = owner && data.drives.drivesOf(owner).find((d) => d.library.name.toLowerCase() === name.slice(slash + 1).toLowerCase());
    if (owner && drive) return { drive, site: owner };
    throw new SandboxControlError(`No document library '${name}' in the sandbox.`, 404);
  };
  const itemOf = (drive: Drive, ref: string): DriveItemRecord => {
    const item = drive.item(ref) ?? drive.byPath(ref);
    if (!item) throw new SandboxControlError(`No item '${ref}' in ${drive.library.name}.`, 404);
    return item;
  };
  const info = (drive: Drive, item: DriveItemRecord): SandboxDriveItemInfo => ({
    id: item.id,
    path: drive.path(item),
    name: item.name,
    kind: item.kind === 'file' ? 'file' : 'folder',
    size: drive.size(item),
    ...(item.mimeType ? { mimeType: item.mimeType } : {}),
    ...(item.kind === 'file' ? { quickXorHash: drive.quickXor(item) ?? '' } : {}),
    eTag: drive.etag(item),
    lastModifiedDateTime: graphDate(item.modified),
  });
  let counter = 0;
  const contentOf = (input: FileContentInput, mimeType: string): FileContent => {
    if (typeof input === 'object' && !Buffer.isBuffer(input)) {
      counter += 1;
      return { kind: 'seed', file: { key: derive(data.options.seed, 'control-file', counter), size: input.size, text: false, signature: '', mimeType } };
    }
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    const hash = new QuickXor();
    hash.update(bytes);
    return { kind: 'blob', blob: data.blobs.put(bytes), quickXor: hash.digest() };
  };
  const split = (path: string): { parent: string; name: string } => {
    const parts = path.split('/').filter(Boolean);
    const name = parts.pop() ?? '';
    return { parent: parts.join('/'), name };
  };
  return {
    list: (site) => (site === undefined ? sites() : [siteOf(site) ?? open(site).site]).flatMap((s) => data.drives.drivesOf(s).map((d) => ({ id: d.id, site: s.key, name: d.library.name, webUrl: libraryUrl(s, d) }))),
    items: (name, folder = '') => {
      const { drive } = open(name);
      const out: SandboxDriveItemInfo[] = [];
      const walk = (at: DriveItemRecord): void => {
        for (const child of drive.childrenOf(at.id)) {
          out.push(info(drive, child));
          walk(child);
        }
      };
      walk(folder ? itemOf(drive, folder) : drive.root);
      return out;
    },
    item: (name, ref) => {
      const { drive } = open(name);
      const item = drive.item(ref) ?? drive.byPath(ref);
      return item ? info(drive, item) : undefined;
    },
    content: async (name, ref) => {
      const { drive } = open(name);
      return readAll(drive.content(itemOf(drive, ref)));
    },
    sha256: async (name, ref) => {
      const { drive } = open(name);
      const hash = createHash('sha256');
      for await (const chunk of drive.content(itemOf(drive, ref)).chunks()) hash.update(chunk);
      return hash.digest('hex');
    },
    addFile: (name, path, content) => {
      const { drive } = open(name);
      const { parent, name: file } = split(path);
      return wrap(() => drive.addFile(itemOf(drive, parent || drive.root.id).id, file, 'application/octet-stream', contentOf(content, 'application/octet-stream'), data.clock()).id);
    },
    changeFile: (name, ref, content) => {
      const { drive } = open(name);
      const item = itemOf(drive, ref);
      wrap(() => drive.replaceContent(item.id, contentOf(content, item.mimeType ?? 'application/octet-stream'), data.clock()));
    },
    addFolder: (name, path) => {
      const { drive } = open(name);
      const { parent, name: folder } = split(path);
      return wrap(() => drive.addFolder(itemOf(drive, parent || drive.root.id).id, folder, data.clock()).id);
    },
    rename: (name, ref, newName) => {
      const { drive } = open(name);
      wrap(() => drive.update(itemOf(drive, ref).id, { name: newName }, data.clock()));
    },
    move: (name, ref, folder) => {
      const { drive } = open(name);
      wrap(() => drive.update(itemOf(drive, ref).id, { parentId: itemOf(drive, folder || drive.root.id).id }, data.clock()));
    },
    delete: (name, ref) => {
      const { drive } = open(name);
      wrap(() => drive.delete(itemOf(drive, ref).id));
    },
    expireDeltaTokens: (name) => {
      for (const d of name === undefined ? data.drives.openedDrives().map((x) => x.drive) : [open(name).drive]) d.epoch += 1;
    },
  };
}
