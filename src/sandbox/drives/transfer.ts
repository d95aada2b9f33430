/**
 * The SharePoint side of drive content: `/_layouts/15/download.aspx?UniqueId=…&tempauth=…`, the
 * pre-authenticated URL Graph's `…/content` redirects to (and `@microsoft.graph.downloadUrl`), and
 * `/_api/v2.0/drives/…/uploadSession?…&tempauth=…`, an upload session's URL.
 *
 * The tempauth is the only credential. Microsoft's docs say an Authorization header is not needed
 * and used to be ignored; what tenants answer today when a client forwards its Graph bearer token
 * through the redirect is 401 (the token's audience is Graph, not SharePoint; msgraph-sdk-dotnet
 * #3057, onedrive-api-docs #1901). The sandbox does the same, so a client that keeps the header
 * fails here as it would there.
 */
import { emptyReply, htmlReply, jsonReply, streamReply, type Reply, type RequestContext } from '../http.js';
import { SHAREPOINT_APP_ID } from '../well-known.js';
import type { World } from '../world.js';
import type { Drive, DriveItemRecord } from './drive.js';
import type { SiteRef } from './store.js';

const LIFETIME_MS = 60 * 60_000;
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A tempauth token: looks like SharePoint's (an unsigned JWT) and carries a sealed part the sandbox checks. */
function tempauth(site: SiteRef, now: Date, sealed: string): string {
  const nbf = Math.floor(now.getTime() / 1000);
  const payload = {
    aud: `${SHAREPOINT_APP_ID}/${site.tenant.sharePointHost}@${site.tenant.id}`,
    iss: SHAREPOINT_APP_ID,
    nbf: String(nbf),
    exp: String(nbf + LIFETIME_MS / 1000),
    isloopback: 'True',
    ver: 'hashedprooftoken',
    siteid: Buffer.from(site.site.siteId).toString('base64'),
    tid: site.tenant.id,
  };
  return `${b64({ typ: 'JWT', alg: 'none' })}.${b64(payload)}.${sealed}`;
}

function sealedPart(token: string): string {
  return token.split('.')[2] ?? '';
}

export function downloadUrl(world: World, site: SiteRef, drive: Drive, item: DriveItemRecord, now: Date): string {
  const sealed = world.data.tokens.seal('download', { d: drive.id, i: item.id, exp: now.getTime() + LIFETIME_MS });
  return `https://${site.key}/_layouts/15/download.aspx?UniqueId=${item.uniqueId.toLowerCase()}&Translate=false&tempauth=${tempauth(site, now, sealed)}&ApiVersion=2.0`;
}

export function uploadUrl(world: World, site: SiteRef, drive: Drive, parentId: string, sessionId: string, now: Date): string {
  const sealed = world.data.tokens.seal('drive-upload', { s: sessionId });
  return `https://${site.key}/_api/v2.0/drives/${drive.id}/items/${parentId}/uploadSession?guid='${sessionId}'&overwrite=True&rename=False&dc=0&tempauth=${tempauth(site, now, sealed)}`;
}

const unauthorized = (text: string): Reply => htmlReply(401, `<html><head><title>401 UNAUTHORIZED</title></head><body>${text}</body></html>`);

export function isDriveTransferPath(path: string): boolean {
  return /\/_layouts\/15\/download\.aspx$/i.test(path) || /\/_api\/v2\.0\/drives\/[^/]+\/items\/[^/]+\/uploadsession$/i.test(path);
}

function download(ctx: RequestContext, world: World): Reply {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return emptyReply(405);
  if (ctx.header('authorization')) return unauthorized("Invalid audience Uri '00000003-0000-0000-c000-000000000000'.");
  const token = ctx.url.searchParams.get('tempauth') ?? '';
  const state = world.data.tokens.open<{ d: string; i: string; exp: number }>('download', sealedPart(token));
  if (!state) return unauthorized('Invalid tempauth token.');
  if (state.exp <= ctx.now.getTime()) return unauthorized('The tempauth token has expired.');
  const found = world.data.drives.drive(state.d);
  const item = found?.drive.item(state.i);
  if (!found || !item || item.uniqueId.toLowerCase() !== (ctx.url.searchParams.get('UniqueId') ?? '').toLowerCase()) {
    return jsonReply(404, { error: { code: 'itemNotFound', message: 'The resource could not be found.' } });
  }
  const { drive } = found;
  const content = drive.content(item);
  const headers: Record<string, string> = {
    'content-type': item.mimeType ?? 'application/octet-stream',
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}`,
    etag: drive.etag(item),
    'accept-ranges': 'bytes',
    'last-modified': item.modified.toUTCString(),
  };
  const range = ctx.header('range')?.match(/^bytes=(\d*)-(\d*)$/);
  if (range && (range[1] || range[2])) {
    const size = content.length;
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(size - 1, Number(range[2])) : size - 1;
    if (start >= size || start > end) return emptyReply(416, { 'content-range': `bytes */${size}` });
    const slice = { length: end - start + 1, chunks: () => content.chunks(start, end + 1) };
    return streamReply(206, slice, { ...headers, 'content-range': `bytes ${start}-${end}/${size}` });
  }
  return streamReply(200, content, headers);
}

function uploadChunk(ctx: RequestContext, world: World): Reply {
  const token = ctx.url.searchParams.get('tempauth') ?? '';
  const state = world.data.tokens.open<{ s: string }>('drive-upload', sealedPart(token));
  const session = state ? world.data.uploads.get(state.s) : undefined;
  if (ctx.header('authorization')) return jsonReply(401, { error: { code: 'unauthenticated', message: 'The upload URL is pre-authenticated; do not send an Authorization header.' } });
  if (!state || !session) return jsonReply(404, { error: { code: 'itemNotFound', message: 'The upload session was not found or has expired.' } });
  switch (ctx.method) {
    case 'PUT':
      return world.data.uploads.put(ctx, session);
    case 'GET':
      return jsonReply(200, { expirationDateTime: session.expires.toISOString(), nextExpectedRanges: [`${session.writer.length}-${session.size - 1}`] });
    case 'DELETE':
      world.data.uploads.cancel(session.id);
      return emptyReply(204);
    default:
      return emptyReply(405);
  }
}

export function driveTransferHandler(ctx: RequestContext, world: World): Reply {
  return /download\.aspx$/i.test(ctx.path) ? download(ctx, world) : uploadChunk(ctx, world);
}
