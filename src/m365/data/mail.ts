import { GRAPH_BASE } from '../graph-client.js';
import type { DataClient } from './client.js';
import type { OpenResponse } from './http.js';
import { readCapped } from './http.js';
import { DataCallError, classifyFailure } from './classify.js';
import { graphFailure } from './client.js';

/**
 * Microsoft Graph mail (contracts §9): users, the folder tree by mailFolders/delta, messages per
 * folder by messages/delta, the MIME by $value, and what restore writes (folders, messages as
 * JSON with the flags set at creation, attachments, upload sessions). Wire formats only.
 */

export interface GraphUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName?: string | null;
  readonly mail?: string | null;
}

export interface MailFolder {
  readonly id: string;
  readonly displayName?: string;
  readonly parentFolderId?: string;
  readonly '@removed'?: { readonly reason?: string };
}

/** One entry of a messages/delta page: an added or changed message, or a removed one. */
export interface MessageChange {
  readonly id: string;
  readonly '@removed'?: { readonly reason?: string };
  readonly subject?: string | null;
  readonly receivedDateTime?: string | null;
  readonly sentDateTime?: string | null;
  readonly isRead?: boolean;
  readonly isDraft?: boolean;
  readonly internetMessageId?: string | null;
  readonly parentFolderId?: string;
  readonly hasAttachments?: boolean;
  readonly changeKey?: string;
}

export interface DeltaPage<T> {
  readonly items: readonly T[];
  /** Set on the last page: where the next cycle starts. */
  readonly deltaLink?: string;
}

const MESSAGE_SELECT = 'subject,receivedDateTime,sentDateTime,isRead,isDraft,internetMessageId,parentFolderId,hasAttachments,changeKey';
const PREFER_DELTA = 'odata.maxpagesize=500, IdType="ImmutableId"';

interface ODataPage<T> {
  readonly value?: T[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

export class MailApi {
  constructor(
    private readonly client: DataClient,
    private readonly base = GRAPH_BASE,
  ) {}

  #user(user: string): string {
    return `${this.base}/users/${encodeURIComponent(user)}`;
  }

  /** Every user of the tenant (paged); who has a mailbox shows when its folders are read. */
  async *users(): AsyncGenerator<GraphUser> {
    let url: string | undefined = `${this.base}/users?$select=id,userPrincipalName,displayName,mail&$top=999`;
    while (url) {
      const page: ODataPage<GraphUser> = (await this.client.json<ODataPage<GraphUser>>({ url, headers: { Prefer: 'odata.maxpagesize=999' } })).body;
      for (const user of page.value ?? []) yield user;
      url = page['@odata.nextLink'];
    }
  }

  async user(idOrUpn: string): Promise<GraphUser> {
    return (await this.client.json<GraphUser>({ url: `${this.#user(idOrUpn)}?$select=id,userPrincipalName,displayName,mail` })).body;
  }

  /** Pages of a delta enumeration, from the first URL or a saved deltaLink, to the page with the new deltaLink. */
  async *#delta<T>(url: string, key: string): AsyncGenerator<DeltaPage<T>> {
    let next: string | undefined = url;
    while (next) {
      const page: ODataPage<T> = (await this.client.json<ODataPage<T>>({ url: next, key, headers: { Prefer: PREFER_DELTA } })).body;
      const deltaLink = page['@odata.deltaLink'];
      next = page['@odata.nextLink'];
      yield { items: page.value ?? [], ...(deltaLink && !next ? { deltaLink } : {}) };
      if (!next && !deltaLink) throw new DataCallError(200, 'NoDeltaLink', 'the delta enumeration ended without a delta link', new URL(url).host);
    }
  }

  /** The folder tree's changes since `deltaLink` (all of it without one). */
  folderDelta(user: string, deltaLink?: string): AsyncGenerator<DeltaPage<MailFolder>> {
    return this.#delta<MailFolder>(deltaLink ?? `${this.#user(user)}/mailFolders/delta?$select=displayName,parentFolderId`, user);
  }

