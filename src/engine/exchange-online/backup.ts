import type { DataClient } from '../../m365/data/client.js';
import { classifyFailure } from '../../m365/data/classify.js';
import { MailApi, type GraphUser } from '../../m365/data/mail.js';
import type { SnapshotBuilder, SourceInfo, WriteSession } from '../../repository/api.js';
import type { EngineContext, ServiceBackup, SourceOutcome } from '../context.js';
import type { MailboxReader } from '../mailbox-sync.js';
import { syncMailbox } from '../mailbox-sync.js';

/** Exchange Online through Graph: mailboxes of the tenant (or the listed ones), one snapshot each. */

export const mailboxSourceKey = (userId: string): string => `mailbox:${userId}`;

export function mailboxSource(user: GraphUser, tenantId: string | undefined): SourceInfo {
  return {
    key: mailboxSourceKey(user.id),
    name: user.userPrincipalName,
    kind: 'mailbox',
    extra: { service: 'exchange-online', userId: user.id, ...(tenantId ? { tenantId } : {}) },
  };
}

/** Folders that hold no mail of their own to back up. */
const SKIPPED_FOLDER_NAMES = new Set(['Conversation History', 'Sync Issues', 'Conflicts', 'Local Failures', 'Server Failures']);

export function graphMailboxReader(api: MailApi, user: string): MailboxReader {
  return {
    async folders(cursor) {
      const changes = [];
      let link: string | undefined;
      for await (const page of api.folderDelta(user, cursor)) {
        for (const f of page.items) {
          changes.push({ id: f.id, ...(f.parentFolderId ? { parentId: f.parentFolderId } : {}), ...(f.displayName !== undefined ? { name: f.displayName } : {}), ...(f['@removed'] ? { removed: true } : {}) });
        }
        if (page.deltaLink) link = page.deltaLink;
      }
      return { changes, cursor: link ?? '' };
    },
    async *messages(folderId, cursor) {
      for await (const page of api.messageDelta(user, folderId, cursor)) {
        yield {
          items: page.items.map((m) => ({
            id: m.id,
            ...(m['@removed'] ? { removed: true } : {}),
            ...(m.changeKey ? { changeKey: m.changeKey } : {}),
            ...(typeof m.subject === 'string' ? { subject: m.subject } : {}),
            ...(m.receivedDateTime ? { received: m.receivedDateTime } : {}),
            ...(m.sentDateTime ? { sent: m.sentDateTime } : {}),
            ...(typeof m.isRead === 'boolean' ? { isRead: m.isRead } : {}),
            ...(m.internetMessageId ? { internetMessageId: m.internetMessageId } : {}),
          })),
          ...(page.deltaLink ? { cursor: page.deltaLink } : {}),
        };
      }
    },
    async mime(messageId) {
      return (await api.mime(user, messageId)).body;
    },
    skipFolder: (f) => f.name !== undefined && SKIPPED_FOLDER_NAMES.has(f.name),
  };
}

export class ExchangeOnlineBackup implements ServiceBackup {
  readonly #api: MailApi;

  constructor(
    client: DataClient,
    private readonly tenantId: string | undefined,
    /** Graph's base URL in the connection's cloud. */
    graphBase?: string,
  ) {
    this.#api = graphBase ? new MailApi(client, graphBase) : new MailApi(client);
  }

  async sources(selection: 'all' | readonly string[]): Promise<SourceInfo[]> {
    if (selection === 'all') {
      const out: SourceInfo[] = [];
      // Users without mail are not mailboxes; those whose mailbox is not usable are skipped when read.
      for await (const user of this.#api.users()) if (user.mail) out.push(mailboxSource(user, this.tenantId));
      return out;
    }
    const out: SourceInfo[] = [];
    for (const upn of selection) out.push(mailboxSource(await this.#api.user(upn), this.tenantId));
    return out;
  }

  async backup(source: SourceInfo, builder: SnapshotBuilder, session: WriteSession, ctx: EngineContext, outcome: SourceOutcome): Promise<void> {
    const userId = String(source.extra?.userId ?? source.name);
    try {
      await syncMailbox(source, graphMailboxReader(this.#api, userId), builder, session, ctx, outcome);
    } catch (error) {
      if (classifyFailure(error) === 'no-mailbox') return; // not a failure (backup-data.md §1.1)
      throw error;
    }
  }
}
