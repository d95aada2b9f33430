/**
 * The seeded mailboxes: a fixed folder tree and, per folder, messages that are pure functions of
 * (seed, mailbox, folder, index). Nothing here is stored; store.ts keeps only what changed.
 */
import { generatedSource, type ByteSource } from '../data/bytes.js';
import { derive, Rng } from '../data/random.js';
import { attachmentLeaf, addressHeader, rfc5322Date, renderMessage, textLeaf, unstructured, type Address, type MimePart } from './mime-write.js';
import { ATTACHMENT_KINDS, CLOSINGS, GREETINGS, IMAGE_SIGNATURE, NON_ASCII_TOPICS, PEOPLE, sentence, SUBJECT_PREFIXES, TOPICS } from './vocabulary.js';

export interface SeedFolder {
  readonly key: string;
  readonly wellKnownName?: string;
  readonly displayName: string;
  readonly parent: string | null;
  /** Share of the mailbox's messages seeded here. */
  readonly share: number;
}

/** Folder 0 is the root (msgfolderroot); mailFolders/delta returns the others. */
export const SEED_FOLDERS: readonly SeedFolder[] = [
  { key: 'msgfolderroot', wellKnownName: 'msgfolderroot', displayName: 'Top of Information Store', parent: null, share: 0 },
  { key: 'inbox', wellKnownName: 'inbox', displayName: 'Inbox', parent: 'msgfolderroot', share: 0.5 },
  { key: 'drafts', wellKnownName: 'drafts', displayName: 'Drafts', parent: 'msgfolderroot', share: 0.03 },
  { key: 'sentitems', wellKnownName: 'sentitems', displayName: 'Sent Items', parent: 'msgfolderroot', share: 0.18 },
  { key: 'deleteditems', wellKnownName: 'deleteditems', displayName: 'Deleted Items', parent: 'msgfolderroot', share: 0.04 },
  { key: 'junkemail', wellKnownName: 'junkemail', displayName: 'Junk Email', parent: 'msgfolderroot', share: 0.02 },
  { key: 'outbox', wellKnownName: 'outbox', displayName: 'Outbox', parent: 'msgfolderroot', share: 0 },
  { key: 'archive', wellKnownName: 'archive', displayName: 'Archive', parent: 'msgfolderroot', share: 0.04 },
  { key: 'conversationhistory', wellKnownName: 'conversationhistory', displayName: 'Conversation History', parent: 'msgfolderroot', share: 0 },
  { key: 'projects', displayName: 'Projects', parent: 'inbox', share: 0.06 },
  { key: 'alpha', displayName: 'Alpha', parent: 'projects', share: 0.05 },
  { key: 'contracts', displayName: 'Verträge', parent: 'inbox', share: 0.04 },
  { key: 'archive-2025', displayName: '2025', parent: 'archive', share: 0.04 },
];

export interface MailSeed {
  readonly seed: string;
  /** Messages in the mailbox, all folders. */
  readonly messages: number;
  readonly largeMessages: number;
  readonly largeMessageBytes: number;
}

/** How many seeded messages each folder of SEED_FOLDERS holds: shares rounded down, the rest in the Inbox. */
export function seedCounts(total: number): number[] {
  const counts = SEED_FOLDERS.map((f) => Math.floor(total * f.share));
  const inbox = SEED_FOLDERS.findIndex((f) => f.key === 'inbox');
  counts[inbox] = (counts[inbox] ?? 0) + total - counts.reduce((a, b) => a + b, 0);
  return counts;
}

/** Whether Inbox message `index` of `count` is one of the large ones (spread evenly). */
export function isLarge(folder: SeedFolder, index: number, count: number, large: number): boolean {
  if (folder.key !== 'inbox' || large <= 0 || count <= 0) return false;
  const n = Math.min(large, count);
  for (let k = 0; k < n; k++) if (Math.floor(((k + 0.5) * count) / n) === index) return true;
  return false;
}

export interface SeededAttachment {
  readonly name: string;
  readonly contentType: string;
  readonly content: ByteSource;
  readonly inline?: { readonly contentId: string };
}

