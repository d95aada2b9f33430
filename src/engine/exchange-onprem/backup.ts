import type { DataClient } from '../../m365/data/client.js';
import { DataCallError } from '../../m365/data/classify.js';
import { EwsApi } from '../../m365/data/ews.js';
import type { SnapshotBuilder, SourceInfo, WriteSession } from '../../repository/api.js';
import type { EngineContext, ServiceBackup, SourceOutcome } from '../context.js';
import type { MailboxReader } from '../mailbox-sync.js';
import { syncMailbox } from '../mailbox-sync.js';

/**
 * On-premises Exchange (and obsolete Exchange Online connections, which still try Basic
 * Authentication) through EWS: SyncFolderHierarchy, SyncFolderItems from the folder's SyncState,
 * GetItem with the MIME. Mailboxes other than the account's own are read by impersonation.
 */

export function ewsMailboxSource(smtp: string, service: 'exchange-onprem' | 'exchange-online-basic', server: string): SourceInfo {
  return { key: `mailbox:${smtp.toLowerCase()}`, name: smtp, kind: 'mailbox', extra: { service, server } };
}

export function ewsMailboxReader(api: EwsApi): MailboxReader {
  return {
    async folders(cursor) {
      const { changes, syncState } = await api.syncFolderHierarchy(cursor);
      return { changes, cursor: syncState };
    },
    async *messages(folderId, cursor) {
      let state = cursor;
      for (;;) {
        const page = await api.syncFolderItems(folderId, state);
        state = page.syncState;
        yield { items: page.changes, ...(page.last ? { cursor: state } : {}) };
        if (page.last) return;
      }
    },
    async mime(itemId) {
      const bytes = await api.mime(itemId);
      return (async function* () {
        yield bytes;
      })();
    },
  };
}

export class ExchangeOnPremBackup implements ServiceBackup {
  constructor(
    private readonly client: DataClient,
    /** https://server/EWS/Exchange.asmx */
    private readonly ewsUrl: string,
    /** The account's own mailbox address ('all' backs up this one); undefined when the user name is not one. */
    private readonly accountMailbox: string | undefined,
    private readonly service: 'exchange-onprem' | 'exchange-online-basic',
  ) {}

  async sources(selection: 'all' | readonly string[]): Promise<SourceInfo[]> {
    const host = new URL(this.ewsUrl).host;
    if (selection === 'all' && !this.accountMailbox) {
      throw new DataCallError(400, 'NoMailboxList', 'EWS cannot list the mailboxes and the account name is not a mailbox address; list them: backup-panel jobs edit <job> --sources a@corp.contoso.com,b@corp.contoso.com', host);
    }
    const names = selection === 'all' ? [this.accountMailbox as string] : selection;
    return names.map((smtp) => ewsMailboxSource(smtp, this.service, host));
  }

  async backup(source: SourceInfo, builder: SnapshotBuilder, session: WriteSession, ctx: EngineContext, outcome: SourceOutcome): Promise<void> {
    const own = source.name.toLowerCase() === this.accountMailbox?.toLowerCase();
    const api = new EwsApi(this.client, this.ewsUrl, own ? undefined : source.name);
    await syncMailbox(source, ewsMailboxReader(api), builder, session, ctx, outcome);
  }
}
