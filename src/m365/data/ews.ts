import { XMLParser } from 'fast-xml-parser';
import { M365Error } from '../errors.js';
import { xmlEscape } from '../ews.js';
import { DataCallError } from './classify.js';
import type { DataClient } from './client.js';
import { readCapped } from './http.js';

/**
 * EWS for mailbox data (contracts §9): SyncFolderHierarchy, SyncFolderItems with its SyncState,
 * GetItem with the MIME content, CreateFolder / FindFolder and CreateItem for restore. SOAP in,
 * parsed XML out; ResponseCode errors become DataCallError (classified in classify.ts).
 */

export interface EwsFolderChange {
  readonly id: string;
  readonly parentId?: string;
  readonly name?: string;
  readonly folderClass?: string;
  readonly removed?: boolean;
}

export interface EwsItemChange {
  readonly id: string;
  readonly changeKey?: string;
  readonly removed?: boolean;
  readonly subject?: string;
  readonly received?: string;
  readonly sent?: string;
  readonly isRead?: boolean;
  readonly internetMessageId?: string;
}

/** Largest SOAP reply read (GetItem of one message with its base64 MIME: 150 MB → 200 MB). */
const MAX_SOAP_BYTES = 210 * 1_048_576;
const SYNC_PAGE = 512;

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => ['Create', 'Update', 'Delete', 'ReadFlagChange', 'Message', 'Folder', 'Items', 'GetItemResponseMessage', 'Resolution'].includes(name),
});

