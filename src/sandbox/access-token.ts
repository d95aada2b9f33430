/**
 * Checks a bearer token the way the resource services do: signed by the identity platform (here the
 * sandbox key), within its lifetime, issued by a known tenant. Audience and permissions are each
 * service's own business.
 */
import type { Directory, TenantState } from './directory.js';
import type { World } from './world.js';

export interface AccessClaims {
  readonly aud: string;
  readonly tenant: TenantState;
  readonly appid: string;
  readonly appidacr: string;
  readonly idtyp: 'app' | 'user';
  readonly oid: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  readonly upn?: string;
}

export type TokenProblem = 'malformed' | 'signature' | 'expired' | 'not-yet-valid' | 'issuer';

export function checkAccessToken(world: World, token: string): AccessClaims | TokenProblem {
  if (token.split('.').length !== 3) return 'malformed';
  const payload = world.key.verify(token);
  if (!payload) return 'signature';
  const now = world.now().getTime() / 1000;
  if (typeof payload.exp !== 'number' || payload.exp <= now) return 'expired';
  if (typeof payload.nbf === 'number' && payload.nbf > now + 300) return 'not-yet-valid';
  const tenant = world.directory.tenantById(payload.tid);
  if (!tenant || payload.iss !== `https://sts.windows.net/${tenant.id}/`) return 'issuer';
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    aud: typeof payload.aud === 'string' ? payload.aud : '',
    tenant,
    appid: String(payload.appid ?? ''),
    appidacr: String(payload.appidacr ?? ''),
    idtyp: payload.idtyp === 'app' ? 'app' : 'user',
    oid: String(payload.oid ?? ''),
    roles: list(payload.roles),
    scopes: typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [],
    ...(typeof payload.upn === 'string' ? { upn: payload.upn } : {}),
  };
}

/** Case-insensitive "holds any of these permissions". */
export function holdsAny(granted: readonly string[], wanted: readonly string[]): boolean {
  const have = new Set(granted.map((g) => g.toLowerCase()));
  return wanted.some((w) => have.has(w.toLowerCase()));
}

/** The signed-in user's current directory roles (Graph checks the directory, not the token's wids). */
export function userRoles(directory: Directory, claims: AccessClaims): readonly string[] {
  return directory.userById(claims.tenant, claims.oid)?.roles ?? [];
}
