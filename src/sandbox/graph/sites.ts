/** /sites: SharePoint site collections through Graph (works with a secret, unlike SharePoint REST). */
import type { TenantState } from '../directory.js';
import type { Reply, RequestContext } from '../http.js';
import type { SeedSite } from '../tenants.js';
import type { World } from '../world.js';
import { GRAPH_BASE, graphError, graphOk, requirePermission, select, SITES_DENIED, type GraphCaller, type Permission } from './common.js';
import { methodNotAllowed } from './service-principals.js';

const SITES: Permission = {
  app: ['Sites.Read.All', 'Sites.ReadWrite.All', 'Sites.Manage.All', 'Sites.FullControl.All'],
  delegated: ['Sites.Read.All', 'Sites.ReadWrite.All', 'Sites.Manage.All', 'Sites.FullControl.All'],
};

export function siteJson(tenant: TenantState, site: SeedSite): Record<string, unknown> {
  return {
    createdDateTime: site.created,
    description: site.description,
    id: `${tenant.sharePointHost},${site.siteId},${site.webId}`,
    lastModifiedDateTime: '2026-10-30T08:12:44Z',
    name: site.path ? site.path.split('/').pop() : site.displayName,
    webUrl: `https://${tenant.sharePointHost}${site.path}`,
    displayName: site.displayName,
    ...(site.path ? {} : { root: {} }),
    siteCollection: { hostname: tenant.sharePointHost },
  };
}

export function sites(ctx: RequestContext, _world: World, caller: GraphCaller, rest: string): Reply {
  if (ctx.method !== 'GET') return methodNotAllowed(ctx);
  const tenant = caller.tenant;
  if (caller.claims.idtyp === 'app' && caller.claims.roles.length === 0) {
    return graphError(ctx, 401, 'generalException', 'Either scp or roles claim need to be present in the token.');
  }
  const denied = requirePermission(ctx, caller, SITES, SITES_DENIED);
  if (denied) return denied;
  const entity = (site: SeedSite): Reply =>
    graphOk(ctx, 200, select(ctx, { '@odata.context': `${GRAPH_BASE}/$metadata#sites/$entity`, ...siteJson(tenant, site) }));
  const notFound = (): Reply => graphError(ctx, 404, 'itemNotFound', 'Requested site could not be found');

  if (rest === '') {
    const search = ctx.url.searchParams.get('search');
    if (search === null) return graphError(ctx, 400, 'invalidRequest', 'Cannot enumerate sites');
    const term = search.trim().replace(/^"|"$/g, '').toLowerCase();
    const found = tenant.sites.filter(
      (s) => term === '*' || term === '' || s.displayName.toLowerCase().includes(term) || s.path.toLowerCase().includes(term),
    );
    return graphOk(ctx, 200, { '@odata.context': `${GRAPH_BASE}/$metadata#sites`, value: found.map((s) => select(ctx, siteJson(tenant, s))) });
  }
  const key = rest.replace(/^\//, '');
  const root = tenant.sites.find((s) => s.path === '');
  if (key === 'root') return root ? entity(root) : notFound();

  // {hostname}:/sites/{path}[:]  or  {hostname}  or  {hostname},{siteId},{webId}
  const byPath = key.match(/^([^:/,]+):(\/[^:]*?):?$/);
  const hostname = (byPath?.[1] ?? key.split(',')[0] ?? '').toLowerCase();
  if (hostname !== tenant.sharePointHost) return graphError(ctx, 400, 'invalidRequest', 'Invalid hostname for this tenancy');
  if (byPath) {
    const path = (byPath[2] ?? '').replace(/\/+$/, '').toLowerCase();
    const site = tenant.sites.find((s) => s.path.toLowerCase() === path);
    return site ? entity(site) : notFound();
  }
  const [, siteId, webId] = key.split(',');
  if (siteId === undefined) return root ? entity(root) : notFound();
  const site = tenant.sites.find((s) => s.siteId === siteId.toLowerCase() && (webId === undefined || s.webId === webId.toLowerCase()));
  return site ? entity(site) : notFound();
}