export interface MessageSpec {
  readonly key: Buffer;
  readonly subject: string;
  readonly topic: string;
  readonly from: Address;
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  readonly sent: Date;
  readonly received: Date;
  readonly internetMessageId: string;
  readonly isRead: boolean;
  readonly isDraft: boolean;
  readonly importance: 'low' | 'normal' | 'high';
  readonly categories: readonly string[];
  readonly flagged: boolean;
  readonly text: string;
  readonly html: string | undefined;
  readonly attachments: readonly SeededAttachment[];
  readonly nested?: MessageSpec;
}

/** 2026-11-01 08:00 UTC: seeded dates count back from here, so they never depend on the clock. */
const BASE_TIME = Date.UTC(2026, 10, 1, 8, 0, 0);
const HOUR = 3_600_000;

export interface SpecContext {
  readonly seed: string;
  readonly mailboxKey: string;
  readonly owner: Address;
}

/** The first draw of a message's generator: cheap enough to count unread items of a large folder. */
export function seededIsRead(ctx: SpecContext, folder: SeedFolder, index: number): boolean {
  if (folder.key === 'drafts' || folder.key === 'sentitems') return true;
  return Rng.of(ctx.seed, 'mail', ctx.mailboxKey, folder.key, index).next() < 0.82;
}

const escapeHtml = (s: string): string => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);

export function messageSpec(ctx: SpecContext, folder: SeedFolder, index: number, count: number, seed: MailSeed, nestedDepth = 0): MessageSpec {
  const rng = nestedDepth ? Rng.of(ctx.seed, 'mail', ctx.mailboxKey, folder.key, index, 'nested', nestedDepth) : Rng.of(ctx.seed, 'mail', ctx.mailboxKey, folder.key, index);
  const readDraw = rng.next();
  const key = derive(ctx.seed, 'mail', ctx.mailboxKey, folder.key, index, nestedDepth);
  const outgoing = folder.key === 'sentitems' || folder.key === 'drafts';
  const isDraft = folder.key === 'drafts';
  const isRead = outgoing || readDraw < 0.82;
  const topic = rng.chance(0.25) ? rng.pick(NON_ASCII_TOPICS) : rng.pick(TOPICS);
  const subject = `${isDraft ? '' : rng.pick(SUBJECT_PREFIXES)}${topic}`;
  const others = PEOPLE.filter((p) => p.address !== ctx.owner.address);
  const from = outgoing ? ctx.owner : rng.pick(others);
  const to = outgoing ? [rng.pick(others), ...(rng.chance(0.3) ? [rng.pick(others)] : [])] : [ctx.owner, ...(rng.chance(0.25) ? [rng.pick(others)] : [])];
  const cc = rng.chance(0.2) ? [rng.pick(others)] : [];
  const spacing = Math.max(1, Math.floor((24 * 400) / Math.max(1, count)));
  const received = new Date(BASE_TIME - (count - index) * spacing * HOUR - rng.int(0, 3599) * 1000);
  const sent = new Date(received.getTime() - rng.int(2, 90) * 1000);

  const paragraphs: string[] = [];
  for (let p = rng.int(1, 6); p > 0; p--) {
    const sentences: string[] = [];
    for (let s = rng.int(2, 6); s > 0; s--) sentences.push(sentence(() => rng.next()));
    paragraphs.push(sentences.join(' '));
  }
  const greeting = rng.pick(GREETINGS);
  const closing = rng.pick(CLOSINGS);
  const text = [greeting, ...paragraphs, `${closing},\n${from.name}`].join('\n\n');
  const plainOnly = rng.chance(0.15);
  const html = plainOnly
    ? undefined
    : `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div style="font-family:Calibri,sans-serif;font-size:11pt">${[greeting, ...paragraphs].map((p) => `<p>${escapeHtml(p)}</p>`).join('')}<p>${escapeHtml(closing)},<br>${escapeHtml(from.name)}</p></div></body></html>`;

  const attachments: SeededAttachment[] = [];
  const attachmentKey = (n: number): Buffer => derive(ctx.seed, 'mail-attachment', ctx.mailboxKey, folder.key, index, nestedDepth, n);
  if (html && rng.chance(0.08)) {
    attachments.push({ name: 'image001.png', contentType: 'image/png', content: generatedSource(attachmentKey(0), rng.int(2_000, 9_000), Buffer.from(IMAGE_SIGNATURE, 'latin1')), inline: { contentId: `image001.png@${key.toString('hex').slice(0, 16)}` } });
  }
  const large = nestedDepth === 0 && isLarge(folder, index, count, seed.largeMessages);
  const attachmentCount = large ? 1 : rng.chance(0.15) ? rng.int(1, 2) : 0;
  for (let n = 1; n <= attachmentCount; n++) {
    const kind = large ? (ATTACHMENT_KINDS[2] ?? rng.pick(ATTACHMENT_KINDS)) : rng.pick(ATTACHMENT_KINDS);
    const size = large ? Math.round(seed.largeMessageBytes * (0.9 + rng.next() * 0.2)) : rng.int(3_000, 40_000);
    attachments.push({ name: rng.pick(kind.names), contentType: kind.contentType, content: generatedSource(attachmentKey(n), size, Buffer.from(kind.signature, 'latin1')) });
  }
  const nested = nestedDepth === 0 && !large && rng.chance(0.03) ? messageSpec(ctx, folder, index, count, seed, nestedDepth + 1) : undefined;
  const flagged = !outgoing && rng.chance(0.05);
  return {
    key,
    subject: nested ? `FW: ${nested.subject}` : subject,
    topic,
    from,
    to,
    cc,
    sent,
    received,
    internetMessageId: `<${key.toString('hex').slice(0, 32)}@${from.address.split('@')[1] ?? 'contoso.com'}>`,
    isRead,
    isDraft,
    importance: rng.chance(0.05) ? 'high' : 'normal',
    categories: rng.chance(0.1) ? ['Blue category'] : [],
    flagged,
    text,
    html,
    attachments,
    ...(nested ? { nested } : {}),
  };
}

