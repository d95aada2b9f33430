/**
 * The mailbox writes a restore uses, with Exchange's rules:
 * - POST …/messages with `Content-Type: text/plain` (base64 MIME) stores the MIME as is and always
 *   makes a draft (MSGFLAG_UNSENT); PidTagMessageFlags cannot be set that way.
 * - POST …/messages with JSON makes a draft too, unless `singleValueExtendedProperties` carries
 *   `Integer 0x0E07` (PidTagMessageFlags) without MSGFLAG_UNSENT; `SystemTime 0x0E06` / `0x0039` set
 *   the received and sent dates. Only at creation: a later PATCH changes the read bit and nothing else
 *   of the flags, so a draft stays a draft.
 * - attachments (POST, below 3 MB) and upload sessions (up to 150 MB) on messages created from JSON;
 *   folders (POST childFolders, 409 ErrorFolderExists), PATCH, DELETE and move.
 */
import { randomUUID } from 'node:crypto';
import { graphError, graphOk, GRAPH_BASE } from '../graph/common.js';
import { emptyReply, jsonReply, type Reply } from '../http.js';
import { isObject } from '../jwt.js';
import { canonicalPropertyId, folderJson, graphDate, messageJson } from './graph-json.js';
import { findFolder, gate, isReply, notFound, type MailboxRequest } from './graph-request.js';
import { MailError, type FolderRecord } from './mailbox.js';
import { parseMime } from './mime-read.js';
import type { Address } from './mime-write.js';
import { MSGFLAG, type MessageRecord, type StoredAttachment } from './records.js';

const WRITE_APP = ['Mail.ReadWrite'];
const FOLDER_WRITE_APP = ['Mail.ReadWrite', 'MailboxFolder.ReadWrite.All'];
const SELF_WRITE = ['Mail.ReadWrite'];
const SHARED_WRITE = ['Mail.ReadWrite.Shared'];
/** Graph refuses request bodies above 4 MB; attachments above 3 MB need an upload session. */
const MAX_GRAPH_BODY = 4 * 1024 * 1024;
const MAX_ATTACHMENT = 150 * 1024 * 1024;

export type WriteTarget =
  | { readonly kind: 'create'; readonly folder: FolderRecord | undefined }
  | { readonly kind: 'folder'; readonly parent: FolderRecord }
  | { readonly kind: 'folder-update'; readonly folder: FolderRecord }
  | { readonly kind: 'message'; readonly message: MessageRecord; readonly rest: readonly string[] };

function mailError(r: MailboxRequest, e: unknown): Reply {
  if (e instanceof MailError) return graphError(r.ctx, e.code === 'ErrorFolderExists' ? 409 : e.code === 'ErrorItemNotFound' ? 404 : 400, e.code, e.message);
  throw e;
}

function address(value: unknown): Address | undefined {
  if (!isObject(value) || !isObject(value.emailAddress)) return undefined;
  const a = value.emailAddress;
  return typeof a.address === 'string' ? { name: typeof a.name === 'string' ? a.name : '', address: a.address } : undefined;
}

const addresses = (value: unknown): Address[] => (Array.isArray(value) ? value.map(address).filter((a): a is Address => a !== undefined) : []);

/** singleValueExtendedProperties as { 'Integer 0xe07': '4', … }. */
function extended(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(value)) return out;
  for (const p of value) {
    if (!isObject(p) || typeof p.id !== 'string' || (typeof p.value !== 'string' && typeof p.value !== 'number')) continue;
    const id = canonicalPropertyId(p.id);
    if (id) out[id] = String(p.value);
  }
  return out;
}

function dateOf(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function attachmentFrom(r: MailboxRequest, value: Record<string, unknown>): StoredAttachment | Reply {
  const type = typeof value['@odata.type'] === 'string' ? value['@odata.type'].toLowerCase() : '';
  if (type !== '#microsoft.graph.fileattachment' || typeof value.name !== 'string' || typeof value.contentBytes !== 'string') {
    return graphError(r.ctx, 400, 'ErrorInvalidRequest', 'Only file attachments with name and contentBytes are supported.');
  }
  const bytes = Buffer.from(value.contentBytes, 'base64');
  return {
    id: `AAMkAD${randomUUID().replace(/-/g, '')}`,
    name: value.name,
    contentType: typeof value.contentType === 'string' ? value.contentType : 'application/octet-stream',
    content: r.world.data.blobs.put(bytes),
    isInline: value.isInline === true,
    ...(typeof value.contentId === 'string' ? { contentId: value.contentId } : {}),
    lastModified: r.ctx.now,
  };
}

function attachmentJson(a: StoredAttachment): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.fileAttachment', id: a.id, lastModifiedDateTime: graphDate(a.lastModified), name: a.name, contentType: a.contentType, size: a.content.length, isInline: a.isInline, contentId: a.contentId ?? null };
}

