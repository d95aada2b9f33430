import { classifyFailure, failsCycle } from '../../m365/data/classify.js';
import type { EwsApi } from '../../m365/data/ews.js';
import type { Storage } from '../../repository/api.js';
import type { EngineContext } from '../context.js';
import { describeFailure } from '../cycle.js';
import type { RestoreSummary } from '../exchange-online/restore.js';
import { readAll } from '../exchange-online/restore.js';
import type { Selection } from '../selection.js';
import { selectedItems } from '../selection.js';

/** Restore through EWS: CreateItem with the MIME and PR_MESSAGE_FLAGS (not a draft), folders as in the backup. */
export async function restoreWithEws(options: { storage: Storage; selection: Selection; items?: readonly string[]; api: EwsApi; mailbox: string; folderName: string; ctx: EngineContext }): Promise<RestoreSummary> {
  const { api, ctx, selection } = options;
  const summary: RestoreSummary = { restored: 0, bytes: 0, errors: [] };
  const top = await api.ensureFolder({ distinguished: 'msgfolderroot' }, options.folderName);
  const targets = new Map<string, string>();
  for await (const { folderId, item } of selectedItems(selection, options.items)) {
    if (ctx.stopRequested()) break;
    try {
      let target = targets.get(folderId);
      if (!target) {
        target = top;
        for (const name of selection.resolver.path(folderId)) target = await api.ensureFolder({ id: target }, name);
        targets.set(folderId, target);
      }
      await api.createItem(target, await readAll(options.storage, item.content), item.extra?.isRead === true);
      summary.restored++;
      summary.bytes += item.content.size;
      ctx.emit({ type: 'item', source: options.mailbox, bytes: item.content.size, action: 'restored' });
    } catch (error) {
      if (failsCycle(classifyFailure(error))) throw error;
      const message = describeFailure(error);
      summary.errors.push({ source: options.mailbox, item: item.id, message });
      ctx.emit({ type: 'error', source: options.mailbox, message });
    }
  }
  return summary;
}
