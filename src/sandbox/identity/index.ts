/** login.microsoftonline.com: the Microsoft identity platform's endpoints the panel (via MSAL) uses. */
import type { TenantState } from '../directory.js';
import { jsonReply, type Reply, type RequestContext } from '../http.js';
import { CLOUD_HOSTS, CLOUD_NAMES, cloudOfHost, type CloudName } from '../well-known.js';
import type { World } from '../world.js';
import { deviceCodeEndpoint } from './device-code.js';
import { aadError, AADSTS } from './errors.js';
import { tokenEndpoint } from './token.js';

/** Every national cloud's sign-in hosts (well-known.ts CLOUD_HOSTS). */
export const LOGIN_HOSTS: readonly string[] = CLOUD_NAMES.flatMap((c) => CLOUD_HOSTS[c].login);
const MULTI_TENANT = new Set(['common', 'organizations']);

type Resolved = { tenant: TenantState | undefined } | { error: Reply };

/**
 * A tenant is known only to its own cloud's sign-in hosts ("Check … you are signing into the
 * correct cloud"), except for openid-configuration, which the global host answers for any tenant:
 * that is how a client learns a tenant's cloud.
 */
function resolveSegment(ctx: RequestContext, world: World, segment: string, cloud: CloudName, anyCloud: boolean): Resolved {
  if (MULTI_TENANT.has(segment.toLowerCase())) return { tenant: undefined };
  const tenant = world.directory.resolveTenant(segment);
  if (!tenant || (!anyCloud && tenant.cloud !== cloud)) return { error: AADSTS.tenantNotFound(ctx, segment) };
  return { tenant };
}

export function identityHandler(ctx: RequestContext, world: World): Reply {
  const parts = ctx.path.split('/').filter(Boolean);
  const segment = parts[0] ?? '';
  const rest = parts.slice(1).join('/').toLowerCase();

  if (rest === 'discovery/instance' && ctx.method === 'GET') return instanceDiscovery(ctx);

  const hostCloud = cloudOfHost(ctx.host, 'login') ?? 'global';
  const openid = rest === 'v2.0/.well-known/openid-configuration';
  const resolved = resolveSegment(ctx, world, segment, hostCloud, openid && hostCloud === 'global');
  if ('error' in resolved) return resolved.error;
  const { tenant } = resolved;

  switch (rest) {
    case 'oauth2/v2.0/devicecode':
      if (ctx.method !== 'POST') return AADSTS.methodNotAllowed(ctx);
      return deviceCodeEndpoint(ctx, world, segment, tenant, hostCloud);
    case 'oauth2/v2.0/token':
      if (ctx.method !== 'POST') return AADSTS.methodNotAllowed(ctx);
      return tokenEndpoint(ctx, world, segment, tenant, hostCloud);
    case 'v2.0/.well-known/openid-configuration': {
      const t = tenant?.id ?? segment;
      const issuerTenant = tenant?.id ?? '{tenantid}';
      // The tenant's own cloud, whichever host was asked.
      const cloud = CLOUD_HOSTS[tenant?.cloud ?? hostCloud];
      const host = `https://${cloud.login[0]}`;
      return jsonReply(200, {
        token_endpoint: `${host}/${t}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${host}/${t}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${host}/${issuerTenant}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `https://${cloud.graph}/oidc/userinfo`,
        authorization_endpoint: `${host}/${t}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${host}/${t}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${host}/${t}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
        tenant_region_scope: cloud.regionScope,
        ...(cloud.regionSubScope ? { tenant_region_sub_scope: cloud.regionSubScope } : {}),
        cloud_instance_name: cloud.instance,
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: cloud.graph,
        rbac_url: 'https://pas.windows.net',
      });
    }
    case 'discovery/v2.0/keys':
    case 'discovery/keys':
      return jsonReply(200, { keys: [world.key.jwk()] });
    default:
      return aadError(ctx, 404, 'invalid_request', 90056,
        `The endpoint '${ctx.path}' does not exist. To redeem a device code or get an app-only token, POST to /{tenant}/oauth2/v2.0/token.`);
  }
}

function instanceDiscovery(ctx: RequestContext): Reply {
  const authorize = ctx.url.searchParams.get('authorization_endpoint') ?? '';
  const tenant = authorize.match(/^https:\/\/[^/]+\/([^/]+)\//)?.[1] ?? 'common';
  return jsonReply(200, {
    tenant_discovery_endpoint: `https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [
      {
        preferred_network: 'login.microsoftonline.com',
        preferred_cache: 'login.windows.net',
        aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
      },
    ],
  });
}
