/**
 * Token minting. Access tokens are v1.0-style JWTs signed with the sandbox key, carrying the claims
 * the panel and the resources here look at (aud, tid, appid, appidacr, idtyp, roles / scp, wids).
 */
import { randomBytes } from 'node:crypto';
import type { Application, ServicePrincipal, TenantState } from '../directory.js';
import { base64url, unsignedJwt, type JsonObject } from '../jwt.js';
import type { SeedUser } from '../tenants.js';
import { AZURE_CLI_APP_ID, GRAPH_CLI_TOOLS_APP_ID, ROLE } from '../well-known.js';
import type { World } from '../world.js';
import type { DelegatedGrant } from './scopes.js';

export const ACCESS_TOKEN_LIFETIME_SEC = 3599;
/** Entra back-dates iat/nbf by five minutes to absorb clock skew. */
const BACKDATE_SEC = 300;

const uti = (): string => base64url(randomBytes(16)).slice(0, 22);

function times(world: World): { iat: number; nbf: number; exp: number } {
  const now = Math.floor(world.now().getTime() / 1000);
  return { iat: now - BACKDATE_SEC, nbf: now - BACKDATE_SEC, exp: now + ACCESS_TOKEN_LIFETIME_SEC };
}

export function clientDisplayName(world: World, clientId: string): string {
  if (clientId === GRAPH_CLI_TOOLS_APP_ID) return 'Microsoft Graph Command Line Tools';
  if (clientId === AZURE_CLI_APP_ID) return 'Microsoft Azure CLI';
  return world.directory.application(clientId)?.displayName ?? clientId;
}

export function appAccessToken(
  world: World,
  input: {
    tenant: TenantState;
    app: Application;
    clientSp: ServicePrincipal;
    audience: string;
    roles: readonly string[];
    appidacr: '1' | '2';
  },
): string {
  const { tenant, app, clientSp } = input;
  const claims: JsonObject = {
    aud: input.audience,
    iss: `https://sts.windows.net/${tenant.id}/`,
    ...times(world),
    app_displayname: app.displayName,
    appid: app.appId,
    appidacr: input.appidacr,
    idp: `https://sts.windows.net/${tenant.id}/`,
    idtyp: 'app',
    oid: clientSp.id,
    // Entra leaves `roles` out entirely when nothing is granted (no empty array).
    ...(input.roles.length ? { roles: [...input.roles] } : {}),
    sub: clientSp.id,
    tid: tenant.id,
    uti: uti(),
    ver: '1.0',
  };
  return world.key.sign(claims);
}

/** The body of a successful delegated /token response (device code or refresh token). */
export function delegatedTokenResponse(
  world: World,
  input: { tenant: TenantState; user: SeedUser; clientId: string; grant: DelegatedGrant },
): JsonObject {
  const { tenant, user, clientId, grant } = input;
  const t = times(world);
  const accessClaims: JsonObject = {
    aud: grant.audience,
    iss: `https://sts.windows.net/${tenant.id}/`,
    ...t,
    acr: '1',
    amr: ['pwd', 'mfa'],
    app_displayname: clientDisplayName(world, clientId),
    appid: clientId,
    appidacr: '0',
    ...(user.surname ? { family_name: user.surname } : {}),
    ...(user.givenName ? { given_name: user.givenName } : {}),
    idtyp: 'user',
    ipaddr: '127.0.0.1',
    name: user.displayName,
    oid: user.id,
    scp: grant.scp.join(' '),
    sub: base64url(Buffer.from(`${user.id}:${clientId}`)).slice(0, 43),
    tid: tenant.id,
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
    preferred_username: user.userPrincipalName,
    uti: uti(),
    ver: '1.0',
    wids: [...user.roles, ROLE.defaultUser],
  };
  const idClaims: JsonObject = {
    aud: clientId,
    iss: `https://login.microsoftonline.com/${tenant.id}/v2.0`,
    iat: t.iat,
    nbf: t.nbf,
    exp: t.exp,
    name: user.displayName,
    oid: user.id,
    preferred_username: user.userPrincipalName,
    sub: accessClaims.sub,
    tid: tenant.id,
    uti: uti(),
    ver: '2.0',
  };
  const refreshToken = `1.AQ${base64url(randomBytes(96))}`;
  world.refreshTokens.set(refreshToken, { tenant: tenant.name, userId: user.id, clientId });
  return {
    token_type: 'Bearer',
    scope: grant.responseScope,
    expires_in: ACCESS_TOKEN_LIFETIME_SEC,
    ext_expires_in: ACCESS_TOKEN_LIFETIME_SEC,
    access_token: world.key.sign(accessClaims),
    refresh_token: refreshToken,
    id_token: unsignedJwt(idClaims),
    client_info: base64url(JSON.stringify({ uid: user.id, utid: tenant.id })),
  };
}