  /** A folder's message changes since `deltaLink` (every message without one). */
  messageDelta(user: string, folderId: string, deltaLink?: string): AsyncGenerator<DeltaPage<MessageChange>> {
    return this.#delta<MessageChange>(
      deltaLink ?? `${this.#user(user)}/mailFolders/${encodeURIComponent(folderId)}/messages/delta?$select=${MESSAGE_SELECT}`,
      user,
    );
  }

  /** The message's MIME as a stream (status 200), to be read or cancelled. */
  async mime(user: string, messageId: string): Promise<OpenResponse> {
    const response = await this.client.open({ url: `${this.#user(user)}/messages/${encodeURIComponent(messageId)}/$value`, key: user, headers: { Accept: '*/*' } });
    if (response.status !== 200) {
      const text = (await readCapped(response, 1_048_576)).toString('utf8');
      throw graphFailure(response.status, text, response.host);
    }
    return response;
  }

  /** The id of a well-known folder (msgfolderroot, inbox…) or the folder itself. */
  async folder(user: string, folderId: string): Promise<MailFolder> {
    return (await this.client.json<MailFolder>({ url: `${this.#user(user)}/mailFolders/${encodeURIComponent(folderId)}?$select=id,displayName,parentFolderId`, key: user })).body;
  }

  /** A child folder by name, created when missing (ErrorFolderExists → looked up), as corso does. */
  async ensureChildFolder(user: string, parentId: string, displayName: string): Promise<string> {
    const children = `${this.#user(user)}/mailFolders/${encodeURIComponent(parentId)}/childFolders`;
    const find = async (): Promise<string | undefined> => {
      let url: string | undefined = `${children}?$select=id,displayName&$top=999`;
      while (url) {
        const page: ODataPage<MailFolder> = (await this.client.json<ODataPage<MailFolder>>({ url, key: user })).body;
        const hit = page.value?.find((f) => f.displayName === displayName);
        if (hit) return hit.id;
        url = page['@odata.nextLink'];
      }
      return undefined;
    };
    try {
      const created = await this.client.json<MailFolder>({ method: 'POST', url: children, key: user, json: { displayName } });
      return created.body.id;
    } catch (error) {
      if (error instanceof DataCallError && (error.status === 409 || error.code === 'ErrorFolderExists')) {
        const id = await find();
        if (id) return id;
      }
      throw error;
    }
  }

  /** Creates a message from Graph JSON in a folder (flags and dates set at creation); returns its id. */
  async createMessage(user: string, folderId: string, message: Record<string, unknown>): Promise<string> {
    const created = await this.client.json<{ id: string }>({
      method: 'POST',
      url: `${this.#user(user)}/mailFolders/${encodeURIComponent(folderId)}/messages`,
      key: user,
      json: message,
    });
    return created.body.id;
  }

  /** A small attachment (under 3 MB) in one request. */
  async addAttachment(user: string, messageId: string, attachment: { name: string; contentType: string; bytes: Uint8Array; isInline: boolean; contentId?: string }): Promise<void> {
    await this.client.json({
      method: 'POST',
      url: `${this.#user(user)}/messages/${encodeURIComponent(messageId)}/attachments`,
      key: user,
      json: {
        '@odata.type': '#microsoft.graph.fileAttachment',
        name: attachment.name,
        contentType: attachment.contentType,
        isInline: attachment.isInline,
        ...(attachment.contentId ? { contentId: attachment.contentId } : {}),
        contentBytes: Buffer.from(attachment.bytes).toString('base64'),
      },
    });
  }

  /** A large attachment (3 MB and above) through an upload session, in 4 MiB chunks. */
  async uploadAttachment(user: string, messageId: string, attachment: { name: string; contentType: string; bytes: Uint8Array; isInline: boolean; contentId?: string }): Promise<void> {
    const session = await this.client.json<{ uploadUrl: string }>({
      method: 'POST',
      url: `${this.#user(user)}/messages/${encodeURIComponent(messageId)}/attachments/createUploadSession`,
      key: user,
      json: {
        AttachmentItem: {
          attachmentType: 'file',
          name: attachment.name,
          size: attachment.bytes.byteLength,
          contentType: attachment.contentType,
          isInline: attachment.isInline,
          ...(attachment.contentId ? { contentId: attachment.contentId } : {}),
        },
      },
    });
    const total = attachment.bytes.byteLength;
    const CHUNK = 4 * 1_048_576;
    for (let start = 0; start < total; start += CHUNK) {
      const end = Math.min(total, start + CHUNK);
      // The upload URL is pre-authenticated: no Authorization header.
      await this.client.json({
        method: 'PUT',
        url: session.body.uploadUrl,
        key: user,
        auth: false,
        idempotent: true,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `bytes ${start}-${end - 1}/${total}` },
        body: attachment.bytes.subarray(start, end),
      });
    }
  }

  /** Whether an error means "this user has no mailbox" (skip, not a failure). */
  static noMailbox(error: unknown): boolean {
    return classifyFailure(error) === 'no-mailbox';
  }
}
