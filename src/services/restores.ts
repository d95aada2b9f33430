import type { DataAccess } from '../auth/api.js';
import type { Connection, CycleError, RestoreSpec } from '../domain/index.js';
import { displayText } from '../domain/index.js';
import type { EngineContext } from '../engine/context.js';
import type { Storage } from '../repository/api.js';
import type { ServiceContext } from './context.js';
import { dataClientFor, ewsUrlOf } from './data-plane.js';
import { ServiceError } from './errors.js';
import { withStorage } from './storages.js';

/**
 * Restore (a restore job's cycle) and export (`restore export`). A restore goes to the source the
 * items came from or to another mailbox / site of the same tenant; another tenant is refused.
 */

/** `Restored 2026-12-03 14.05`: the folder a restore creates unless told otherwise. */
export function restoredFolderName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `Restored ${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}.${pad(now.getMinutes())}`;
}

export interface RestoreResult {
  restored: number;
  bytes: number;
  readonly errors: CycleError[];
}

export async function runRestore(options: { connection: Connection; access: DataAccess; storage: Storage; spec: RestoreSpec; ctx: EngineContext; now: Date; onRequest?: () => void }): Promise<RestoreResult> {
  const { connection, access, storage, spec, ctx } = options;
  const { select } = await import('../engine/selection.js');
  const selection = await select(storage, spec.from);
  const source = selection.source.source;
  const folderName = spec.folder ?? restoredFolderName(options.now);
  const service = String(source.extra?.service ?? '');
  const plane = { ...(ctx.signal ? { signal: ctx.signal } : {}), ...(options.onRequest ? { onRequest: options.onRequest } : {}) };
  const items = spec.items;
  if (service === 'exchange-online' || service === 'sharepoint-online') {
    if (access.basic) throw new ServiceError('refused', `Server connection '${connection.displayName}' uses Basic Authentication; restoring into Microsoft 365 needs Modern Authentication.`);
    const tenant = await access.tenantGuid(ctx.signal);
    const from = source.extra?.tenantId;
    if (typeof from === 'string' && tenant && from.toLowerCase() !== tenant.toLowerCase()) {
      throw new ServiceError('refused', `The items come from another tenant (${from}) than server connection '${connection.displayName}' (${tenant}); a restore goes only to the tenant they were backed up from.`);
    }
  }
  if (service === 'exchange-online') {
    if (connection.service !== 'exchange' || connection.location !== 'online') throw new ServiceError('bad-input', 'Mailbox items restore through an Exchange Online connection.');
    const { MailApi } = await import('../m365/data/mail.js');
    const { restoreToMailbox } = await import('../engine/exchange-online/restore.js');
    const api = new MailApi(dataClientFor(access, 'graph', plane), access.graphBase);
    const mailbox = spec.to ?? String(source.extra?.userId ?? source.name);
    return restoreToMailbox({ storage, selection, ...(items ? { items } : {}), api, mailbox, folderName, ctx });
  }
  if (service === 'sharepoint-online') {
    if (connection.service !== 'sharepoint' || connection.location !== 'online') throw new ServiceError('bad-input', 'Site items restore through a SharePoint Online connection.');
    const { DrivesApi } = await import('../m365/data/drives.js');
    const { restoreToSite } = await import('../engine/sharepoint-online/restore.js');
    const api = new DrivesApi(dataClientFor(access, 'graph', plane), access.graphBase);
    let siteId = String(source.extra?.siteId ?? '');
    let siteName = source.name;
    if (spec.to) {
      const text = spec.to.replace(/^https?:\/\//, '');
      const slash = text.indexOf('/');
      const site = await api.siteByPath(slash < 0 ? text : text.slice(0, slash), slash < 0 ? '/' : text.slice(slash));
      siteId = site.id;
      siteName = spec.to;
    }
    return restoreToSite({ storage, selection, ...(items ? { items } : {}), api, siteId, siteName, folderName, ctx });
  }
  if (service === 'exchange-onprem' || service === 'exchange-online-basic') {
    if (connection.service !== 'exchange') throw new ServiceError('bad-input', 'Mailbox items restore through an Exchange connection.');
    const { EwsApi } = await import('../m365/data/ews.js');
    const { restoreWithEws } = await import('../engine/exchange-onprem/restore.js');
    const url = connection.location === 'onpremises' && connection.server ? ewsUrlOf(connection.server) : ewsUrlOf(String(source.extra?.server ?? ''));
    const mailbox = spec.to ?? source.name;
    const own = access.basic?.userName.toLowerCase() === mailbox.toLowerCase();
    const api = new EwsApi(dataClientFor(access, 'ews', plane), url, own ? undefined : mailbox);
    return restoreWithEws({ storage, selection, ...(items ? { items } : {}), api, mailbox, folderName, ctx });
  }
  throw new ServiceError('bad-input', `The storage does not say which service '${displayText(source.name)}' came from; it cannot be restored by this version.`);
}

export interface ExportResult {
  readonly exported: number;
  readonly bytes: number;
  readonly errors: readonly CycleError[];
  readonly files: readonly string[];
}

/** `restore export`: items to files, as they were at the source. */
export async function exportFromStorage(
  ctx: Pick<ServiceContext, 'store' | 'now'>,
  input: { storage: string; from: string; items?: readonly string[]; out: string; onEvent?: EngineContext['emit']; stopRequested?: () => boolean },
): Promise<ExportResult> {
  if (!input.out.trim()) throw new ServiceError('bad-input', 'restore export needs --out DIR.');
  return withStorage(ctx, input.storage, async (storage) => {
    const { exportItems } = await import('../engine/export.js');
    return exportItems({
      storage,
      from: input.from,
      ...(input.items ? { items: input.items } : {}),
      out: input.out,
      ctx: { stopRequested: input.stopRequested ?? (() => false), emit: input.onEvent ?? (() => undefined), now: ctx.now, itemConcurrency: 1 },
    });
  });
}
