import type { CycleError } from '../../domain/index.js';
import { classifyFailure, failsCycle } from '../../m365/data/classify.js';
import type { MailApi } from '../../m365/data/mail.js';
import type { Storage } from '../../repository/api.js';
import type { EngineContext } from '../context.js';
import { describeFailure } from '../cycle.js';
import type { Selection, SelectedItem } from '../selection.js';
import { selectedItems } from '../selection.js';
import { mimeToGraphMessage } from './mime-message.js';

/**
 * Restore into a mailbox through Graph: a folder `Restored <date>` (or the one asked for) under the
 * top of the mailbox with the original folder path beneath it, then each message built from its
 * MIME (not a draft, original dates), then its attachments (an upload session from 3 MB).
 */

export const LARGE_ATTACHMENT = 3 * 1_048_576;

export interface RestoreSummary {
  restored: number;
  bytes: number;
  readonly errors: CycleError[];
}

export async function readAll(storage: Storage, ref: Parameters<Storage['readContent']>[0]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of storage.readContent(ref)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export async function restoreToMailbox(options: {
  storage: Storage;
  selection: Selection;
  items?: readonly string[];
  api: MailApi;
  /** The target mailbox (user id or UPN). */
  mailbox: string;
  folderName: string;
  ctx: EngineContext;
}): Promise<RestoreSummary> {
  const { api, mailbox, ctx, selection } = options;
  const summary: RestoreSummary = { restored: 0, bytes: 0, errors: [] };
  const root = await api.folder(mailbox, 'msgfolderroot');
  const top = await api.ensureChildFolder(mailbox, root.id, options.folderName);
  const targets = new Map<string, string>();
  const targetFor = async (folderId: string): Promise<string> => {
    const known = targets.get(folderId);
    if (known) return known;
    let parent = top;
    for (const name of selection.resolver.path(folderId)) parent = await api.ensureChildFolder(mailbox, parent, name);
    targets.set(folderId, parent);
    return parent;
  };
  const one = async ({ folderId, item }: SelectedItem) => {
    const mime = await readAll(options.storage, item.content);
    const draft = await mimeToGraphMessage(mime, {
      isRead: item.extra?.isRead === true,
      received: item.date,
      ...(typeof item.extra?.sent === 'string' ? { sent: item.extra.sent } : {}),
    });
    const folder = await targetFor(folderId);
    const id = await api.createMessage(mailbox, folder, draft.message);
    for (const attachment of draft.attachments) {
      if (attachment.bytes.byteLength >= LARGE_ATTACHMENT) await api.uploadAttachment(mailbox, id, attachment);
      else await api.addAttachment(mailbox, id, attachment);
    }
    summary.restored++;
    summary.bytes += item.content.size;
    ctx.emit({ type: 'item', source: mailbox, bytes: item.content.size, action: 'restored' });
  };
  for await (const selected of selectedItems(selection, options.items)) {
    if (ctx.stopRequested()) break;
    try {
      await one(selected);
    } catch (error) {
      if (failsCycle(classifyFailure(error))) throw error;
      const message = describeFailure(error);
      summary.errors.push({ source: mailbox, item: selected.item.id, message });
      ctx.emit({ type: 'error', source: mailbox, message });
    }
  }
  return summary;
}
