/**
 * SharePoint Online REST (<tenant>.sharepoint.com/_api/web, /_api/web/webs, /_api/site). App-only
 * access needs a certificate-based token (appidacr 2); secret-based tokens get "Unsupported app only
 * token." (microsoft365.md §10.2). Basic/IDCRL has been blocked since 2026-05-01.
 */
import { checkAccessToken, holdsAny } from './access-token.js';
import type { TenantState } from './directory.js';
import { authScheme, basicCredentials, bearerToken, jsonReply, type Reply, type RequestContext } from './http.js';
import type { SeedSite } from './tenants.js';
import { SHAREPOINT_APP_ID } from './well-known.js';
import type { World } from './world.js';

const APP_ROLES = ['Sites.FullControl.All', 'Sites.ReadWrite.All', 'Sites.Read.All', 'Sites.Manage.All'];
const DELEGATED = ['AllSites.Read', 'AllSites.Write', 'AllSites.Manage', 'AllSites.FullControl', 'Sites.Search.All'];

function challenge(tenant: TenantState): Record<string, string> {
  return {
    'www-authenticate': `Bearer realm="${tenant.id}",client_id="${SHAREPOINT_APP_ID}",trusted_issuers="00000001-0000-0000-c000-000000000000@*,D3776938-3DBA-481F-A652-4BEDFCAB7CD8@*,https://sts.windows.net/*/,https://login.microsoftonline.com/*/v2.0,00000003-0000-0ff1-ce00-000000000000@90140122-8516-11e1-8eff-49304924019b",authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"`,
  };
}

function unauthorized(tenant: TenantState, description: string): Reply {
  return jsonReply(401, { error_description: description }, challenge(tenant));
}

function accessDenied(): Reply {
  return jsonReply(403, {
    'odata.error': {
      code: '-2147024891, System.UnauthorizedAccessException',
      message: { lang: 'en-US', value: 'Access denied. You do not have permission to perform this action or access this resource.' },
    },
  });
}

type Metadata = 'nometadata' | 'minimalmetadata' | 'verbose';

function metadataLevel(ctx: RequestContext): Metadata {
  const accept = (ctx.header('accept') ?? '').toLowerCase();
  if (accept.includes('odata=verbose')) return 'verbose';
  if (accept.includes('odata=nometadata')) return 'nometadata';
  return 'minimalmetadata';
}

function webJson(host: string, site: SeedSite): Record<string, unknown> {
  return {
    Created: site.created,
    Description: site.description,
    Id: site.webId,
    Language: 1033,
    LastItemModifiedDate: '2026-10-30T08:12:44Z',
    ServerRelativeUrl: site.path || '/',
    Title: site.displayName,
    Url: `https://${host}${site.path}`,
    WebTemplate: site.path ? 'STS' : 'SITEPAGEPUBLISHING',
  };
}

function odata(ctx: RequestContext, type: string, entity: Record<string, unknown>, uri: string): Reply {
  const selectParam = ctx.url.searchParams.get('$select');
  const wanted = selectParam ? new Set(selectParam.split(',').map((s) => s.trim().toLowerCase())) : undefined;
  const props = wanted ? Object.fromEntries(Object.entries(entity).filter(([k]) => wanted.has(k.toLowerCase()))) : entity;
  switch (metadataLevel(ctx)) {
    case 'nometadata':
      return jsonReply(200, props, { 'content-type': 'application/json;odata=nometadata;streaming=true;charset=utf-8' });
    case 'verbose':
      return jsonReply(200, { d: { __metadata: { id: uri, uri, type }, ...props } }, { 'content-type': 'application/json;odata=verbose;charset=utf-8' });
    default:
      return jsonReply(
        200,
        { 'odata.metadata': `https://${ctx.host}/_api/$metadata#${type === 'SP.Web' ? 'SP.ApiData.Webs' : 'SP.ApiData.Sites'}/@Element`, 'odata.type': type, 'odata.id': uri, 'odata.editLink': type === 'SP.Web' ? 'Web' : 'Site', ...props },
        { 'content-type': 'application/json;odata=minimalmetadata;streaming=true;charset=utf-8' },
      );
  }
}

