/**
 * EWS over the sandbox's mailboxes (Exchange Online with Basic or OAuth, and the on-premises Exchange):
 * SyncFolderHierarchy, SyncFolderItems (SyncState, MaxChangesReturned 1–512, IncludesLastItemInRange,
 * Create / Update / Delete / ReadFlagChange), GetItem (IncludeMimeContent: the same bytes Graph's
 * $value serves, streamed; PR_MESSAGE_FLAGS as ExtendedProperty), CreateItem (MimeContent, SaveOnly,
 * PR_MESSAGE_FLAGS 0x0E07 and the dates 0x0E06 / 0x0039 only at creation: without the flag the item
 * is a draft), CreateFolder and GetFolder for mail folders. A sync state the mailbox no longer knows
 * answers ErrorInvalidSyncStateData.
 */
import { base64Source, bufferSource, concatSources } from './data/bytes.js';
import type { TokenSealer } from './data/tokens.js';
import { envelope, MESSAGES, soapFault, TYPES, type EwsRequest, type ServerVersion } from './ews-soap.js';
import { escapeXml, streamReply, xmlReply, type Reply } from './http.js';
import { toEwsId } from './mail/ids.js';
import { MailError, type FolderRecord, type Mailbox } from './mail/mailbox.js';
import { parseMime } from './mail/mime-read.js';
import { hasAttachments, isDraft, isRead, mimeOf, MSGFLAG, type MessageRecord } from './mail/records.js';

export interface MailboxData {
  readonly mailbox: Mailbox;
  readonly tokens: TokenSealer;
  readonly now: Date;
}

const tag = (name: string): string => `(?:[\\w-]+:)?${name}`;
const element = (xml: string, name: string): string | undefined => xml.match(new RegExp(`<${tag(name)}\\b[^>]*>([\\s\\S]*?)</${tag(name)}>`))?.[1];
const attribute = (xml: string, name: string, attr: string): string | undefined => xml.match(new RegExp(`<${tag(name)}\\b[^>]*\\b${attr}\\s*=\\s*["']([^"']*)["']`))?.[1];
const all = (xml: string, name: string): string[] => [...xml.matchAll(new RegExp(`<${tag(name)}\\b[^>]*?(?:/>|>[\\s\\S]*?</${tag(name)}>)`, 'g'))].map((m) => m[0]);
const ewsDate = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function changeKey(m: { id: string; version?: number }): string {
  return `CQAAABYAAAA${Buffer.from(`${m.id}/${m.version ?? 0}`).toString('base64').slice(-16)}`;
}

function folderIdXml(f: FolderRecord, name = 'FolderId'): string {
  return `<t:${name} Id="${toEwsId(f.id)}" ChangeKey="${changeKey({ id: f.id, version: f.seq })}"/>`;
}

function folderXml(data: MailboxData, f: FolderRecord): string {
  const mb = data.mailbox;
  const parent = f.parentId ? `<t:ParentFolderId Id="${toEwsId(f.parentId)}" ChangeKey="${changeKey({ id: f.parentId })}"/>` : '';
  return `<t:Folder>${folderIdXml(f)}${parent}<t:FolderClass>IPF.Note</t:FolderClass><t:DisplayName>${escapeXml(f.displayName)}</t:DisplayName><t:TotalCount>${mb.totalCount(f)}</t:TotalCount><t:ChildFolderCount>${mb.childCount(f.id)}</t:ChildFolderCount><t:UnreadCount>${mb.unreadCount(f)}</t:UnreadCount></t:Folder>`;
}

/** The folder a request names by FolderId or DistinguishedFolderId inside `scope`. */
function folderIn(data: MailboxData, scope: string | undefined): FolderRecord | undefined {
  if (!scope) return undefined;
  const id = attribute(scope, 'FolderId', 'Id') ?? attribute(scope, 'DistinguishedFolderId', 'Id');
  return id ? data.mailbox.folder(id) : undefined;
}

const wantsAll = (shape: string): boolean => /BaseShape>\s*(Default|AllProperties)\s*</.test(shape);

