/** Graph's JSON for drive and driveItem resources of a SharePoint document library. */
import type { Drive, DriveItemRecord } from './drive.js';
import type { SiteRef } from './store.js';

export const graphDate = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const SYSTEM = { user: { displayName: 'System Account' } };
const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

export function libraryUrl(site: SiteRef, drive: Drive): string {
  return `https://${site.key}/${encodePath(drive.library.urlName)}`;
}

export function driveJson(site: SiteRef, drive: Drive): Record<string, unknown> {
  const used = drive.size(drive.root);
  return {
    createdDateTime: graphDate(drive.created),
    description: drive.library.description,
    id: drive.id,
    lastModifiedDateTime: graphDate(drive.root.modified),
    name: drive.library.name,
    webUrl: libraryUrl(site, drive),
    driveType: 'documentLibrary',
    createdBy: SYSTEM,
    lastModifiedBy: SYSTEM,
    quota: { deleted: 0, remaining: 27_487_790_694_400 - used, state: 'normal', total: 27_487_790_694_400, used },
  };
}

export interface ItemJsonOptions {
  /** Delta answers leave parentReference.path out, as Graph does. */
  readonly delta?: boolean;
  readonly downloadUrl?: string;
  readonly wanted?: Set<string>;
}

export function itemJson(site: SiteRef, drive: Drive, item: DriveItemRecord, options: ItemJsonOptions = {}): Record<string, unknown> {
  const parent = item.parentId ? drive.item(item.parentId) : undefined;
  const parentReference: Record<string, unknown> = { driveType: 'documentLibrary', driveId: drive.id };
  if (item.kind !== 'root') parentReference.id = item.parentId;
  if (parent && !options.delta) {
    parentReference.name = parent.kind === 'root' ? drive.library.urlName : parent.name;
    parentReference.path = `/drives/${drive.id}/root:${parent.kind === 'root' ? '' : `/${drive.path(parent)}`}`;
  }
  parentReference.siteId = site.graphId;
  if (item.deleted) {
    return {
      '@odata.type': '#microsoft.graph.driveItem',
      id: item.id,
      name: item.name,
      parentReference,
      ...(item.kind === 'file' ? { file: {} } : { folder: { childCount: 0 } }),
      deleted: { state: 'deleted' },
    };
  }
  const path = drive.path(item);
  const entity: Record<string, unknown> = {
    '@odata.type': '#microsoft.graph.driveItem',
    ...(item.kind === 'file' && options.downloadUrl ? { '@microsoft.graph.downloadUrl': options.downloadUrl } : {}),
    createdDateTime: graphDate(item.created),
    eTag: drive.etag(item),
    id: item.id,
    lastModifiedDateTime: graphDate(item.modified),
    name: item.name,
    webUrl: path ? `${libraryUrl(site, drive)}/${encodePath(path)}` : libraryUrl(site, drive),
    cTag: drive.ctag(item),
    size: drive.size(item),
    createdBy: SYSTEM,
    lastModifiedBy: SYSTEM,
    parentReference,
    fileSystemInfo: { createdDateTime: graphDate(item.created), lastModifiedDateTime: graphDate(item.modified) },
  };
  if (item.kind === 'file') entity.file = { mimeType: item.mimeType ?? 'application/octet-stream', hashes: { quickXorHash: drive.quickXor(item) } };
  else entity.folder = { childCount: drive.childrenOf(item.id).length };
  if (item.kind === 'root') entity.root = {};
  if (!options.wanted) return entity;
  const wanted = options.wanted;
  return Object.fromEntries(Object.entries(entity).filter(([k]) => k.startsWith('@') || k === 'id' || wanted.has(k.toLowerCase())));
}
