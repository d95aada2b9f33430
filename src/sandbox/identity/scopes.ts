/**
 * Delegated scope resolution: which resource a device-code or refresh-token request is for and what
 * the token's `scp` will say. Entra issues a token for exactly one resource per request.
 */
import type { Directory, TenantState } from '../directory.js';
import type { Reply, RequestContext } from '../http.js';
import {
  AZURE_CLI_APP_ID,
  AZURE_CLI_GRAPH_SCOPES,
  CLOUD_HOSTS,
  EXCHANGE_APP_ID,
  GRAPH_APP_ID,
  GRAPH_DELEGATED_SCOPES,
  SHAREPOINT_APP_ID,
  type CloudName,
} from '../well-known.js';
import { AADSTS } from './errors.js';

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export interface DelegatedGrant {
  /** The token's `aud`. */
  readonly audience: string;
  /** Resource app id (for messages). */
  readonly resourceAppId: string;
  /** Short permission names for `scp`. */
  readonly scp: readonly string[];
  /** The `scope` field of the token response: resource-qualified names. */
  readonly responseScope: string;
}

function normaliseResource(resource: string, graph: string, exchange: string): string {
  const r = resource.toLowerCase().replace(/\/+$/, '');
  if (r === GRAPH_APP_ID) return graph;
  if (r === EXCHANGE_APP_ID) return exchange;
  return r;
}

/**
 * Resolves the `scope` parameter for a public client. `tenant` is undefined for /organizations and
 * /common, where any tenant's SharePoint host is acceptable.
 */
export function resolveDelegatedScopes(
  ctx: RequestContext,
  directory: Directory,
  tenant: TenantState | undefined,
  clientId: string,
  scopeParam: string,
  /** The cloud of the sign-in host: its Graph and Exchange are the resources known here. */
  cloud: CloudName = tenant?.cloud ?? 'global',
): DelegatedGrant | Reply {
  const GRAPH_RESOURCE = `https://${CLOUD_HOSTS[cloud].graph}`;
  const EXCHANGE_RESOURCE = `https://${CLOUD_HOSTS[cloud].exchange}`;
  const requested = scopeParam.split(/\s+/).filter(Boolean);
  const byResource = new Map<string, string[]>();
  for (const scope of requested) {
    if (OIDC_SCOPES.has(scope.toLowerCase())) continue;
    const slash = scope.lastIndexOf('/');
    const resource = slash > 0 ? normaliseResource(scope.slice(0, slash), GRAPH_RESOURCE, EXCHANGE_RESOURCE) : GRAPH_RESOURCE;
    const name = slash > 0 ? scope.slice(slash + 1) : scope;
    const names = byResource.get(resource) ?? [];
    names.push(name);
    byResource.set(resource, names);
  }
  if (byResource.size > 1) return AADSTS.multipleResources(ctx, scopeParam);
  const [resource, names] = [...byResource.entries()][0] ?? [GRAPH_RESOURCE, ['.default']];

  const isSharePoint =
    resource === SHAREPOINT_APP_ID ||
    (resource.startsWith('https://') &&
      (tenant
        ? directory.tenantOfSharePointHost(resource.slice(8)) === tenant
        : directory.tenantOfSharePointHost(resource.slice(8)) !== undefined));
  const resourceAppId =
    resource === GRAPH_RESOURCE ? GRAPH_APP_ID : resource === EXCHANGE_RESOURCE ? EXCHANGE_APP_ID : isSharePoint ? SHAREPOINT_APP_ID : undefined;
  if (!resourceAppId) return AADSTS.resourceNotFound(ctx, resource, tenant?.displayName ?? 'organizations');

  // Azure CLI is pre-authorized for Graph's .default only (microsoft365.md §9.4).
  if (clientId === AZURE_CLI_APP_ID && !(resource === GRAPH_RESOURCE && names.length === 1 && names[0] === '.default')) {
    return AADSTS.preauthorizationRequired(ctx, clientId, resourceAppId);
  }

  let scp: string[];
  if (names.includes('.default')) {
    if (names.length > 1) return AADSTS.invalidScope(ctx, scopeParam);
    if (resource === GRAPH_RESOURCE) scp = clientId === AZURE_CLI_APP_ID ? [...AZURE_CLI_GRAPH_SCOPES] : ['User.Read'];
    else if (resource === EXCHANGE_RESOURCE) scp = ['EWS.AccessAsUser.All'];
    else scp = ['AllSites.FullControl'];
  } else if (resource === GRAPH_RESOURCE) {
    scp = [];
    for (const name of names) {
      const known = GRAPH_DELEGATED_SCOPES.find((s) => s.toLowerCase() === name.toLowerCase());
      if (!known) return AADSTS.invalidScope(ctx, `${GRAPH_RESOURCE}/${name}`);
      if (!scp.includes(known)) scp.push(known);
    }
  } else {
    scp = [...new Set(names)];
  }
  return {
    audience: resource,
    resourceAppId,
    scp,
    responseScope: scp.map((s) => `${resource}/${s}`).join(' '),
  };
}

export function isReply(value: object): value is Reply {
  return 'status' in value && typeof (value as { status: unknown }).status === 'number';
}