function messageProps(data: MailboxData, m: MessageRecord, shape: string): string {
  const out: string[] = [`<t:ItemId Id="${toEwsId(m.id)}" ChangeKey="${changeKey(m)}"/>`];
  const everything = wantsAll(shape);
  const has = (uri: string): boolean => everything || new RegExp(`FieldURI="${uri}"`, 'i').test(shape);
  if (has('item:ParentFolderId')) out.push(`<t:ParentFolderId Id="${toEwsId(m.folderId)}" ChangeKey="${changeKey({ id: m.folderId })}"/>`);
  if (has('item:ItemClass')) out.push('<t:ItemClass>IPM.Note</t:ItemClass>');
  if (has('item:Subject')) out.push(`<t:Subject>${escapeXml(m.subject)}</t:Subject>`);
  if (has('item:DateTimeReceived')) out.push(`<t:DateTimeReceived>${ewsDate(m.received)}</t:DateTimeReceived>`);
  if (has('item:Size')) out.push(`<t:Size>${mimeOf(m, data.mailbox.owner.address).length}</t:Size>`);
  if (has('item:DateTimeSent')) out.push(`<t:DateTimeSent>${ewsDate(m.sent)}</t:DateTimeSent>`);
  if (has('item:DateTimeCreated')) out.push(`<t:DateTimeCreated>${ewsDate(m.created)}</t:DateTimeCreated>`);
  if (has('item:HasAttachments')) out.push(`<t:HasAttachments>${hasAttachments(m)}</t:HasAttachments>`);
  if (/PropertyTag="(3591|0x0?e07)"/i.test(shape)) {
    out.push(`<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="0xe07" PropertyType="Integer"/><t:Value>${m.flags}</t:Value></t:ExtendedProperty>`);
  }
  if (has('item:IsDraft')) out.push(`<t:IsDraft>${isDraft(m)}</t:IsDraft>`);
  if (has('message:InternetMessageId')) out.push(`<t:InternetMessageId>${escapeXml(m.internetMessageId)}</t:InternetMessageId>`);
  if (has('message:IsRead')) out.push(`<t:IsRead>${isRead(m)}</t:IsRead>`);
  if (has('message:From') && m.from) out.push(`<t:From><t:Mailbox><t:Name>${escapeXml(m.from.name)}</t:Name><t:EmailAddress>${escapeXml(m.from.address)}</t:EmailAddress></t:Mailbox></t:From>`);
  return out.join('');
}

function wrap(version: ServerVersion, operation: string, messages: string): Reply {
  return xmlReply(200, envelope(version, `<m:${operation}Response xmlns:m="${MESSAGES}" xmlns:t="${TYPES}"><m:ResponseMessages>${messages}</m:ResponseMessages></m:${operation}Response>`));
}

function errorMessage(operation: string, code: string, text: string, extra = ''): string {
  return `<m:${operation}ResponseMessage ResponseClass="Error"><m:MessageText>${escapeXml(text)}</m:MessageText><m:ResponseCode>${code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>${extra}</m:${operation}ResponseMessage>`;
}

interface SyncState {
  readonly m: string;
  readonly f: string;
  readonly e: number;
  /** -1 while the first (full) round enumerates. */
  readonly since: number;
  readonly base: number;
  readonly cur: readonly [0 | 1, number];
  /** The round ended (IncludesLastItemInRange was true): the next call starts a new one. */
  readonly done: boolean;
}

const INVALID_STATE = 'Synchronization state data is corrupt or otherwise invalid.';

function openState(data: MailboxData, folderId: string, purpose: string, xml: string): SyncState | 'invalid' | undefined {
  const raw = element(xml, 'SyncState')?.trim();
  if (!raw) return undefined;
  const state = data.tokens.open<SyncState>(purpose, raw);
  if (!state || state.m !== data.mailbox.owner.key || state.f !== folderId || state.e !== data.mailbox.epoch) return 'invalid';
  return state.done ? { ...state, since: state.base, base: data.mailbox.seq, cur: [1, 0], done: false } : state;
}

