import type { AppCredential, Cloud, Connection, OnlineConnection } from './connection.js';

export type AuthType = 'modern' | 'modern and legacy' | 'legacy';

export function isOnline(connection: Connection): connection is OnlineConnection {
  return connection.location === 'online';
}

/**
 * A Microsoft 365 connection that still signs in with a user name and password. Microsoft has
 * switched Basic Authentication off; such a connection must be reconfigured (Edit).
 * On-premises connections use Basic by design and are never obsolete.
 */
export function isObsolete(connection: Connection): boolean {
  return connection.location === 'online' && connection.credential.kind === 'basic';
}

/** The "Authentication type" column of Manage server connections. */
export function authType(connection: Connection): AuthType {
  if (connection.location === 'onpremises' || connection.credential.kind === 'basic') return 'legacy';
  if (connection.service === 'sharepoint' && connection.legacyAccount) return 'modern and legacy';
  return 'modern';
}

export function appCredential(connection: Connection): AppCredential | undefined {
  if (connection.location !== 'online') return undefined;
  const c = connection.credential;
  return c.kind === 'basic' ? undefined : c;
}

export function serviceLabel(connection: Pick<Connection, 'service'>): string {
  return connection.service === 'exchange' ? 'Exchange' : 'SharePoint';
}

export function locationLabel(connection: Pick<Connection, 'location' | 'service'>): string {
  if (connection.location === 'online') {
    return connection.service === 'exchange' ? 'Microsoft 365 (Exchange Online)' : 'Microsoft 365 (SharePoint Online)';
  }
  return connection.service === 'exchange' ? 'On-premises (Exchange Server)' : 'On-premises (SharePoint Server)';
}

/** Short location for narrow tables and the CLI. */
export function locationShort(connection: Pick<Connection, 'location'>): string {
  return connection.location === 'online' ? 'Microsoft 365' : 'On-premises';
}

/** The name shown everywhere, with the `[obsolete]` suffix the reference product uses. */
export function connectionTitle(connection: Connection): string {
  return isObsolete(connection) ? `${connection.displayName} [obsolete]` : connection.displayName;
}

/** The tenant domain implied by a user principal name (admin@contoso.onmicrosoft.com → contoso.onmicrosoft.com). */
export function domainOfUpn(upn: string): string | undefined {
  const at = upn.lastIndexOf('@');
  if (at < 1 || at === upn.length - 1) return undefined;
  return upn.slice(at + 1).toLowerCase();
}

/** SharePoint Online host suffixes of the national clouds, with the tenant's initial domain suffix. */
const SHAREPOINT_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['sharepoint.com', 'onmicrosoft.com'],
  ['sharepoint.us', 'onmicrosoft.us'],
  ['sharepoint-mil.us', 'onmicrosoft.us'],
  ['sharepoint.cn', 'partner.onmschina.cn'],
];

function sharePointParts(siteUrl: string): { name: string; admin: boolean; suffix: string; initial: string } | undefined {
  let host: string;
  try {
    host = new URL(siteUrl).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  for (const [suffix, initial] of SHAREPOINT_SUFFIXES) {
    const match = new RegExp(`^([a-z0-9-]+?)(-admin)?\\.${suffix.replace(/[.-]/g, '\\$&')}$`).exec(host);
    if (match?.[1]) return { name: match[1], admin: match[2] !== undefined, suffix, initial };
  }
  return undefined;
}

/** https://contoso.sharepoint.com → https://contoso-admin.sharepoint.com (and the national clouds' hosts). */
export function sharePointAdminUrl(siteUrl: string): string | undefined {
  const parts = sharePointParts(siteUrl);
  return parts ? `https://${parts.name}-admin.${parts.suffix}` : undefined;
}

/** The tenant's initial domain from a SharePoint URL (contoso.sharepoint.com → contoso.onmicrosoft.com). */
export function tenantFromSharePointUrl(siteUrl: string): string | undefined {
  const parts = sharePointParts(siteUrl);
  return parts ? `${parts.name}.${parts.initial}` : undefined;
}

/** When the connection's credential stops working, if it has a known end date. */
export function credentialExpiry(connection: Connection): Date | undefined {
  const app = appCredential(connection);
  if (!app) return undefined;
  const iso = app.kind === 'app-certificate' ? app.certificate.notAfter : app.expiresAt;
  return iso ? new Date(iso) : undefined;
}

/** The national cloud of a Microsoft 365 connection (absent = global); undefined on-premises. */
export function cloudOf(connection: Connection): Cloud | undefined {
  return connection.location === 'online' ? (connection.cloud ?? 'global') : undefined;
}

/** The cloud's name as admins know it. */
export function cloudLabel(cloud: Cloud): string {
  switch (cloud) {
    case 'global':
      return 'Global';
    case 'usgov':
      return 'US Government (GCC High)';
    case 'usgovdod':
      return 'US Government (DoD)';
    case 'china':
      return 'China (21Vianet)';
  }
}

/** SharePoint Online takes no client secret (the same words wherever it is refused). */
export const SHAREPOINT_NEEDS_CERTIFICATE = 'SharePoint REST refuses app-only tokens from a client secret: a certificate is required.';
