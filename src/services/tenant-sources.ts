import type { DataAccess } from '../auth/api.js';
import type { ServiceContext } from './context.js';
import { backupFor, dataClientFor } from './data-plane.js';
import { ServiceError } from './errors.js';
import { findConnection } from './lookup.js';
import { verifyTargetFor } from './verify-target.js';

/**
 * The mailboxes or sites a connection reaches, fetched live (the backup job wizard's source
 * picker, a restore's other target): the names are the ones jobs and browse paths use (a mailbox
 * UPN, a site as `host/sites/name`); the title is what the admin recognises them by. The picker
 * filters and windows the list; the names are held, never the items.
 */
export interface TenantSource {
  readonly name: string;
  readonly title?: string;
}

function byName(a: TenantSource, b: TenantSource): number {
  return a.name.localeCompare(b.name);
}

async function exchangeOnline(access: DataAccess, signal: AbortSignal | undefined): Promise<TenantSource[]> {
  const { MailApi } = await import('../m365/data/mail.js');
  const api = new MailApi(dataClientFor(access, 'graph', signal ? { signal } : {}), access.graphBase);
  const out: TenantSource[] = [];
  // Users without mail are not mailboxes (the engine's rule for `sources: all`).
  for await (const user of api.users()) if (user.mail) out.push({ name: user.userPrincipalName, ...(user.displayName ? { title: user.displayName } : {}) });
  return out;
}

export async function tenantSources(ctx: ServiceContext, connectionRef: string, options: { signal?: AbortSignal } = {}): Promise<TenantSource[]> {
  const connection = findConnection(ctx.store.current(), connectionRef);
  const target = verifyTargetFor(ctx.store, connection);
  const auth = await ctx.auth();
  if (!auth.dataAccess) throw new ServiceError('refused', 'This build cannot reach Microsoft 365 data.');
  const access = await auth.dataAccess(target);
  if (connection.service === 'exchange' && connection.location === 'online' && !access.basic) {
    return (await exchangeOnline(access, options.signal)).sort(byName);
  }
  const backup = await backupFor(connection, access, options.signal ? { signal: options.signal } : {});
  const sources = await backup.sources('all');
  return sources.map((s) => ({ name: s.name })).sort(byName);
}
