/** Graph's JSON for mailFolder and message resources, with $select and the extended properties. */
import { createHash } from 'node:crypto';
import type { FolderRecord, Mailbox } from './mailbox.js';
import type { Address } from './mime-write.js';
import { bodyPreview, hasAttachments, isDraft, isRead, type MessageRecord } from './records.js';

export const graphDate = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Properties $select names, or undefined for all. `id` is always kept, as Graph does. */
export function selection(param: string | null): Set<string> | undefined {
  if (!param) return undefined;
  return new Set(['id', ...param.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)]);
}

function pick(entity: Record<string, unknown>, wanted: Set<string> | undefined): Record<string, unknown> {
  if (!wanted) return entity;
  return Object.fromEntries(Object.entries(entity).filter(([k]) => k.startsWith('@odata') || wanted.has(k.toLowerCase())));
}

export function folderJson(mb: Mailbox, f: FolderRecord, wanted?: Set<string>): Record<string, unknown> {
  return pick(
    {
      id: f.id,
      displayName: f.displayName,
      parentFolderId: f.parentId,
      childFolderCount: mb.childCount(f.id),
      unreadItemCount: mb.unreadCount(f),
      totalItemCount: mb.totalCount(f),
      isHidden: false,
    },
    wanted,
  );
}

const recipient = (a: Address): Record<string, unknown> => ({ emailAddress: { name: a.name, address: a.address } });

export function changeKey(mb: Mailbox, m: MessageRecord): string {
  return `CQAAABYAAAA${createHash('sha256').update(`${mb.owner.key}/${m.id}/${m.version}`).digest('base64').slice(0, 16)}`;
}

export interface MessageJsonOptions {
  readonly wanted?: Set<string>;
  /** Mail.ReadBasic(.All) callers get neither body nor preview. */
  readonly basic?: boolean;
  /** Ids asked for by $expand=singleValueExtendedProperties($filter=id eq '…'). */
  readonly extendedProperties?: readonly string[];
}

type Getter = (mb: Mailbox, m: MessageRecord, key: string) => unknown;

/** Message properties in Graph's order; each computed only when selected. */
const MESSAGE_PROPERTIES: ReadonlyArray<readonly [string, Getter]> = [
  ['@odata.etag', (_mb, _m, key) => `W/"${key}"`],
  ['id', (_mb, m) => m.id],
  ['createdDateTime', (_mb, m) => graphDate(m.created)],
  ['lastModifiedDateTime', (_mb, m) => graphDate(m.modified)],
  ['changeKey', (_mb, _m, key) => key],
  ['categories', (_mb, m) => m.categories],
  ['receivedDateTime', (_mb, m) => graphDate(m.received)],
  ['sentDateTime', (_mb, m) => graphDate(m.sent)],
  ['hasAttachments', (_mb, m) => hasAttachments(m)],
  ['internetMessageId', (_mb, m) => m.internetMessageId],
  ['subject', (_mb, m) => m.subject],
  ['bodyPreview', (_mb, m) => bodyPreview(m)],
  ['importance', (_mb, m) => m.importance],
  ['parentFolderId', (_mb, m) => m.folderId],
  ['conversationId', (mb, m) => `AAQkAD${createHash('sha256').update(`${mb.owner.key}/${m.topic || m.subject}`).digest('base64url').slice(0, 40)}`],
  ['isDeliveryReceiptRequested', () => false],
  ['isReadReceiptRequested', () => false],
  ['isRead', (_mb, m) => isRead(m)],
  ['isDraft', (_mb, m) => isDraft(m)],
  ['webLink', (_mb, m) => `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(m.id)}&exvsurl=1&viewmodel=ReadMessageItem`],
  ['inferenceClassification', () => 'focused'],
  ['body', (_mb, m) => ({ contentType: m.bodyType, content: m.body })],
  ['sender', (_mb, m) => (m.from ? recipient(m.from) : null)],
  ['from', (_mb, m) => (m.from ? recipient(m.from) : null)],
  ['toRecipients', (_mb, m) => m.to.map(recipient)],
  ['ccRecipients', (_mb, m) => m.cc.map(recipient)],
  ['bccRecipients', () => []],
  ['replyTo', () => []],
  ['flag', (_mb, m) => ({ flagStatus: m.flagged ? 'flagged' : 'notFlagged' })],
];

const BASIC_HIDDEN = new Set(['body', 'bodyPreview']);

export function messageJson(mb: Mailbox, m: MessageRecord, options: MessageJsonOptions = {}): Record<string, unknown> {
  const key = changeKey(mb, m);
  const out: Record<string, unknown> = {};
  for (const [name, get] of MESSAGE_PROPERTIES) {
    if (options.basic && BASIC_HIDDEN.has(name)) continue;
    if (options.wanted && !name.startsWith('@odata') && !options.wanted.has(name.toLowerCase())) continue;
    out[name] = get(mb, m, key);
  }
  if (options.extendedProperties?.length) {
    const values = extendedProperties(m);
    out.singleValueExtendedProperties = options.extendedProperties
      .map((id) => canonicalPropertyId(id))
      .filter((id): id is string => id !== undefined && values[id] !== undefined)
      .map((id) => ({ id, value: values[id] }));
  }
  return out;
}

/** "Integer 0x0E07" → "Integer 0xe07", the spelling Graph answers with; undefined when not a property tag id. */
export function canonicalPropertyId(id: string): string | undefined {
  const m = id.trim().match(/^(\w+)\s+0x([0-9a-f]{1,4})$/i);
  if (!m?.[1] || !m[2]) return undefined;
  const type = m[1].charAt(0).toUpperCase() + m[1].slice(1).toLowerCase();
  return `${type === 'Systemtime' ? 'SystemTime' : type} 0x${parseInt(m[2], 16).toString(16)}`;
}

/** The MAPI properties the sandbox exposes as extended properties (flags and the two dates). */
export function extendedProperties(m: MessageRecord): Record<string, string> {
  return {
    'Integer 0xe07': String(m.flags),
    'SystemTime 0xe06': graphDate(m.received),
    'SystemTime 0x39': graphDate(m.sent),
  };
}

/** Ids in `$expand=singleValueExtendedProperties($filter=id eq '…' or id eq '…')`. */
export function expandedPropertyIds(expand: string | null): string[] {
  if (!expand || !/singleValueExtendedProperties/i.test(expand)) return [];
  return [...expand.matchAll(/id\s+eq\s+'([^']+)'/gi)].map((m) => m[1] ?? '');
}