function createMessage(r: MailboxRequest, target: FolderRecord | undefined): Reply {
  const { ctx, mailbox } = r;
  const folder = target ?? mailbox.folder('drafts');
  if (!folder) return notFound(ctx);
  if (ctx.body.length > MAX_GRAPH_BODY) return graphError(ctx, 413, 'RequestEntityTooLarge', 'The request body exceeds the maximum size of 4 MB.');
  const type = (ctx.header('content-type') ?? '').toLowerCase();
  const now = ctx.now;
  if (type.startsWith('text/plain')) {
    const text = ctx.body.toString('latin1').replace(/\s+/g, '');
    if (!text || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
      return graphError(ctx, 400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.');
    }
    const raw = Buffer.from(text, 'base64');
    const parsed = parseMime(raw);
    const m = mailbox.addMessage(folder.id, {
      flags: MSGFLAG.READ | MSGFLAG.UNSENT | (parsed.attachments.some((a) => !a.inline) ? MSGFLAG.HASATTACH : 0),
      subject: parsed.subject,
      from: parsed.from,
      to: parsed.to,
      cc: parsed.cc,
      sent: now,
      received: now,
      created: now,
      modified: now,
      importance: parsed.importance,
      categories: [],
      flagged: false,
      internetMessageId: parsed.internetMessageId ?? `<${randomUUID()}@${mailbox.owner.address.address.split('@')[1] ?? 'contoso.com'}>`,
      topic: parsed.subject,
      bodyType: parsed.html !== undefined ? 'html' : 'text',
      body: parsed.html ?? parsed.text,
      content: { kind: 'mime', blob: r.world.data.blobs.put(raw), parsed },
    });
    return graphOk(ctx, 201, { '@odata.context': `${GRAPH_BASE}/$metadata#users('${mailbox.owner.key}')/messages/$entity`, ...messageJson(mailbox, m) });
  }
  const body = ctx.json();
  if (!isObject(body)) return graphError(ctx, 400, 'RequestBodyRead', 'Cannot read the request body.');
  const props = extended(body.singleValueExtendedProperties);
  const attachments: StoredAttachment[] = [];
  for (const a of Array.isArray(body.attachments) ? body.attachments : []) {
    if (!isObject(a)) continue;
    const made = attachmentFrom(r, a);
    if (isReply(made)) return made;
    attachments.push(made);
  }
  const flagValue = props['Integer 0xe07'];
  let flags = flagValue !== undefined && /^\d+$/.test(flagValue) ? Number(flagValue) & 0xffff : MSGFLAG.READ | MSGFLAG.UNSENT;
  if (typeof body.isRead === 'boolean') flags = body.isRead ? flags | MSGFLAG.READ : flags & ~MSGFLAG.READ;
  if (attachments.some((a) => !a.isInline)) flags |= MSGFLAG.HASATTACH;
  const content = isObject(body.body) ? body.body : {};
  const subject = typeof body.subject === 'string' ? body.subject : '';
  const flag = isObject(body.flag) ? body.flag.flagStatus : undefined;
  const importance = body.importance === 'high' || body.importance === 'low' ? body.importance : 'normal';
  const m = mailbox.addMessage(folder.id, {
    flags,
    subject,
    from: address(body.from) ?? address(body.sender),
    to: addresses(body.toRecipients),
    cc: addresses(body.ccRecipients),
    sent: dateOf(props['SystemTime 0x39']) ?? now,
    received: dateOf(props['SystemTime 0xe06']) ?? now,
    created: now,
    modified: now,
    importance,
    categories: Array.isArray(body.categories) ? body.categories.filter((c): c is string => typeof c === 'string') : [],
    flagged: flag === 'flagged',
    internetMessageId: typeof body.internetMessageId === 'string' ? body.internetMessageId : `<${randomUUID()}@${mailbox.owner.address.address.split('@')[1] ?? 'contoso.com'}>`,
    topic: subject,
    bodyType: typeof content.contentType === 'string' && content.contentType.toLowerCase() === 'html' ? 'html' : 'text',
    body: typeof content.content === 'string' ? content.content : '',
    content: { kind: 'built', attachments },
  });
  return graphOk(ctx, 201, { '@odata.context': `${GRAPH_BASE}/$metadata#users('${mailbox.owner.key}')/messages/$entity`, ...messageJson(mailbox, m) });
}

function updateMessage(r: MailboxRequest, m: MessageRecord): Reply {
  const body = r.ctx.json();
  if (!isObject(body)) return graphError(r.ctx, 400, 'RequestBodyRead', 'Cannot read the request body.');
  const props = extended(body.singleValueExtendedProperties);
  // PidTagMessageFlags after creation: only the read bit moves, MSGFLAG_UNSENT stays as it was.
  const flagValue = props['Integer 0xe07'];
  const readFromFlags = flagValue !== undefined && /^\d+$/.test(flagValue) ? (Number(flagValue) & MSGFLAG.READ) !== 0 : undefined;
  const isDraftNow = (m.flags & MSGFLAG.UNSENT) !== 0;
  const flag = isObject(body.flag) ? body.flag.flagStatus : undefined;
  const updated = r.mailbox.updateMessage(m.id, {
    ...(typeof body.isRead === 'boolean' ? { isRead: body.isRead } : readFromFlags !== undefined ? { isRead: readFromFlags } : {}),
    // Exchange lets the subject change only while the message is a draft.
    ...(typeof body.subject === 'string' && isDraftNow ? { subject: body.subject } : {}),
    ...(Array.isArray(body.categories) ? { categories: body.categories.filter((c): c is string => typeof c === 'string') } : {}),
    ...(flag === 'flagged' || flag === 'notFlagged' || flag === 'complete' ? { flagged: flag === 'flagged' } : {}),
    ...(body.importance === 'high' || body.importance === 'low' || body.importance === 'normal' ? { importance: body.importance } : {}),
  });
  return graphOk(r.ctx, 200, { '@odata.context': `${GRAPH_BASE}/$metadata#users('${r.mailbox.owner.key}')/messages/$entity`, ...messageJson(r.mailbox, updated) });
}

function attachmentRequest(r: MailboxRequest, m: MessageRecord, rest: readonly string[]): Reply {
  const { ctx, mailbox } = r;
  const [, second] = rest;
  if (ctx.method === 'GET' && second === undefined) {
    const stored = m.content.kind === 'built' ? m.content.attachments : [];
    return graphOk(ctx, 200, { '@odata.context': `${GRAPH_BASE}/$metadata#users('${mailbox.owner.key}')/messages('${m.id}')/attachments`, value: stored.map(attachmentJson) });
  }
  if (m.content.kind !== 'built') {
    return graphError(ctx, 400, 'ErrorInvalidRequest', 'The sandbox adds attachments only to messages created from JSON.');
  }
  const body = ctx.json();
  if (!isObject(body)) return graphError(ctx, 400, 'RequestBodyRead', 'Cannot read the request body.');
  if (ctx.method === 'POST' && second === undefined) {
    if (ctx.body.length > MAX_GRAPH_BODY) return graphError(ctx, 413, 'RequestEntityTooLarge', 'The request body exceeds the maximum size of 4 MB.');
    const a = attachmentFrom(r, body);
    if (isReply(a)) return a;
    mailbox.updateMessage(m.id, { attachment: a });
    return graphOk(ctx, 201, { '@odata.context': `${GRAPH_BASE}/$metadata#users('${mailbox.owner.key}')/messages('${m.id}')/attachments/$entity`, ...attachmentJson(a) });
  }
  if (ctx.method === 'POST' && second?.toLowerCase() === 'createuploadsession') {
    const item = isObject(body.AttachmentItem) ? body.AttachmentItem : isObject(body.attachmentItem) ? body.attachmentItem : undefined;
    const size = item && typeof item.size === 'number' ? item.size : NaN;
    if (!item || item.attachmentType !== 'file' || typeof item.name !== 'string' || !(size > 0)) {
      return graphError(ctx, 400, 'ErrorInvalidRequest', 'AttachmentItem with attachmentType "file", name and size is required.');
    }
    if (size > MAX_ATTACHMENT) return graphError(ctx, 400, 'ErrorAttachmentSizeLimitExceeded', 'The attachment exceeds the maximum size of 150 MB.');
    const name = item.name;
    const contentType = typeof item.contentType === 'string' ? item.contentType : 'application/octet-stream';
    const isInline = item.isInline === true;
    const contentId = typeof item.contentId === 'string' ? item.contentId : undefined;
    const expires = new Date(ctx.now.getTime() + 15 * 60_000);
    const base = `https://outlook.office.com/api/v2.0/Users('${mailbox.owner.key}@${r.caller.tenant.id}')/Messages('${m.id}')`;
    const session = r.world.data.uploads.open({
      size,
      expires,
      progress: (next) => jsonReply(200, { '@odata.context': `${base}/AttachmentSessions/$entity`, ExpirationDateTime: expires.toISOString(), NextExpectedRanges: [String(next)] }),
      error: (status, code, message) => jsonReply(status, { error: { code, message } }),
      complete: (blob) => {
        const attachment: StoredAttachment = { id: `AAMkAD${randomUUID().replace(/-/g, '')}`, name, contentType, content: blob, isInline, ...(contentId ? { contentId } : {}), lastModified: new Date() };
        mailbox.updateMessage(m.id, { attachment });
        return emptyReply(201, { location: `${base}/Attachments('${attachment.id}')` });
      },
    });
    const token = r.world.data.tokens.seal('attachment-session', { s: session.id, m: mailbox.owner.key });
    return graphOk(ctx, 201, {
      '@odata.context': `${GRAPH_BASE}/$metadata#microsoft.graph.uploadSession`,
      uploadUrl: `${base}/AttachmentSessions('${session.id}')?authtoken=${token}`,
      expirationDateTime: expires.toISOString(),
      nextExpectedRanges: ['0-'],
    });
  }
  return graphError(ctx, 405, 'ErrorInvalidRequest', 'The OData request is not supported.');
}

export function mailWrite(r: MailboxRequest, target: WriteTarget): Reply {
  const { ctx, mailbox } = r;
  const folderWrite = target.kind === 'folder' || target.kind === 'folder-update';
  const denied = gate(r, folderWrite ? FOLDER_WRITE_APP : WRITE_APP, SELF_WRITE, SHARED_WRITE);
  if (denied) return denied;
  try {
    switch (target.kind) {
      case 'create':
        if (ctx.method !== 'POST') break;
        return createMessage(r, target.folder);
      case 'folder': {
        const body = ctx.json();
        if (!isObject(body) || typeof body.displayName !== 'string' || !body.displayName.trim()) {
          return graphError(ctx, 400, 'ErrorInvalidRequest', 'displayName is required.');
        }
        const folder = mailbox.addFolder(target.parent.id, body.displayName);
        return graphOk(ctx, 201, { '@odata.context': `${GRAPH_BASE}/$metadata#users('${mailbox.owner.key}')/mailFolders/$entity`, ...folderJson(mailbox, folder) });
      }
      case 'folder-update': {
        if (ctx.method === 'DELETE') {
          mailbox.deleteFolder(target.folder.id);
          return emptyReply(204);
        }
        const body = ctx.json();
        if (ctx.method !== 'PATCH' || !isObject(body)) break;
        const updated = mailbox.updateFolder(target.folder.id, typeof body.displayName === 'string' ? { displayName: body.displayName } : {});
        return graphOk(ctx, 200, folderJson(mailbox, updated));
      }
      case 'message': {
        const [action] = target.rest;
        const m = target.message;
        if (action === undefined && ctx.method === 'PATCH') return updateMessage(r, m);
        if (action === undefined && ctx.method === 'DELETE') {
          mailbox.deleteMessage(m.id);
          return emptyReply(204);
        }
        if (action?.toLowerCase() === 'move' && ctx.method === 'POST') {
          const body = ctx.json();
          const dest = isObject(body) && typeof body.destinationId === 'string' ? body.destinationId : undefined;
          if (!dest) return graphError(ctx, 400, 'ErrorInvalidRequest', 'destinationId is required.');
          const folder = findFolder(r, dest);
          if (isReply(folder)) return folder;
          return graphOk(ctx, 201, { '@odata.context': `${GRAPH_BASE}/$metadata#users('${mailbox.owner.key}')/messages/$entity`, ...messageJson(mailbox, mailbox.moveMessage(m.id, folder.id)) });
        }
        if (action?.toLowerCase() === 'attachments') return attachmentRequest(r, m, target.rest);
        break;
      }
    }
  } catch (e) {
    return mailError(r, e);
  }
  return graphError(ctx, 405, 'ErrorInvalidRequest', 'The OData request is not supported.');
}
