/** Graph's error shape, bearer-token check, permission gates and $select. */
import { randomUUID } from 'node:crypto';
import { checkAccessToken, holdsAny, type AccessClaims } from '../access-token.js';
import type { TenantState } from '../directory.js';
import { clientRequestId, jsonReply, type Reply, type RequestContext } from '../http.js';
import type { SeedUser } from '../tenants.js';
import { CLOUD_HOSTS, cloudOfHost, GRAPH_APP_ID } from '../well-known.js';
import type { World } from '../world.js';

export const GRAPH_BASE = 'https://graph.microsoft.com/v1.0';

export function graphError(ctx: RequestContext, status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
  const requestId = randomUUID();
  const clientId = clientRequestId(ctx);
  return jsonReply(
    status,
    {
      error: {
        code,
        message,
        innerError: { date: ctx.now.toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': requestId, 'client-request-id': clientId },
      },
    },
    { 'request-id': requestId, 'client-request-id': clientId, ...headers },
  );
}

export function graphOk(ctx: RequestContext, status: number, body: unknown): Reply {
  return jsonReply(status, body, {
    'request-id': randomUUID(),
    'client-request-id': clientRequestId(ctx),
    'odata-version': '4.0',
  });
}

export interface GraphCaller {
  readonly claims: AccessClaims;
  readonly tenant: TenantState;
  /** The signed-in user for delegated tokens. */
  readonly user?: SeedUser;
}

const CHALLENGE = {
  'www-authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`,
};

export function authenticateGraph(ctx: RequestContext, world: World): GraphCaller | Reply {
  const auth = ctx.header('authorization');
  const token = auth?.match(/^Bearer\s+(\S+)/i)?.[1];
  const unauthorized = (message: string): Reply => graphError(ctx, 401, 'InvalidAuthenticationToken', message, CHALLENGE);
  if (!token) return unauthorized('Access token is empty.');
  const claims = checkAccessToken(world, token);
  switch (claims) {
    case 'malformed':
      return unauthorized(
        "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'.",
      );
    case 'signature':
      return unauthorized('Access token validation failure. Invalid signature.');
    case 'expired':
    case 'not-yet-valid':
      return unauthorized('Lifetime validation failed, the token is expired.');
    case 'issuer':
      return unauthorized('Access token validation failure. Invalid issuer.');
  }
  // Each national cloud's Graph accepts only tokens for itself from tenants of that cloud.
  const cloud = cloudOfHost(ctx.host, 'graph') ?? 'global';
  const aud = claims.aud.replace(/\/+$/, '').toLowerCase();
  if ((aud !== `https://${CLOUD_HOSTS[cloud].graph}` && aud !== GRAPH_APP_ID) || claims.tenant.cloud !== cloud) {
    return unauthorized('Access token validation failure. Invalid audience.');
  }
  if (claims.idtyp === 'app') return { claims, tenant: claims.tenant };
  const user = claims.tenant.users.find((u) => u.id === claims.oid);
  if (!user) return unauthorized('Access token validation failure. The user in the token does not exist.');
  return { claims, tenant: claims.tenant, user };
}

export interface Permission {
  /** Application roles that allow the call (app-only tokens). */
  readonly app: readonly string[];
  /** Delegated scopes that allow the call; 'any' = every delegated token may. */
  readonly delegated: readonly string[] | 'any';
}

export interface Denial {
  readonly status?: number;
  readonly code: string;
  readonly message: string;
}

export const DIRECTORY_DENIED: Denial = { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' };
export const MAIL_DENIED: Denial = { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' };
export const SITES_DENIED: Denial = { code: 'accessDenied', message: 'Access denied' };

/**
 * A mailbox call: allowed by the token's roles, or (app-only) by Exchange RBAC for Applications,
 * whose grants live in Exchange and never appear in the token (backup-data.md §5.1). An app scoped
 * that way and asking for a mailbox outside its scope gets the same 403 as one without any role.
 */
export function requireMailboxPermission(
  ctx: RequestContext,
  world: World,
  caller: GraphCaller,
  permission: Permission,
  denial: Denial,
  mailboxUpn: string | undefined,
): Reply | undefined {
  const denied = requirePermission(ctx, caller, permission, denial);
  if (!denied || caller.claims.idtyp !== 'app' || mailboxUpn === undefined) return denied;
  return world.directory.exchangeGrants(caller.claims.appid, permission.app, mailboxUpn) ? undefined : denied;
}

/** undefined when allowed, else the 403 Graph sends. */
export function requirePermission(ctx: RequestContext, caller: GraphCaller, permission: Permission, denial: Denial): Reply | undefined {
  const { claims } = caller;
  const allowed =
    claims.idtyp === 'app'
      ? holdsAny(claims.roles, permission.app)
      : permission.delegated === 'any' || holdsAny(claims.scopes, permission.delegated);
  return allowed ? undefined : graphError(ctx, denial.status ?? 403, denial.code, denial.message);
}

/** Graph's $select: keep the named properties (and @odata.*), case-insensitively. */
export function select(ctx: RequestContext, entity: Record<string, unknown>): Record<string, unknown> {
  const param = ctx.url.searchParams.get('$select');
  if (!param) return entity;
  const wanted = new Set(param.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
  return Object.fromEntries(Object.entries(entity).filter(([k]) => k.startsWith('@odata') || wanted.has(k.toLowerCase())));
}

/** The value of `$filter=<property> eq '<value>'`; undefined when there is no filter, null when unsupported. */
export function equalityFilter(ctx: RequestContext, properties: readonly string[]): { property: string; value: string } | undefined | null {
  const filter = ctx.url.searchParams.get('$filter');
  if (!filter) return undefined;
  const m = filter.trim().match(/^(\w+)\s+eq\s+'((?:[^']|'')*)'$/i);
  const property = m?.[1] && properties.find((p) => p.toLowerCase() === m[1]?.toLowerCase());
  if (!m || !property) return null;
  return { property, value: (m[2] ?? '').replace(/''/g, "'") };
}

export function unsupportedFilter(ctx: RequestContext): Reply {
  const filter = ctx.url.searchParams.get('$filter') ?? '';
  return graphError(ctx, 400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified: '${filter}'.`);
}

export function notFound(ctx: RequestContext, id: string): Reply {
  return graphError(ctx, 404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

export function badRequest(ctx: RequestContext, message: string, code = 'Request_BadRequest'): Reply {
  return graphError(ctx, 400, code, message);
}

export function isCaller(value: GraphCaller | Reply): value is GraphCaller {
  return 'claims' in value;
}
