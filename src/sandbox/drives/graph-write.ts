/**
 * Drive writes a restore uses: PUT …/content (up to 250 MB; 201 new, 200 replaced), createUploadSession
 * (ranges PUT to the SharePoint upload URL, see transfer.ts), POST …/children for folders, PATCH to
 * rename or move, DELETE. `@microsoft.graph.conflictBehavior`: fail (409 nameAlreadyExists), replace
 * (the default for files), rename ("name 1.ext").
 */
import { QuickXor } from './quickxor.js';
import { GRAPH_BASE, graphError, graphOk, requirePermission, SITES_DENIED, type Permission } from '../graph/common.js';
import { emptyReply, jsonReply, type Reply } from '../http.js';
import { isObject } from '../jwt.js';
import type { Blob } from '../data/blobs.js';
import type { DriveItemRecord, FileContent } from './drive.js';
import { itemJson } from './graph-json.js';
import { driveError, itemNotFound, type DriveRequest, type ItemAddress } from './graph.js';
import { uploadUrl } from './transfer.js';

const WRITE_APP = ['Files.ReadWrite.All', 'Sites.ReadWrite.All', 'Sites.Manage.All', 'Sites.FullControl.All'];
const WRITE: Permission = { app: WRITE_APP, delegated: [...WRITE_APP, 'Files.ReadWrite'] };

const MIME: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  md: 'text/markdown',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  zip: 'application/zip',
};

