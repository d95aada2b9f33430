/**
 * Graph's drives: /sites/{site}/drives, /sites/{site}/drive…, /drives/{id}…, addressing items by id
 * (`items/{id}`), by path (`root:/a/b.txt:` or `items/{id}:/name:`), the root delta, children and
 * content (302 to download.aspx). Writes are in graph-write.ts.
 */
import { GRAPH_BASE, graphError, graphOk, requirePermission, SITES_DENIED, type GraphCaller, type Permission } from '../graph/common.js';
import { emptyReply, type Reply, type RequestContext } from '../http.js';
import type { World } from '../world.js';
import { driveDelta } from './delta.js';
import { DriveError, type Drive, type DriveItemRecord } from './drive.js';
import { driveJson, itemJson } from './graph-json.js';
import { driveWrite } from './graph-write.js';
import { siteRef, type SiteRef } from './store.js';
import { downloadUrl } from './transfer.js';

const READ_APP = ['Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All', 'Sites.Manage.All', 'Sites.FullControl.All'];
export const READ: Permission = { app: READ_APP, delegated: [...READ_APP, 'Files.Read', 'Files.ReadWrite'] };
const MAX_PAGE = 1000;

export interface DriveRequest {
  readonly ctx: RequestContext;
  readonly world: World;
  readonly caller: GraphCaller;
  readonly site: SiteRef;
  readonly drive: Drive;
}

export function itemNotFound(ctx: RequestContext): Reply {
  return graphError(ctx, 404, 'itemNotFound', 'The resource could not be found.');
}

export function driveError(ctx: RequestContext, e: unknown): Reply {
  if (e instanceof DriveError) return graphError(ctx, e.status, e.code, e.message);
  throw e;
}

/** `/{site}/drives…` or `/{site}/drive…` after /sites, the site given by id, path (`host:/sites/x:`) or `root`. */
export function siteDrivesPath(rest: string): { site: string; sitePath: string | undefined; which: 'drives' | 'drive'; tail: string } | undefined {
  const m = rest.match(/^\/([^/:]+)(?::(\/[^:]*):)?\/(drives|drive)(\/.*)?$/i);
  if (!m?.[1] || !m[3]) return undefined;
  return { site: m[1], sitePath: m[2], which: m[3].toLowerCase() === 'drives' ? 'drives' : 'drive', tail: m[4] ?? '' };
}

function findSite(caller: GraphCaller, key: string, path: string | undefined): SiteRef | undefined {
  const tenant = caller.tenant;
  const host = key.split(',')[0]?.toLowerCase();
  let site;
  if (key.toLowerCase() === 'root') site = tenant.sites.find((s) => s.path === '');
  else if (host !== tenant.sharePointHost) return undefined;
  else if (path !== undefined) site = tenant.sites.find((s) => s.path.toLowerCase() === path.replace(/\/+$/, '').toLowerCase());
  else {
    const [, siteId, webId] = key.toLowerCase().split(',');
    site = siteId === undefined ? tenant.sites.find((s) => s.path === '') : tenant.sites.find((s) => s.siteId === siteId && (webId === undefined || s.webId === webId));
  }
  return site ? siteRef(tenant, site) : undefined;
}

function gate(ctx: RequestContext, caller: GraphCaller): Reply | undefined {
  if (caller.claims.idtyp === 'app' && caller.claims.roles.length === 0) {
    return graphError(ctx, 401, 'generalException', 'Either scp or roles claim need to be present in the token.');
  }
  return requirePermission(ctx, caller, READ, SITES_DENIED);
}

/** GET/POST… /sites/{site}/drives and /sites/{site}/drive… */
export function siteDrives(ctx: RequestContext, world: World, caller: GraphCaller, route: NonNullable<ReturnType<typeof siteDrivesPath>>): Reply {
  const site = findSite(caller, route.site, route.sitePath);
  const denied = ctx.method === 'GET' ? gate(ctx, caller) : undefined;
  if (denied) return denied;
  if (!site) return graphError(ctx, 404, 'itemNotFound', 'Requested site could not be found');
  const drives = world.data.drives.drivesOf(site);
  if (route.which === 'drives') {
    if (route.tail) {
      const [, id, ...more] = route.tail.split('/');
      const drive = drives.find((d) => d.id === id);
      return drive ? driveRequest({ ctx, world, caller, site, drive }, more.length ? `/${more.join('/')}` : '') : itemNotFound(ctx);
    }
    if (ctx.method !== 'GET') return graphError(ctx, 405, 'invalidRequest', 'Method not allowed.');
    return graphOk(ctx, 200, { '@odata.context': `${GRAPH_BASE}/$metadata#drives`, value: drives.map((d) => driveJson(site, d)) });
  }
  const drive = drives[0];
  return drive ? driveRequest({ ctx, world, caller, site, drive }, route.tail) : itemNotFound(ctx);
}