/** The admin center is its own site collection on <tenant>-admin.sharepoint.com. */
function adminSite(tenant: TenantState): SeedSite {
  const root = tenant.sites.find((s) => s.path === '') ?? tenant.sites[0];
  return {
    path: '',
    displayName: 'SharePoint admin center',
    description: '',
    siteId: root?.webId ?? tenant.id,
    webId: root?.siteId ?? tenant.id,
    created: root?.created ?? '2019-01-01T00:00:00Z',
  };
}

export function sharePointHandler(ctx: RequestContext, world: World, tenant: TenantState): Reply {
  const isAdminHost = ctx.host !== tenant.sharePointHost;
  const m = ctx.path.match(/^((?:\/sites\/[^/]+)?)\/_api\/(web|web\/webs|site)\/?$/i);
  const sitePath = (m?.[1] ?? '').toLowerCase();
  const site = isAdminHost ? (sitePath === '' ? adminSite(tenant) : undefined) : tenant.sites.find((s) => s.path.toLowerCase() === sitePath);

  const scheme = authScheme(ctx);
  if (scheme === 'basic') {
    const creds = basicCredentials(ctx);
    const user = creds && world.directory.findUser(tenant, creds.user);
    if (!tenant.settings.basicAuth || !creds || !user || user.password !== creds.password) {
      return unauthorized(tenant, 'Legacy authentication protocols are blocked for this tenant. Use OAuth 2.0 (Modern Authentication).');
    }
  } else if (scheme !== 'bearer') {
    return unauthorized(tenant, 'Invalid JWT token. No token provided.');
  } else {
    const claims = checkAccessToken(world, bearerToken(ctx) ?? '');
    switch (claims) {
      case 'malformed':
        return unauthorized(tenant, 'Invalid JWT token. The token is not in a valid format.');
      case 'expired':
      case 'not-yet-valid':
        return unauthorized(tenant, 'Invalid JWT token. The token is expired.');
      case 'signature':
      case 'issuer':
        return unauthorized(tenant, 'Invalid issuer or signature.');
    }
    const aud = claims.aud.toLowerCase().replace(/\/+$/, '');
    // Any SharePoint host of the tenant (contoso or contoso-admin) is the same resource to SharePoint.
    const audHost = aud.startsWith('https://') ? aud.slice('https://'.length) : undefined;
    const audTenant = audHost === undefined ? undefined : world.directory.tenantOfSharePointHost(audHost);
    if (audTenant === undefined && aud !== SHAREPOINT_APP_ID) {
      return unauthorized(tenant, `Invalid audience Uri '${claims.aud}'.`);
    }
    if (claims.tenant !== tenant || (audTenant !== undefined && audTenant !== tenant)) return unauthorized(tenant, 'Invalid issuer or signature.');
    if (claims.idtyp === 'app') {
      if (claims.appidacr !== '2') return unauthorized(tenant, 'Unsupported app only token.');
      if (!holdsAny(claims.roles, APP_ROLES)) return accessDenied();
    } else if (!holdsAny(claims.scopes, DELEGATED)) {
      return accessDenied();
    }
  }

  if (!m || !site) {
    return jsonReply(404, { 'odata.error': { code: '-2147024894, System.IO.FileNotFoundException', message: { lang: 'en-US', value: 'File Not Found.' } } });
  }
  if (ctx.method !== 'GET') {
    return jsonReply(405, { 'odata.error': { code: '-1, Microsoft.SharePoint.Client.InvalidClientQueryException', message: { lang: 'en-US', value: 'The HTTP method is not supported for this resource.' } } });
  }
  const base = `https://${ctx.host}${site.path}/_api`;
  switch (m[2]?.toLowerCase()) {
    case 'web':
      return odata(ctx, 'SP.Web', webJson(ctx.host, site), `${base}/Web`);
    case 'site':
      return odata(ctx, 'SP.Site', { Id: site.siteId, ReadOnly: false, ServerRelativeUrl: site.path || '/', Url: `https://${ctx.host}${site.path}` }, `${base}/Site`);
    default: {
      // Site collections are not subwebs of the root; the seed has no subwebs.
      const level = metadataLevel(ctx);
      return level === 'verbose' ? jsonReply(200, { d: { results: [] } }) : jsonReply(200, { value: [] });
    }
  }
}
