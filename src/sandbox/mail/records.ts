/**
 * One message as the sandbox knows it, whether seeded, posted as MIME, or created from JSON: its
 * properties (what Graph and EWS show), its PidTagMessageFlags, and how its MIME is produced.
 */
import { createHash } from 'node:crypto';
import type { Blob } from '../data/blobs.js';
import type { ByteSource } from '../data/bytes.js';
import type { ParsedMessage } from './mime-read.js';
import { addressHeader, attachmentLeaf, renderMessage, rfc5322Date, textLeaf, unstructured, type Address, type MimePart } from './mime-write.js';
import { preview, renderSpec, type MessageSpec } from './seed.js';

/** PidTagMessageFlags bits (MS-OXCMSG 2.2.1.6). */
export const MSGFLAG = { READ: 0x1, UNMODIFIED: 0x2, SUBMIT: 0x4, UNSENT: 0x8, HASATTACH: 0x10 } as const;

export interface StoredAttachment {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly content: Blob;
  readonly isInline: boolean;
  readonly contentId?: string;
  readonly lastModified: Date;
}

export type MessageContent =
  | { readonly kind: 'seed'; readonly spec: MessageSpec }
  | { readonly kind: 'mime'; readonly blob: Blob; readonly parsed: ParsedMessage }
  | { readonly kind: 'built'; readonly attachments: StoredAttachment[] };

export interface MessageRecord {
  readonly id: string;
  /** '' once deleted. */
  folderId: string;
  /** Mailbox change number of the last change (0: as seeded). */
  seq: number;
  /** Change number when it arrived in its current folder (EWS tells Create from Update by it). */
  arrivedSeq: number;
  /** The last change touched only the read flag (EWS ReadFlagChange). */
  readOnlyChange: boolean;
  flags: number;
  subject: string;
  from: Address | undefined;
  to: Address[];
  cc: Address[];
  sent: Date;
  received: Date;
  readonly created: Date;
  modified: Date;
  importance: 'low' | 'normal' | 'high';
  categories: string[];
  flagged: boolean;
  readonly internetMessageId: string;
  readonly topic: string;
  bodyType: 'text' | 'html';
  body: string;
  version: number;
  content: MessageContent;
  /** For a materialised seeded message: the folder it was seeded in and whether it was seeded unread. */
  readonly seeded?: { readonly folderId: string; readonly unread: boolean };
}

export const isRead = (m: MessageRecord): boolean => (m.flags & MSGFLAG.READ) !== 0;
/** Exchange's isDraft is MSGFLAG_UNSENT. */
export const isDraft = (m: MessageRecord): boolean => (m.flags & MSGFLAG.UNSENT) !== 0;

export function hasAttachments(m: MessageRecord): boolean {
  switch (m.content.kind) {
    case 'seed':
      return m.content.spec.attachments.some((a) => !a.inline) || m.content.spec.nested !== undefined;
    case 'mime':
      return m.content.parsed.attachments.some((a) => !a.inline);
    case 'built':
      return m.content.attachments.some((a) => !a.isInline);
  }
}

export function recordFromSpec(id: string, folderId: string, spec: MessageSpec, seeded?: MessageRecord['seeded']): MessageRecord {
  const hasFiles = spec.attachments.some((a) => !a.inline) || spec.nested !== undefined;
  return {
    id,
    folderId,
    seq: 0,
    arrivedSeq: 0,
    readOnlyChange: false,
    flags: (spec.isRead ? MSGFLAG.READ : 0) | (spec.isDraft ? MSGFLAG.UNSENT : 0) | (hasFiles ? MSGFLAG.HASATTACH : 0),
    subject: spec.subject,
    from: spec.from,
    to: [...spec.to],
    cc: [...spec.cc],
    sent: spec.sent,
    received: spec.received,
    created: spec.received,
    modified: spec.received,
    importance: spec.importance,
    categories: [...spec.categories],
    flagged: spec.flagged,
    internetMessageId: spec.internetMessageId,
    topic: spec.topic,
    bodyType: spec.html ? 'html' : 'text',
    body: spec.html ?? spec.text,
    version: 0,
    content: { kind: 'seed', spec },
    ...(seeded ? { seeded } : {}),
  };
}