const boundary = (spec: MessageSpec, n: number): string => `_00${n}_${spec.key.toString('hex').slice(0, 28).toUpperCase()}_`;

/** The message as Exchange would serve it from `$value`. */
export function renderSpec(spec: MessageSpec): ByteSource {
  const hasFiles = spec.attachments.some((a) => !a.inline) || spec.nested !== undefined;
  const envelope = [
    `Received: from EX01.contoso.com (10.0.0.12) by EX02.contoso.com (10.0.0.13) with Microsoft SMTP Server id 15.20.8769.24; ${rfc5322Date(spec.received)}`,
    addressHeader('From', [spec.from]),
    addressHeader('To', spec.to),
    ...(spec.cc.length ? [addressHeader('CC', spec.cc)] : []),
    unstructured('Subject', spec.subject),
    unstructured('Thread-Topic', spec.topic),
    `Date: ${rfc5322Date(spec.sent)}`,
    `Message-ID: ${spec.internetMessageId}`,
    'Accept-Language: en-US',
    'Content-Language: en-US',
    `X-MS-Has-Attach: ${hasFiles ? 'yes' : ''}`,
    ...(spec.importance === 'high' ? ['Importance: high', 'X-Priority: 1'] : []),
  ];
  let body: MimePart = spec.html
    ? { kind: 'multipart', subtype: 'alternative', boundary: boundary(spec, 0), parts: [textLeaf('plain', spec.text), textLeaf('html', spec.html)] }
    : textLeaf('plain', spec.text);
  const inline = spec.attachments.filter((a) => a.inline);
  if (inline.length) body = { kind: 'multipart', subtype: 'related', boundary: boundary(spec, 1), parts: [body, ...inline.map(attachmentLeaf)] };
  const files: MimePart[] = spec.attachments.filter((a) => !a.inline).map((a) => attachmentLeaf({ ...a, date: spec.sent }));
  if (spec.nested) files.push(attachmentLeaf({ name: `${spec.nested.subject}.eml`, contentType: 'message/rfc822', content: renderSpec(spec.nested) }));
  if (files.length) body = { kind: 'multipart', subtype: 'mixed', boundary: boundary(spec, 2), parts: [body, ...files] };
  return renderMessage(envelope, body);
}

/** A short text for bodyPreview. */
export function preview(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 255);
}