function syncFolderItems(request: EwsRequest, data: MailboxData, version: ServerVersion): Reply {
  const xml = request.xml;
  const mb = data.mailbox;
  const max = Number(element(xml, 'MaxChangesReturned')?.trim() ?? '');
  if (!Number.isInteger(max) || max < 1 || max > 512) {
    return soapFault('ErrorSchemaValidation', 'The request failed schema validation: MaxChangesReturned must be between 1 and 512.');
  }
  const folder = folderIn(data, element(xml, 'SyncFolderId'));
  if (!folder) return wrap(version, 'SyncFolderItems', errorMessage('SyncFolderItems', 'ErrorFolderNotFound', 'The specified folder could not be found in the store.'));
  const opened = openState(data, folder.id, 'ews-items', xml);
  if (opened === 'invalid') return wrap(version, 'SyncFolderItems', errorMessage('SyncFolderItems', 'ErrorInvalidSyncStateData', INVALID_STATE));
  const state: SyncState = opened ?? { m: mb.owner.key, f: folder.id, e: mb.epoch, since: -1, base: mb.seq, cur: [0, 0], done: false };
  const shape = element(xml, 'ItemShape') ?? '';
  const ignored = new Set(all(element(xml, 'Ignore') ?? '', 'ItemId').map((i) => attribute(i, 'ItemId', 'Id') ?? ''));
  const changes: string[] = [];
  let next: SyncState['cur'] | undefined;
  if (state.since < 0) {
    const page = mb.enumerate(folder.id, { phase: state.cur[0], pos: state.cur[1] }, max, state.base);
    for (const m of page.items) changes.push(`<t:Create><t:Message>${messageProps(data, m, shape)}</t:Message></t:Create>`);
    next = page.next ? [page.next.phase, page.next.pos] : undefined;
  } else {
    const page = mb.changes(folder.id, state.since, state.cur[1], state.base, max);
    for (const entry of page.entries) {
      if ('removed' in entry) {
        changes.push(`<t:Delete><t:ItemId Id="${toEwsId(entry.removed)}" ChangeKey="${changeKey({ id: entry.removed })}"/></t:Delete>`);
        continue;
      }
      const m = entry.record;
      if (ignored.has(toEwsId(m.id)) || ignored.has(m.id)) continue;
      if (m.arrivedSeq > state.since) changes.push(`<t:Create><t:Message>${messageProps(data, m, shape)}</t:Message></t:Create>`);
      else if (m.readOnlyChange) changes.push(`<t:ReadFlagChange><t:ItemId Id="${toEwsId(m.id)}" ChangeKey="${changeKey(m)}"/><t:IsRead>${isRead(m)}</t:IsRead></t:ReadFlagChange>`);
      else changes.push(`<t:Update><t:Message>${messageProps(data, m, shape)}</t:Message></t:Update>`);
    }
    next = page.more ? [1, page.last] : undefined;
  }
  const token = data.tokens.seal('ews-items', next ? { ...state, cur: next } : { ...state, done: true });
  return wrap(
    version,
    'SyncFolderItems',
    `<m:SyncFolderItemsResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:SyncState>${token}</m:SyncState><m:IncludesLastItemInRange>${next ? 'false' : 'true'}</m:IncludesLastItemInRange><m:Changes>${changes.join('')}</m:Changes></m:SyncFolderItemsResponseMessage>`,
  );
}

function syncFolderHierarchy(request: EwsRequest, data: MailboxData, version: ServerVersion): Reply {
  const mb = data.mailbox;
  const scope = element(request.xml, 'SyncFolderId');
  const root = scope ? folderIn(data, scope) : mb.root;
  if (!root) return wrap(version, 'SyncFolderHierarchy', errorMessage('SyncFolderHierarchy', 'ErrorFolderNotFound', 'The specified folder could not be found in the store.'));
  const opened = openState(data, root.id, 'ews-folders', request.xml);
  if (opened === 'invalid') return wrap(version, 'SyncFolderHierarchy', errorMessage('SyncFolderHierarchy', 'ErrorInvalidSyncStateData', INVALID_STATE));
  const since = opened ? opened.since : -1;
  const under = (f: FolderRecord): boolean => {
    for (let p = mb.allFolders().find((x) => x.id === f.parentId); p; p = mb.allFolders().find((x) => x.id === p?.parentId)) if (p.id === root.id) return true;
    return false;
  };
  const changes = mb
    .allFolders()
    .filter((f) => f.id !== root.id && under(f) && (since < 0 ? !f.deleted : f.seq > since))
    .sort((a, b) => (since < 0 ? 0 : a.seq - b.seq))
    .map((f) => {
      if (f.deleted) return since >= 0 && f.createdSeq <= since ? `<t:Delete>${folderIdXml(f)}</t:Delete>` : '';
      return since < 0 || f.createdSeq > since ? `<t:Create>${folderXml(data, f)}</t:Create>` : `<t:Update>${folderXml(data, f)}</t:Update>`;
    })
    .join('');
  const token = data.tokens.seal('ews-folders', { m: mb.owner.key, f: root.id, e: mb.epoch, since: mb.seq, base: mb.seq, cur: [1, 0], done: false } satisfies SyncState);
  return wrap(
    version,
    'SyncFolderHierarchy',
    `<m:SyncFolderHierarchyResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:SyncState>${token}</m:SyncState><m:IncludesLastFolderInRange>true</m:IncludesLastFolderInRange><m:Changes>${changes}</m:Changes></m:SyncFolderHierarchyResponseMessage>`,
  );
}