const boundary = (m: MessageRecord, n: number): string => `_00${n}_${createHash('sha256').update(`${m.id}/${m.version}`).digest('hex').slice(0, 28).toUpperCase()}_`;

/** MIME for a message created from JSON: rendered from its properties, stable until it changes. */
function renderBuilt(m: MessageRecord, owner: Address, attachments: readonly StoredAttachment[]): ByteSource {
  const envelope = [
    addressHeader('From', [m.from ?? owner]),
    ...(m.to.length ? [addressHeader('To', m.to)] : []),
    ...(m.cc.length ? [addressHeader('CC', m.cc)] : []),
    unstructured('Subject', m.subject),
    unstructured('Thread-Topic', m.topic || m.subject),
    `Date: ${rfc5322Date(m.sent)}`,
    `Message-ID: ${m.internetMessageId}`,
    'Content-Language: en-US',
    `X-MS-Has-Attach: ${attachments.some((a) => !a.isInline) ? 'yes' : ''}`,
    ...(m.importance === 'high' ? ['Importance: high'] : []),
  ];
  let body: MimePart = textLeaf(m.bodyType === 'html' ? 'html' : 'plain', m.body);
  const inline = attachments.filter((a) => a.isInline);
  if (inline.length) {
    body = { kind: 'multipart', subtype: 'related', boundary: boundary(m, 1), parts: [body, ...inline.map((a) => attachmentLeaf({ name: a.name, contentType: a.contentType, content: a.content, inline: { contentId: a.contentId ?? a.name } }))] };
  }
  const files = attachments.filter((a) => !a.isInline).map((a) => attachmentLeaf({ name: a.name, contentType: a.contentType, content: a.content, date: a.lastModified }));
  if (files.length) body = { kind: 'multipart', subtype: 'mixed', boundary: boundary(m, 2), parts: [body, ...files] };
  return renderMessage(envelope, body);
}

/** The MIME `$value` serves: byte-identical on every call until the message changes. */
export function mimeOf(m: MessageRecord, owner: Address): ByteSource {
  switch (m.content.kind) {
    case 'seed':
      return renderSpec(m.subject === m.content.spec.subject ? m.content.spec : { ...m.content.spec, subject: m.subject });
    case 'mime':
      return m.content.blob;
    case 'built':
      return renderBuilt(m, owner, m.content.attachments);
  }
}

export interface AttachmentInfo {
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly isInline: boolean;
  /** sha256 of the attachment's bytes, for restore checks. */
  sha256(): Promise<string>;
}

async function hashOf(source: ByteSource): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source.chunks()) hash.update(chunk);
  return hash.digest('hex');
}

export function attachmentsOf(m: MessageRecord): AttachmentInfo[] {
  switch (m.content.kind) {
    case 'seed': {
      const spec = m.content.spec;
      const list: AttachmentInfo[] = spec.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.content.length, isInline: a.inline !== undefined, sha256: () => hashOf(a.content) }));
      if (spec.nested) {
        const nested = renderSpec(spec.nested);
        list.push({ name: `${spec.nested.subject}.eml`, contentType: 'message/rfc822', size: nested.length, isInline: false, sha256: () => hashOf(nested) });
      }
      return list;
    }
    case 'mime':
      return m.content.parsed.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, isInline: a.inline, sha256: () => Promise.resolve(a.sha256) }));
    case 'built':
      return m.content.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.content.length, isInline: a.isInline, sha256: () => Promise.resolve(a.content.sha256) }));
  }
}

export const bodyPreview = (m: MessageRecord): string => preview(m.bodyType === 'html' ? m.body.replace(/<[^>]+>/g, ' ').replace(/&[a-z]+;/g, ' ') : m.body);
