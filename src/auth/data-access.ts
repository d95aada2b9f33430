import type { Cloud } from '../domain/connection.js';
import { exchangeScope, graphBase, graphScope } from '../m365/clouds.js';
import type { Transport } from '../m365/transport.js';
import type { Secret } from '../domain/secret.js';
import type { VerifyTarget } from './api.js';
import { M365Error } from './api.js';

/**
 * What the backup engine needs from identity for one connection: the panel's one transport (with
 * the endpoint override, proxy and timeouts) and app-only tokens per resource, kept in memory only
 * and renewed before they expire. Basic-auth connections carry their account instead.
 */

export type DataResource = 'graph' | 'exchange' | 'sharepoint';

export interface DataAccess {
  readonly transport: Transport;
  /** An app-only access token for the resource; never logged, never stored. */
  token(resource: DataResource, signal?: AbortSignal): Promise<string>;
  /** Set for connections on Basic Authentication (on-premises, or obsolete Microsoft 365 ones). */
  readonly basic?: { readonly userName: string; readonly password: Secret };
  /** The tenant a Modern Authentication connection belongs to (GUID or domain). */
  readonly tenantId?: string;
  /** The connection's national cloud, and its Graph base URL (https://graph.microsoft.us/v1.0 for GCC High). */
  readonly cloud: Cloud;
  readonly graphBase: string;
  /** The directory (tenant) GUID, from the Graph token's `tid` claim; undefined for Basic Authentication. */
  tenantGuid(signal?: AbortSignal): Promise<string | undefined>;
}


/** Renew this long before the token's expiry, so that a request never carries an expired one. */
const RENEW_BEFORE_MS = 5 * 60_000;

export function createDataAccess(transport: Transport, target: VerifyTarget, now: () => Date): DataAccess {
  if (target.kind === 'online-basic' || target.kind === 'onprem-exchange' || target.kind === 'onprem-sharepoint') {
    const cloud = target.kind === 'online-basic' ? (target.cloud ?? 'global') : 'global';
    return {
      transport,
      cloud,
      graphBase: graphBase(cloud),
      basic: { userName: target.userName, password: target.password },
      token: () => Promise.reject(new M365Error('Configuration', 'This connection uses Basic Authentication; it has no app tokens.')),
      tenantGuid: () => Promise.resolve(undefined),
    };
  }
  const cache = new Map<DataResource, { token: string; renewAt: number }>();
  const pending = new Map<DataResource, Promise<string>>();
  let tid: string | undefined;
  const cloud = target.cloud ?? 'global';
  const access: DataAccess = {
    transport,
    tenantId: target.tenantId,
    cloud,
    graphBase: graphBase(cloud),
    async tenantGuid(signal) {
      if (tid === undefined) await access.token('graph', signal);
      return tid;
    },
    async token(resource, signal) {
      const held = cache.get(resource);
      if (held && held.renewAt > now().getTime()) return held.token;
      let request = pending.get(resource);
      if (!request) {
        const scope =
          resource === 'sharepoint' ? `${new URL(target.siteUrl ?? 'https://invalid.sharepoint.com').origin}/.default` : resource === 'graph' ? graphScope(cloud) : exchangeScope(cloud);
        request = (async () => {
          const { acquireAppToken } = await import('./client-credentials.js');
          const token = await acquireAppToken(transport, {
            tenantId: target.tenantId,
            cloud,
            clientId: target.clientId,
            credential: target.credential,
            scope,
            ...(signal ? { signal } : {}),
          });
          const expires = token.expiresOn?.getTime() ?? now().getTime() + 50 * 60_000;
          cache.set(resource, { token: token.accessToken, renewAt: expires - RENEW_BEFORE_MS });
          tid ??= token.claims.tid;
          return token.accessToken;
        })().finally(() => pending.delete(resource));
        pending.set(resource, request);
      }
      return request;
    },
  };
  return access;
}