function envelope(body: string, impersonate?: string): string {
  const impersonation = impersonate
    ? `<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${xmlEscape(impersonate)}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>`
    : '';
  return (
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">' +
    `<soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/>${impersonation}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

const get = (node: unknown, ...path: string[]): unknown => {
  let cur = node;
  for (const key of path) cur = cur && typeof cur === 'object' ? (cur as XmlNode)[key] : undefined;
  return cur;
};
const text = (node: unknown): string | undefined => (typeof node === 'string' ? node : typeof node === 'object' && node && '#text' in node ? String((node as XmlNode)['#text']) : undefined);
const list = (node: unknown): unknown[] => (Array.isArray(node) ? node : node === undefined ? [] : [node]);

export class EwsApi {
  constructor(
    private readonly client: DataClient,
    private readonly url: string,
    /** The mailbox to act on through ExchangeImpersonation (app-only, or an admin account). */
    private readonly impersonate?: string,
  ) {}

  async #call(body: string, idempotent: boolean): Promise<XmlNode> {
    const response = await this.client.open({
      method: 'POST',
      url: this.url,
      key: this.impersonate ?? this.url,
      idempotent,
      headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml', ...(this.impersonate ? { 'X-AnchorMailbox': this.impersonate } : {}) },
      body: envelope(body, this.impersonate),
    });
    const xml = (await readCapped(response, MAX_SOAP_BYTES)).toString('utf8');
    if (response.status === 401) {
      throw new M365Error('BasicAuthDisabled', `${response.host} refused the sign-in (HTTP 401): the user name and password are wrong or Basic Authentication is turned off for this server or tenant.`);
    }
    let doc: XmlNode;
    try {
      doc = parser.parse(xml) as XmlNode;
    } catch {
      throw new DataCallError(response.status, undefined, `${response.host} answered HTTP ${response.status} without a readable SOAP reply.`, response.host);
    }
    const bodyNode = get(doc, 'Envelope', 'Body') as XmlNode | undefined;
    const fault = get(bodyNode, 'Fault');
    if (fault || response.status >= 400 || !bodyNode) {
      const code = text(get(fault, 'detail', 'ResponseCode')) ?? text(get(fault, 'faultcode'));
      const message = text(get(fault, 'faultstring')) ?? `HTTP ${response.status}`;
      throw new DataCallError(response.status >= 400 ? response.status : 500, code, `${response.host}: ${code ?? 'SOAP fault'}: ${message}`, response.host);
    }
    return bodyNode;
  }

  /** The one response message of an operation; a ResponseClass Error throws with its code. */
  #message(body: XmlNode, operation: string): XmlNode {
    const messages = get(body, `${operation}Response`, 'ResponseMessages') as XmlNode | undefined;
    const first = messages ? (list(Object.values(messages)[0])[0] as XmlNode | undefined) : undefined;
    if (!first) throw new DataCallError(500, undefined, `EWS ${operation} answered without a response message.`, new URL(this.url).host);
    if (first['@ResponseClass'] === 'Error') {
      const code = text(first.ResponseCode);
      throw new DataCallError(code === 'ErrorItemNotFound' ? 404 : 500, code, `EWS ${operation}: ${code ?? 'error'}: ${text(first.MessageText) ?? ''}`.trim(), new URL(this.url).host);
    }
    return first;
  }

  /** Folder tree changes since `syncState` (all folders without). */
  async syncFolderHierarchy(syncState: string | undefined): Promise<{ changes: EwsFolderChange[]; syncState: string }> {
    const changes: EwsFolderChange[] = [];
    let state = syncState;
    for (;;) {
      const body = await this.#call(
        `<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties><t:FieldURI FieldURI="folder:DisplayName"/><t:FieldURI FieldURI="folder:ParentFolderId"/><t:FieldURI FieldURI="folder:FolderClass"/></t:AdditionalProperties></m:FolderShape>` +
          `<m:SyncFolderId><t:DistinguishedFolderId Id="msgfolderroot"/></m:SyncFolderId>${state ? `<m:SyncState>${xmlEscape(state)}</m:SyncState>` : ''}</m:SyncFolderHierarchy>`,
        true,
      );
      const message = this.#message(body, 'SyncFolderHierarchy');
      state = text(message.SyncState) ?? '';
      const found = get(message, 'Changes') as XmlNode | undefined;
      for (const kind of ['Create', 'Update'] as const) {
        for (const change of list(found?.[kind])) {
          for (const [type, folders] of Object.entries(change as XmlNode)) {
            for (const f of list(folders)) {
              const id = String(get(f, 'FolderId', '@Id') ?? '');
              if (!id) continue;
              const folderClass = text(get(f, 'FolderClass'));
              // Mail folders only (calendars, contacts and search folders are not mail).
              if (type !== 'Folder' || (folderClass && !folderClass.startsWith('IPF.Note'))) continue;
              const parentId = get(f, 'ParentFolderId', '@Id');
              const name = text(get(f, 'DisplayName'));
              changes.push({ id, ...(typeof parentId === 'string' ? { parentId } : {}), ...(name !== undefined ? { name } : {}), ...(folderClass ? { folderClass } : {}) });
            }
          }
        }
      }
      for (const change of list(found?.Delete)) {
        const id = get(change, 'FolderId', '@Id');
        if (typeof id === 'string') changes.push({ id, removed: true });
      }
      if (text(message.IncludesLastFolderInRange) !== 'false') return { changes, syncState: state };
    }
  }

  /** One page (≤ 512) of a folder's item changes since `syncState`. */
  async syncFolderItems(folderId: string, syncState: string | undefined): Promise<{ changes: EwsItemChange[]; syncState: string; last: boolean }> {
    const body = await this.#call(
      `<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties><t:FieldURI FieldURI="item:Subject"/><t:FieldURI FieldURI="item:DateTimeReceived"/><t:FieldURI FieldURI="item:DateTimeSent"/><t:FieldURI FieldURI="message:IsRead"/><t:FieldURI FieldURI="message:InternetMessageId"/></t:AdditionalProperties></m:ItemShape>` +
        `<m:SyncFolderId><t:FolderId Id="${xmlEscape(folderId)}"/></m:SyncFolderId>${syncState ? `<m:SyncState>${xmlEscape(syncState)}</m:SyncState>` : ''}<m:MaxChangesReturned>${SYNC_PAGE}</m:MaxChangesReturned></m:SyncFolderItems>`,
      true,
    );
    const message = this.#message(body, 'SyncFolderItems');
    const found = get(message, 'Changes') as XmlNode | undefined;
    const changes: EwsItemChange[] = [];
    for (const kind of ['Create', 'Update'] as const) {
      for (const change of list(found?.[kind])) {
        for (const items of Object.values(change as XmlNode)) {
          for (const m of list(items)) {
            const id = get(m, 'ItemId', '@Id');
            if (typeof id !== 'string') continue;
            const changeKey = get(m, 'ItemId', '@ChangeKey');
            const subject = text(get(m, 'Subject'));
            const received = text(get(m, 'DateTimeReceived'));
            const sent = text(get(m, 'DateTimeSent'));
            const isRead = text(get(m, 'IsRead'));
            const imid = text(get(m, 'InternetMessageId'));
            changes.push({
              id,
              ...(typeof changeKey === 'string' ? { changeKey } : {}),
              ...(subject !== undefined ? { subject } : {}),
              ...(received ? { received } : {}),
              ...(sent ? { sent } : {}),
              ...(isRead !== undefined ? { isRead: isRead === 'true' } : {}),
              ...(imid ? { internetMessageId: imid } : {}),
            });
          }
        }
      }
    }
    for (const change of list(found?.Delete)) {
      const id = get(change, 'ItemId', '@Id');
      if (typeof id === 'string') changes.push({ id, removed: true });
    }
    return { changes, syncState: text(message.SyncState) ?? '', last: text(message.IncludesLastItemInRange) !== 'false' };
  }

  /** The item's MIME content (decoded from the reply's base64). */
  async mime(itemId: string): Promise<Buffer> {
    const body = await this.#call(
      `<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:IncludeMimeContent>true</t:IncludeMimeContent></m:ItemShape><m:ItemIds><t:ItemId Id="${xmlEscape(itemId)}"/></m:ItemIds></m:GetItem>`,
      true,
    );
    const message = this.#message(body, 'GetItem');
    const item = list(get(message, 'Items'))[0] as XmlNode | undefined;
    const first = item ? (list(Object.values(item)[0])[0] as XmlNode | undefined) : undefined;
    const mime = text(get(first, 'MimeContent'));
    if (mime === undefined) throw new DataCallError(404, 'ErrorItemNotFound', 'EWS GetItem returned no MIME content.', new URL(this.url).host);
    return Buffer.from(mime.replace(/\s+/g, ''), 'base64');
  }

  /** A folder by name under a parent (distinguished name such as msgfolderroot, or an id), created when missing. */
  async ensureFolder(parent: { distinguished: string } | { id: string }, name: string): Promise<string> {
    const parentXml = 'distinguished' in parent ? `<t:DistinguishedFolderId Id="${xmlEscape(parent.distinguished)}"/>` : `<t:FolderId Id="${xmlEscape(parent.id)}"/>`;
    const find = async (): Promise<string | undefined> => {
      const body = await this.#call(
        `<m:FindFolder Traversal="Shallow"><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:ParentFolderIds>${parentXml}</m:ParentFolderIds></m:FindFolder>`,
        true,
      );
      const message = this.#message(body, 'FindFolder');
      for (const f of list(get(message, 'RootFolder', 'Folders', 'Folder'))) if (text(get(f, 'DisplayName')) === name) return String(get(f, 'FolderId', '@Id'));
      return undefined;
    };
    // Create first (one request in the usual case); an existing folder answers ErrorFolderExists.
    const body = await this.#call(
      `<m:CreateFolder><m:ParentFolderId>${parentXml}</m:ParentFolderId><m:Folders><t:Folder><t:FolderClass>IPF.Note</t:FolderClass><t:DisplayName>${xmlEscape(name)}</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>`,
      false,
    );
    try {
      const message = this.#message(body, 'CreateFolder');
      return String(get(list(get(message, 'Folders', 'Folder'))[0], 'FolderId', '@Id'));
    } catch (error) {
      if (!(error instanceof DataCallError) || error.code !== 'ErrorFolderExists') throw error;
      const existing = await find();
      if (existing) return existing;
      throw error;
    }
  }

  /** Creates a message from MIME in a folder, not a draft (PR_MESSAGE_FLAGS set at creation). */
  async createItem(folderId: string, mime: Uint8Array, isRead: boolean): Promise<void> {
    const body = await this.#call(
      `<m:CreateItem MessageDisposition="SaveOnly"><m:SavedItemFolderId><t:FolderId Id="${xmlEscape(folderId)}"/></m:SavedItemFolderId><m:Items><t:Message>` +
        `<t:MimeContent>${Buffer.from(mime).toString('base64')}</t:MimeContent>` +
        `<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="3591" PropertyType="Integer"/><t:Value>${isRead ? 1 : 0}</t:Value></t:ExtendedProperty>` +
        `</t:Message></m:Items></m:CreateItem>`,
      false,
    );
    this.#message(body, 'CreateItem');
  }
}