function getItem(request: EwsRequest, data: MailboxData, version: ServerVersion): Reply {
  const shape = element(request.xml, 'ItemShape') ?? '';
  const withMime = /IncludeMimeContent>\s*true\s*</i.test(shape);
  const ids = all(element(request.xml, 'ItemIds') ?? '', 'ItemId').map((i) => attribute(i, 'ItemId', 'Id') ?? '');
  const head = `<m:GetItemResponse xmlns:m="${MESSAGES}" xmlns:t="${TYPES}"><m:ResponseMessages>`;
  const whole = envelope(version, `${head}\u0000</m:ResponseMessages></m:GetItemResponse>`);
  const [prefix = '', suffix = ''] = whole.split('\u0000');
  const parts = [bufferSource(prefix)];
  for (const id of ids) {
    const m = data.mailbox.message(id);
    if (!m) {
      parts.push(bufferSource(errorMessage('GetItem', 'ErrorItemNotFound', 'The specified object was not found in the store.', '<m:Items/>')));
      continue;
    }
    parts.push(bufferSource('<m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items><t:Message>'));
    if (withMime) {
      parts.push(bufferSource('<t:MimeContent CharacterSet="UTF-8">'), base64Source(mimeOf(m, data.mailbox.owner.address), false), bufferSource('</t:MimeContent>'));
    }
    parts.push(bufferSource(`${messageProps(data, m, shape)}</t:Message></m:Items></m:GetItemResponseMessage>`));
  }
  parts.push(bufferSource(suffix));
  return streamReply(200, concatSources(parts), { 'content-type': 'text/xml; charset=utf-8' });
}

/** ExtendedProperty values of a CreateItem message, by PropertyTag number. */
function extendedProperties(xml: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const p of all(xml, 'ExtendedProperty')) {
    const tagValue = attribute(p, 'ExtendedFieldURI', 'PropertyTag');
    const value = element(p, 'Value');
    if (!tagValue || value === undefined) continue;
    const n = /^0x/i.test(tagValue) ? parseInt(tagValue, 16) : Number(tagValue);
    if (Number.isFinite(n)) out.set(n, value.trim());
  }
  return out;
}