/** /drives/{id}… */
export function drives(ctx: RequestContext, world: World, caller: GraphCaller, rest: string): Reply {
  const m = rest.match(/^\/([^/]+)(\/.*)?$/);
  const denied = ctx.method === 'GET' ? gate(ctx, caller) : undefined;
  if (denied) return denied;
  const found = m?.[1] ? world.data.drives.drive(m[1]) : undefined;
  if (!found || found.site.tenant !== caller.tenant) return itemNotFound(ctx);
  return driveRequest({ ctx, world, caller, site: found.site, drive: found.drive }, m?.[2] ?? '');
}

export interface ItemAddress {
  readonly base: DriveItemRecord;
  /** The `:/a/b:` part, when the item is addressed by path. */
  readonly path: string | undefined;
  readonly tail: string;
}

function address(drive: Drive, rest: string): ItemAddress | undefined {
  const m = rest.match(/^\/(root|items\/[^/:]+)(.*)$/i);
  if (!m?.[1]) return undefined;
  const base = m[1].toLowerCase() === 'root' ? drive.root : drive.item(m[1].slice('items/'.length));
  if (!base) return undefined;
  const after = m[2] ?? '';
  if (!after.startsWith(':')) return { base, path: undefined, tail: after };
  const close = after.indexOf(':', 1);
  return { base, path: close < 0 ? after.slice(1) : after.slice(1, close), tail: close < 0 ? '' : after.slice(close + 1) };
}

function list(r: DriveRequest, items: DriveItemRecord[], url: string): Reply {
  const q = r.ctx.url.searchParams;
  const top = Math.max(1, Math.min(Number(q.get('$top') ?? '200') || 200, MAX_PAGE));
  const skip = q.get('$skiptoken');
  const at = skip ? (r.world.data.tokens.open<{ at: number }>('children', skip)?.at ?? 0) : 0;
  const page = items.slice(at, at + top);
  const next = at + top < items.length ? `${url}?$top=${top}&$skiptoken=${r.world.data.tokens.seal('children', { at: at + top })}` : undefined;
  return graphOk(r.ctx, 200, {
    '@odata.context': `${GRAPH_BASE}/$metadata#Collection(driveItem)`,
    ...(next ? { '@odata.nextLink': next } : {}),
    value: page.map((i) => itemJson(r.site, r.drive, i, { ...(i.kind === 'file' ? { downloadUrl: downloadUrl(r.world, r.site, r.drive, i, r.ctx.now) } : {}) })),
  });
}

function driveRequest(r: DriveRequest, rest: string): Reply {
  const { ctx, drive, site } = r;
  if (rest === '' || rest === '/') {
    if (ctx.method !== 'GET') return graphError(ctx, 405, 'invalidRequest', 'Method not allowed.');
    return graphOk(ctx, 200, { '@odata.context': `${GRAPH_BASE}/$metadata#drives/$entity`, ...driveJson(site, drive) });
  }
  const delta = rest.match(/^\/root\/delta(?:\(token='([^']*)'\))?$/i);
  if (delta) return ctx.method === 'GET' ? driveDelta(r, delta[1]) : graphError(ctx, 405, 'invalidRequest', 'Method not allowed.');
  const at = address(drive, rest);
  if (!at) return itemNotFound(ctx);
  if (ctx.method !== 'GET') return driveWrite(r, at);
  const item = at.path === undefined ? at.base : drive.byPath(at.path, at.base);
  if (!item) return itemNotFound(ctx);
  const tail = at.tail.toLowerCase();
  try {
    if (tail === '' || tail === '/') {
      return graphOk(ctx, 200, { '@odata.context': `${GRAPH_BASE}/$metadata#drives('${drive.id}')/items/$entity`, ...itemJson(site, drive, item, item.kind === 'file' ? { downloadUrl: downloadUrl(r.world, site, drive, item, ctx.now) } : {}) });
    }
    if (tail === '/children') {
      if (item.kind === 'file') return graphError(ctx, 400, 'invalidRequest', 'The item is not a folder.');
      return list(r, drive.childrenOf(item.id), `${GRAPH_BASE}/drives/${drive.id}/items/${item.id}/children`);
    }
    if (tail === '/content') {
      if (item.kind !== 'file') return graphError(ctx, 400, 'invalidRequest', 'Only files have content.');
      if (ctx.header('if-none-match') === drive.etag(item) || ctx.header('if-none-match') === drive.ctag(item)) return emptyReply(304);
      return emptyReply(302, { location: downloadUrl(r.world, site, drive, item, ctx.now), 'cache-control': 'no-cache' });
    }
  } catch (e) {
    return driveError(ctx, e);
  }
  return graphError(ctx, 400, 'invalidRequest', `Resource not found for the segment '${at.tail}'.`);
}
