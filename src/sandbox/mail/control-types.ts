/** The public shape of `sandbox.mail` (see control.ts). Mailboxes are named by UPN, user id or SMTP address. */
import type { Address } from './mime-write.js';

export interface SandboxFolderInfo {
  readonly id: string;
  /** Below the root, e.g. "Inbox/Projects/Alpha". */
  readonly path: string;
  readonly displayName: string;
  readonly parentId: string;
  readonly wellKnownName?: string;
  readonly totalItemCount: number;
  readonly unreadItemCount: number;
}

export interface SandboxMessageInfo {
  readonly id: string;
  /** The folder's path, e.g. "Inbox". */
  readonly folder: string;
  readonly subject: string;
  readonly from: string | undefined;
  readonly to: readonly string[];
  readonly isRead: boolean;
  /** MSGFLAG_UNSENT in PidTagMessageFlags, as Exchange derives isDraft. */
  readonly isDraft: boolean;
  /** PidTagMessageFlags (0x0E07). */
  readonly flags: number;
  readonly receivedDateTime: string;
  readonly sentDateTime: string;
  readonly internetMessageId: string;
  readonly hasAttachments: boolean;
  /** Bytes of its MIME. */
  readonly size: number;
  readonly attachments: ReadonlyArray<{ readonly name: string; readonly contentType: string; readonly size: number; readonly isInline: boolean }>;
}

export interface NewMessageInput {
  readonly subject?: string;
  readonly from?: Address;
  readonly to?: readonly Address[];
  /** Plain-text body (then the message is built from these fields rather than generated). */
  readonly body?: string;
  readonly attachments?: ReadonlyArray<{ readonly name: string; readonly contentType?: string; readonly content?: string | Buffer; readonly size?: number }>;
  /** The message as MIME, stored and served byte for byte. */
  readonly mime?: string | Buffer;
  readonly isRead?: boolean;
  readonly receivedDateTime?: string;
  /** Generate it with an attachment of about the sandbox's largeMessageBytes. */
  readonly large?: boolean;
}

export interface MessageChange {
  readonly isRead?: boolean;
  readonly subject?: string;
  readonly categories?: readonly string[];
  readonly flagged?: boolean;
}

export interface SandboxMail {
  folders(mailbox: string): SandboxFolderInfo[];
  /** Messages of a folder (id, well-known name or path). */
  messages(mailbox: string, folder: string): SandboxMessageInfo[];
  message(mailbox: string, id: string): SandboxMessageInfo | undefined;
  /** The MIME `$value` serves (and EWS MimeContent carries). */
  mime(mailbox: string, id: string): Promise<Buffer>;
  attachments(mailbox: string, id: string): Promise<Array<{ name: string; contentType: string; size: number; isInline: boolean; sha256: string }>>;
  /** Returns the new message's id. */
  addMessage(mailbox: string, folder: string, input?: NewMessageInput): string;
  changeMessage(mailbox: string, id: string, change: MessageChange): void;
  moveMessage(mailbox: string, id: string, folder: string): void;
  deleteMessage(mailbox: string, id: string): void;
  /** Returns the new folder's id. */
  addFolder(mailbox: string, parent: string, name: string): string;
  renameFolder(mailbox: string, folder: string, name: string): void;
  moveFolder(mailbox: string, folder: string, parent: string): void;
  deleteFolder(mailbox: string, folder: string): void;
  /** Every delta token and EWS sync state of the mailbox (or of all) answers 410 / ErrorInvalidSyncStateData from now on. */
  expireSyncState(mailbox?: string): void;
  /** Parks the mailbox's Graph mail requests (counted as in flight) until the returned function is called. */
  hold(mailbox: string): () => void;
  /** Graph mail requests of the mailbox being served now. */
  inFlight(mailbox: string): number;
}
