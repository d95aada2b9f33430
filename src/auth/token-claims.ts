/**
 * Claims of an app-only access token, decoded locally WITHOUT checking the signature: only to tell
 * the admin what Entra granted before calling a service (microsoft365.md §10.4).
 */
export interface TokenClaims {
  /** Audience: the resource (https://graph.microsoft.com or its app ID). */
  readonly aud?: string;
  /** Tenant (directory) ID. */
  readonly tid?: string;
  /** Application roles granted (admin-consented application permissions). */
  readonly roles: readonly string[];
  /** "app" for app-only tokens. */
  readonly idtyp?: string;
  /** "1" = client secret, "2" = certificate (v1 tokens). */
  readonly appidacr?: string;
  /** "1" / "2" in v2 tokens (same meaning as appidacr). */
  readonly azpacr?: string;
  readonly appid?: string;
  readonly exp?: number;
  /** Delegated tokens: the directory role template IDs of the user's active roles (absent when not issued). */
  readonly wids?: readonly string[];
}

function base64UrlDecode(segment: string): string {
  return Buffer.from(segment.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

/** Decodes a JWT's payload; returns undefined when the token is not a readable JWT. */
export function decodeTokenClaims(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length < 2 || !parts[1]) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(base64UrlDecode(parts[1]));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  const str = (key: string): Record<string, string> => (typeof p[key] === 'string' ? { [key]: p[key] } : {});
  return {
    ...str('aud'),
    ...str('tid'),
    ...str('idtyp'),
    ...str('appidacr'),
    ...str('azpacr'),
    ...str('appid'),
    ...(typeof p.exp === 'number' ? { exp: p.exp } : {}),
    roles: Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === 'string') : [],
    ...(Array.isArray(p.wids) ? { wids: p.wids.filter((r): r is string => typeof r === 'string') } : {}),
  };
}

/** True when the token was obtained with a client secret (SharePoint REST refuses those). */
export function isSecretBasedToken(claims: TokenClaims): boolean {
  return claims.appidacr === '1' || claims.azpacr === '1';
}
