import type { DataAccess } from '../auth/api.js';
import type { Connection } from '../domain/index.js';
import { DataClient } from '../m365/data/client.js';
import { EWS_ONLINE_URL } from '../m365/ews.js';
import type { ServiceBackup } from '../engine/context.js';
import { ServiceError } from './errors.js';

/**
 * Which engine and which credentials a connection's cycle uses: Graph with app tokens for Modern
 * Authentication, EWS with Basic Authentication for on-premises Exchange and for obsolete Exchange
 * Online connections (they still try it; a tenant that refuses it fails the cycle).
 */

export interface DataPlaneOptions {
  readonly signal?: AbortSignal;
  readonly onThrottled?: (waitMs: number) => void;
  readonly onRequest?: () => void;
}

export function dataClientFor(access: DataAccess, resource: 'graph' | 'ews', options: DataPlaneOptions): DataClient {
  const basic = access.basic;
  const authorization = basic
    ? () => Promise.resolve(`Basic ${Buffer.from(`${basic.userName}:${basic.password.reveal()}`, 'utf8').toString('base64')}`)
    : async () => `Bearer ${await access.token(resource === 'ews' ? 'exchange' : 'graph', options.signal)}`;
  return new DataClient({
    http: access.transport,
    authorization,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onThrottled ? { onThrottled: options.onThrottled } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });
}

export function ewsUrlOf(server: string): string {
  if (/^https?:\/\//i.test(server)) return server.includes('/EWS/') ? server : `${server.replace(/\/+$/, '')}/EWS/Exchange.asmx`;
  return `https://${server}/EWS/Exchange.asmx`;
}

/** The account's own mailbox, when its user name says it: what `sources: all` means over EWS (EWS cannot list the organisation's mailboxes). */
function accountMailbox(connection: Connection, userName: string): string | undefined {
  if ('autodiscoverEmail' in connection && typeof connection.autodiscoverEmail === 'string' && connection.autodiscoverEmail) return connection.autodiscoverEmail;
  return userName.includes('@') ? userName : undefined;
}

export async function backupFor(connection: Connection, access: DataAccess, options: DataPlaneOptions): Promise<ServiceBackup> {
  if (connection.service === 'exchange') {
    if (connection.location === 'onpremises') {
      if (!connection.server) throw new ServiceError('bad-input', `Server connection '${connection.displayName}' finds its server by Autodiscover; backups need the Exchange server's name: edit the connection and enter it.`);
      const { ExchangeOnPremBackup } = await import('../engine/exchange-onprem/backup.js');
      return new ExchangeOnPremBackup(dataClientFor(access, 'ews', options), ewsUrlOf(connection.server), accountMailbox(connection, connection.credential.userName), 'exchange-onprem');
    }
    if (access.basic) {
      const { ExchangeOnPremBackup } = await import('../engine/exchange-onprem/backup.js');
      return new ExchangeOnPremBackup(dataClientFor(access, 'ews', options), EWS_ONLINE_URL, access.basic.userName, 'exchange-online-basic');
    }
    const { ExchangeOnlineBackup } = await import('../engine/exchange-online/backup.js');
    return new ExchangeOnlineBackup(dataClientFor(access, 'graph', options), await access.tenantGuid(options.signal), access.graphBase);
  }
  if (connection.location === 'onpremises') throw new ServiceError('refused', 'This version does not back up on-premises SharePoint.');
  if (access.basic) {
    throw new ServiceError('refused', `SharePoint Online data cannot be read with Basic Authentication (the tenant refuses it for Microsoft Graph); reconfigure '${connection.displayName}' to use Modern Authentication.`);
  }
  const { SharePointOnlineBackup } = await import('../engine/sharepoint-online/backup.js');
  return new SharePointOnlineBackup(dataClientFor(access, 'graph', options), await access.tenantGuid(options.signal), access.graphBase);
}