function createItem(request: EwsRequest, data: MailboxData, version: ServerVersion): Reply {
  const mb = data.mailbox;
  const folder = folderIn(data, element(request.xml, 'SavedItemFolderId')) ?? mb.folder('drafts');
  if (!folder) return wrap(version, 'CreateItem', errorMessage('CreateItem', 'ErrorFolderNotFound', 'The specified folder could not be found in the store.'));
  const messages = all(element(request.xml, 'Items') ?? '', 'Message').map((message) => {
    const mime = element(message, 'MimeContent');
    if (!mime) return errorMessage('CreateItem', 'ErrorInvalidRequest', 'The sandbox creates messages from MimeContent only.', '<m:Items/>');
    const raw = Buffer.from(mime.replace(/\s+/g, ''), 'base64');
    const parsed = parseMime(raw);
    const props = extendedProperties(message);
    const flagValue = props.get(0x0e07);
    let flags = flagValue !== undefined && /^\d+$/.test(flagValue) ? Number(flagValue) & 0xffff : MSGFLAG.UNSENT | MSGFLAG.READ;
    const readElement = element(message, 'IsRead')?.trim();
    if (readElement === 'true' || readElement === 'false') flags = readElement === 'true' ? flags | MSGFLAG.READ : flags & ~MSGFLAG.READ;
    if (parsed.attachments.some((a) => !a.inline)) flags |= MSGFLAG.HASATTACH;
    const date = (n: number): Date | undefined => {
      const v = props.get(n);
      const d = v ? new Date(v) : undefined;
      return d && !Number.isNaN(d.getTime()) ? d : undefined;
    };
    const m = mb.addMessage(folder.id, {
      flags,
      subject: parsed.subject,
      from: parsed.from,
      to: parsed.to,
      cc: parsed.cc,
      sent: date(0x0039) ?? parsed.date ?? data.now,
      received: date(0x0e06) ?? parsed.date ?? data.now,
      created: data.now,
      modified: data.now,
      importance: parsed.importance,
      categories: [],
      flagged: false,
      internetMessageId: parsed.internetMessageId ?? `<${mb.seq}.${Date.now()}@sandbox.invalid>`,
      topic: parsed.subject,
      bodyType: parsed.html !== undefined ? 'html' : 'text',
      body: parsed.html ?? parsed.text,
      content: { kind: 'mime', blob: mb.blobs.put(raw), parsed },
    });
    return `<m:CreateItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items><t:Message><t:ItemId Id="${toEwsId(m.id)}" ChangeKey="${changeKey(m)}"/></t:Message></m:Items></m:CreateItemResponseMessage>`;
  });
  return wrap(version, 'CreateItem', messages.join(''));
}

function createFolder(request: EwsRequest, data: MailboxData, version: ServerVersion): Reply {
  const parent = folderIn(data, element(request.xml, 'ParentFolderId'));
  if (!parent) return wrap(version, 'CreateFolder', errorMessage('CreateFolder', 'ErrorFolderNotFound', 'The specified folder could not be found in the store.'));
  const messages = all(element(request.xml, 'Folders') ?? '', 'Folder').map((f) => {
    const name = element(f, 'DisplayName') ?? '';
    try {
      const created = data.mailbox.addFolder(parent.id, name.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'));
      return `<m:CreateFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Folders><t:Folder>${folderIdXml(created)}</t:Folder></m:Folders></m:CreateFolderResponseMessage>`;
    } catch (e) {
      if (e instanceof MailError) return errorMessage('CreateFolder', e.code, e.message, '<m:Folders/>');
      throw e;
    }
  });
  return wrap(version, 'CreateFolder', messages.join(''));
}

/** Mail folders by id or distinguished name from the mailbox; others (calendar…) left to ews-soap.ts. */
function getFolder(request: EwsRequest, data: MailboxData, version: ServerVersion): Reply | undefined {
  const ids = [...all(request.xml, 'FolderId'), ...all(request.xml, 'DistinguishedFolderId')].map((x) => attribute(x, x.includes('Distinguished') ? 'DistinguishedFolderId' : 'FolderId', 'Id') ?? '');
  const folders = ids.map((id) => data.mailbox.folder(id));
  if (!ids.length || folders.some((f) => f === undefined)) return undefined;
  return wrap(version, 'GetFolder', folders.map((f) => `<m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Folders>${f ? folderXml(data, f) : ''}</m:Folders></m:GetFolderResponseMessage>`).join(''));
}

/** The reply for mailbox-data operations, or undefined to let ews-soap.ts answer. */
export function ewsMailOperation(request: EwsRequest, data: MailboxData, version: ServerVersion): Reply | undefined {
  switch (request.operation) {
    case 'SyncFolderItems':
      return syncFolderItems(request, data, version);
    case 'SyncFolderHierarchy':
      return syncFolderHierarchy(request, data, version);
    case 'GetItem':
      return getItem(request, data, version);
    case 'CreateItem':
      return createItem(request, data, version);
    case 'CreateFolder':
      return createFolder(request, data, version);
    case 'GetFolder':
      return getFolder(request, data, version);
    default:
      return undefined;
  }
}