const mimeOf = (name: string): string => MIME[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
type Conflict = 'fail' | 'replace' | 'rename';

function conflictOf(value: unknown, fallback: Conflict): Conflict {
  return value === 'fail' || value === 'replace' || value === 'rename' ? value : fallback;
}

function blobContent(blob: Blob, quickXor: string): FileContent {
  return { kind: 'blob', blob, quickXor };
}

/** Where a path-addressed new file goes: its folder and name. */
function target(r: DriveRequest, at: ItemAddress): { parent: DriveItemRecord; name: string } | undefined {
  if (at.path === undefined) return undefined;
  const parts = at.path.split('/').filter(Boolean);
  const name = parts.pop();
  const parent = r.drive.byPath(parts.join('/'), at.base);
  return parent && name ? { parent, name } : undefined;
}

/** Stores `content` as the file at parent/name under the conflict rule: 201 created or 200 replaced. */
function storeFile(r: DriveRequest, parent: DriveItemRecord, name: string, content: FileContent, conflict: Conflict, times?: { modified?: Date }): Reply {
  const { drive, ctx, site } = r;
  const existing = drive.childrenOf(parent.id).find((c) => c.name.toLowerCase() === name.toLowerCase());
  let item: DriveItemRecord;
  let status = 201;
  if (existing && conflict === 'replace' && existing.kind === 'file') {
    item = drive.replaceContent(existing.id, content, ctx.now);
    status = 200;
  } else {
    if (existing && conflict === 'fail') return graphError(ctx, 409, 'nameAlreadyExists', 'The specified item name already exists.');
    item = drive.addFile(parent.id, existing ? drive.freeName(parent.id, name) : name, mimeOf(name), content, ctx.now);
  }
  if (times?.modified) item.modified = times.modified;
  return graphOk(ctx, status, { '@odata.context': `${GRAPH_BASE}/$metadata#drives('${drive.id}')/items/$entity`, ...itemJson(site, drive, item) });
}

function uploadSession(r: DriveRequest, at: ItemAddress): Reply {
  const { ctx, drive, world, site } = r;
  const where = target(r, at);
  if (!where) return itemNotFound(ctx);
  const body = ctx.json();
  const item = isObject(body) && isObject(body.item) ? body.item : {};
  const conflict = conflictOf(item['@microsoft.graph.conflictBehavior'], 'replace');
  const size = typeof item.fileSize === 'number' ? item.fileSize : -1;
  const exists = drive.childrenOf(where.parent.id).some((c) => c.name.toLowerCase() === where.name.toLowerCase());
  if (exists && conflict === 'fail') return graphError(ctx, 409, 'nameAlreadyExists', 'The specified item name already exists.');
  const info = isObject(item.fileSystemInfo) ? item.fileSystemInfo : {};
  const modified = typeof info.lastModifiedDateTime === 'string' && !Number.isNaN(Date.parse(info.lastModifiedDateTime)) ? new Date(info.lastModifiedDateTime) : undefined;
  const expires = new Date(ctx.now.getTime() + 24 * 3_600_000);
  const hash = new QuickXor();
  const session = world.data.uploads.open({
    size,
    expires,
    observe: (chunk) => hash.update(chunk),
    progress: (next) => jsonReply(202, { expirationDateTime: expires.toISOString(), nextExpectedRanges: [`${next}-${session.size - 1}`] }),
    error: (status, code, message) => jsonReply(status, { error: { code, message } }),
    complete: (blob) => {
      try {
        return storeFile(r, where.parent, where.name, blobContent(blob, hash.digest()), conflict, modified ? { modified } : {});
      } catch (e) {
        return driveError(ctx, e);
      }
    },
  });
  return graphOk(ctx, 200, {
    '@odata.context': `${GRAPH_BASE}/$metadata#microsoft.graph.uploadSession`,
    uploadUrl: uploadUrl(world, site, drive, where.parent.id, session.id, ctx.now),
    expirationDateTime: expires.toISOString(),
    nextExpectedRanges: ['0-'],
  });
}

export function driveWrite(r: DriveRequest, at: ItemAddress): Reply {
  const { ctx, drive, world, site } = r;
  const denied = requirePermission(ctx, r.caller, WRITE, SITES_DENIED);
  if (denied) return denied;
  const tail = at.tail.toLowerCase();
  const conflictParam = ctx.url.searchParams.get('@microsoft.graph.conflictBehavior');
  try {
    if (ctx.method === 'PUT' && tail === '/content') {
      const hash = new QuickXor();
      hash.update(ctx.body);
      const content = blobContent(world.data.blobs.put(ctx.body), hash.digest());
      if (at.path === undefined) {
        if (at.base.kind !== 'file') return graphError(ctx, 400, 'invalidRequest', 'Only files have content.');
        const item = drive.replaceContent(at.base.id, content, ctx.now);
        return graphOk(ctx, 200, itemJson(site, drive, item));
      }
      const where = target(r, at);
      if (!where) return itemNotFound(ctx);
      return storeFile(r, where.parent, where.name, content, conflictOf(conflictParam, 'replace'));
    }
    if (ctx.method === 'POST' && tail === '/createuploadsession') return uploadSession(r, at);
    const item = at.path === undefined ? at.base : drive.byPath(at.path, at.base);
    if (!item) return itemNotFound(ctx);
    if (ctx.method === 'POST' && tail === '/children') {
      const body = ctx.json();
      if (!isObject(body) || typeof body.name !== 'string' || !isObject(body.folder)) return graphError(ctx, 400, 'invalidRequest', 'A folder needs a name and the folder facet.');
      const conflict = conflictOf(body['@microsoft.graph.conflictBehavior'], 'fail');
      const existing = drive.childrenOf(item.id).find((c) => c.name.toLowerCase() === String(body.name).toLowerCase());
      if (existing && conflict === 'replace' && existing.kind === 'folder') return graphOk(ctx, 201, itemJson(site, drive, existing));
      const name = existing && conflict === 'rename' ? drive.freeName(item.id, body.name) : body.name;
      return graphOk(ctx, 201, { '@odata.context': `${GRAPH_BASE}/$metadata#drives('${drive.id}')/items/$entity`, ...itemJson(site, drive, drive.addFolder(item.id, name, ctx.now)) });
    }
    if (tail === '' && ctx.method === 'PATCH') {
      const body = ctx.json();
      if (!isObject(body)) return graphError(ctx, 400, 'invalidRequest', 'The request body must be a JSON object.');
      const parentId = isObject(body.parentReference) && typeof body.parentReference.id === 'string' ? body.parentReference.id : undefined;
      const updated = drive.update(item.id, { ...(typeof body.name === 'string' ? { name: body.name } : {}), ...(parentId ? { parentId } : {}) }, ctx.now);
      return graphOk(ctx, 200, itemJson(site, drive, updated));
    }
    if (tail === '' && ctx.method === 'DELETE') {
      drive.delete(item.id);
      return emptyReply(204);
    }
  } catch (e) {
    return driveError(ctx, e);
  }
  return graphError(ctx, 405, 'invalidRequest', 'Method not allowed.');
}
