/** POST /{tenant}/oauth2/v2.0/token: device_code, refresh_token and client_credentials grants. */
import type { TenantState } from '../directory.js';
import { jsonReply, type Reply, type RequestContext } from '../http.js';
import { ADMIN_RESTRICTED_SCOPES, ROLE, type CloudName } from '../well-known.js';
import type { SeedUser } from '../tenants.js';
import type { World } from '../world.js';
import { authenticateClient } from './client-auth.js';
import { checkPublicClient } from './device-code.js';
import { AADSTS } from './errors.js';
import { appAccessToken, ACCESS_TOKEN_LIFETIME_SEC, clientDisplayName, delegatedTokenResponse } from './issue.js';
import { isReply, resolveDelegatedScopes } from './scopes.js';

const NO_STORE = { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' };

export function tokenEndpoint(ctx: RequestContext, world: World, tenantSegment: string, tenant: TenantState | undefined, cloud: CloudName): Reply {
  const form = ctx.form();
  const grantType = form.get('grant_type');
  if (!grantType) return AADSTS.missingParameter(ctx, 'grant_type');
  const clientId = form.get('client_id')?.toLowerCase();
  switch (grantType) {
    case 'device_code':
    case 'urn:ietf:params:oauth:grant-type:device_code':
      if (!clientId) return AADSTS.missingParameter(ctx, 'client_id');
      return deviceCodeGrant(ctx, world, tenantSegment, tenant, clientId, cloud);
    case 'refresh_token':
      if (!clientId) return AADSTS.missingParameter(ctx, 'client_id');
      return refreshTokenGrant(ctx, world, tenantSegment, tenant, clientId, cloud);
    case 'client_credentials':
      if (!tenant) return AADSTS.grantNotOnCommon(ctx);
      if (!clientId) return AADSTS.missingParameter(ctx, 'client_id');
      return clientCredentialsGrant(ctx, world, tenant, clientId);
    default:
      return AADSTS.unsupportedGrantType(ctx, grantType);
  }
}

function publicClientGate(ctx: RequestContext, world: World, tenantSegment: string, tenant: TenantState | undefined, clientId: string): Reply | undefined {
  const client = checkPublicClient(world, tenant, clientId);
  if (client.kind === 'unknown') return AADSTS.appNotFound(ctx, clientId, tenant?.displayName ?? tenantSegment);
  if (client.kind === 'confidential') return AADSTS.publicClientRequired(ctx);
  return undefined;
}

/** Roles that may consent to admin-restricted delegated permissions (grant-admin-consent docs). */
const CONSENTING_ROLES: readonly string[] = [ROLE.globalAdministrator, ROLE.privilegedRoleAdministrator, ROLE.applicationAdministrator, ROLE.cloudApplicationAdministrator];

/**
 * A user signs in to an app asking for admin-restricted permissions: fine when the tenant already
 * consented for everyone, or when the user holds a role that may consent (active, not merely
 * eligible in PIM); otherwise Entra shows "Need admin approval" and the client gets AADSTS65001.
 */
function needsAdminApproval(tenant: TenantState, user: SeedUser, scopes: readonly string[]): boolean {
  if (tenant.settings.signInAppConsented) return false;
  if (user.roles.some((r) => CONSENTING_ROLES.includes(r))) return false;
  const restricted = new Set(ADMIN_RESTRICTED_SCOPES.map((s) => s.toLowerCase()));
  return scopes.some((s) => restricted.has(s.slice(s.lastIndexOf('/') + 1).toLowerCase()));
}

function deviceCodeGrant(ctx: RequestContext, world: World, tenantSegment: string, tenant: TenantState | undefined, clientId: string, cloud: CloudName): Reply {
  const deviceCode = ctx.form().get('device_code');
  if (!deviceCode) return AADSTS.missingParameter(ctx, 'device_code');
  const gate = publicClientGate(ctx, world, tenantSegment, tenant, clientId);
  if (gate) return gate;
  const grant = world.deviceCodes.byDeviceCode(deviceCode);
  if (!grant || grant.clientId !== clientId) return AADSTS.badVerificationCode(ctx);
  if ((grant.state === 'pending' || grant.state === 'approved') && grant.expiresAt <= world.now().getTime()) grant.state = 'expired';
  switch (grant.state) {
    case 'pending':
      return AADSTS.authorizationPending(ctx);
    case 'declined':
      return AADSTS.authorizationDeclined(ctx);
    case 'expired':
      return AADSTS.deviceCodeExpired(ctx);
    case 'redeemed':
      return AADSTS.deviceCodeRedeemed(ctx);
    case 'approved':
      break;
  }
  const user = grant.user;
  if (!user) return AADSTS.authorizationPending(ctx);
  // Conditional Access is evaluated for the tenant the user signed in to.
  if (user.tenant.settings.deviceCode === 'conditional-access-blocked') return AADSTS.conditionalAccess(ctx);
  const scopes = resolveDelegatedScopes(ctx, world.directory, user.tenant, clientId, grant.scopeParam, cloud);
  if (isReply(scopes)) return scopes;
  if (needsAdminApproval(user.tenant, user.user, scopes.scp)) {
    grant.state = 'redeemed';
    return AADSTS.consentRequired(ctx, clientId, clientDisplayName(world, clientId));
  }
  grant.state = 'redeemed';
  return jsonReply(200, delegatedTokenResponse(world, { tenant: user.tenant, user: user.user, clientId, grant: scopes }), NO_STORE);
}

function refreshTokenGrant(ctx: RequestContext, world: World, tenantSegment: string, tenant: TenantState | undefined, clientId: string, cloud: CloudName): Reply {
  const token = ctx.form().get('refresh_token');
  if (!token) return AADSTS.missingParameter(ctx, 'refresh_token');
  const gate = publicClientGate(ctx, world, tenantSegment, tenant, clientId);
  if (gate) return gate;
  const rt = world.refreshTokens.get(token);
  if (!rt || rt.clientId !== clientId || (tenant && tenant.name !== rt.tenant)) return AADSTS.invalidRefreshToken(ctx);
  const home = world.directory.tenant(rt.tenant);
  const user = world.directory.userById(home, rt.userId);
  if (!user) return AADSTS.invalidRefreshToken(ctx);
  if (home.settings.deviceCode === 'conditional-access-blocked') return AADSTS.conditionalAccess(ctx);
  const scopes = resolveDelegatedScopes(ctx, world.directory, home, clientId, ctx.form().get('scope') ?? '', cloud);
  if (isReply(scopes)) return scopes;
  return jsonReply(200, delegatedTokenResponse(world, { tenant: home, user, clientId, grant: scopes }), NO_STORE);
}

function clientCredentialsGrant(ctx: RequestContext, world: World, tenant: TenantState, clientId: string): Reply {
  const { directory } = world;
  const scopeParam = ctx.form().get('scope');
  if (!scopeParam) return AADSTS.missingParameter(ctx, 'scope');
  const scopes = scopeParam.split(/\s+/).filter(Boolean);
  const resources = new Set(scopes.map((s) => (s.includes('/') ? s.slice(0, s.lastIndexOf('/')) : s).toLowerCase().replace(/\/+$/, '')));
  if (resources.size > 1) return AADSTS.multipleResources(ctx, scopeParam);
  const scope = scopes[0] ?? '';
  if (scopes.length !== 1 || !scope.endsWith('/.default')) return AADSTS.scopeWithoutDefault(ctx, scopeParam);
  const resource = scope.slice(0, -'/.default'.length);

  const app = directory.application(clientId);
  if (!app || app.tenant !== tenant.name || !directory.stsVisible(app)) {
    if (app && app.tenant === tenant.name) directory.replication.note('token-app-unknown');
    return AADSTS.appNotFound(ctx, clientId, tenant.displayName);
  }
  // The app is known, its enterprise application (service principal) is not: AADSTS7000229.
  const clientSp = directory.servicePrincipalByAppId(tenant.name, app.appId);
  if (!clientSp || !directory.stsVisible(clientSp)) {
    if (clientSp) directory.replication.note('token-service-principal-missing');
    return AADSTS.missingServicePrincipal(ctx, clientId, tenant.id);
  }
  const auth = authenticateClient(ctx, directory, tenant, app);
  if (isReply(auth)) return auth;

  const resourceSp = directory.resourceServicePrincipal(tenant, resource);
  if (!resourceSp) return AADSTS.resourceNotFound(ctx, resource, tenant.displayName);
  const audience = resource.toLowerCase().replace(/\/+$/, '');
  const accessToken = appAccessToken(world, {
    tenant,
    app,
    clientSp,
    // A resource named by its appId gets that appId as audience, as in Entra.
    audience: audience.startsWith('https://') ? audience : resourceSp.appId,
    roles: directory.stsRoles(clientSp.id, resourceSp),
    appidacr: auth.appidacr,
  });
  return jsonReply(
    200,
    { token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME_SEC, ext_expires_in: ACCESS_TOKEN_LIFETIME_SEC, access_token: accessToken },
    NO_STORE,
  );
}
