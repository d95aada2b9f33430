import PostalMime from 'postal-mime';
import type { Address, Attachment } from 'postal-mime';

/**
 * A backed-up MIME message as the Graph JSON that restore creates (backup-data.md §2.2, as corso
 * does): a message created from MIME is always a draft and its PidTagMessageFlags cannot change
 * afterwards, so the message is built from the parsed MIME with the flags (read, not unsent) and
 * the original submit and delivery times set at creation; attachments follow separately.
 */

export interface RestoreAttachment {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  readonly isInline: boolean;
  readonly contentId?: string;
}

export interface GraphMessageDraft {
  readonly message: Record<string, unknown>;
  readonly attachments: readonly RestoreAttachment[];
}

/** PidTagMessageFlags bits (MS-OXCMSG): READ 0x1; UNSENT 0x8 left clear so it is not a draft. */
const MSGFLAG_READ = 0x1;

function recipients(list: readonly Address[] | undefined): Array<{ emailAddress: { address: string; name?: string } }> {
  const out: Array<{ emailAddress: { address: string; name?: string } }> = [];
  for (const a of list ?? []) {
    const boxes = a.group ? a.group : [a];
    for (const box of boxes) if (box.address) out.push({ emailAddress: { address: box.address, ...(box.name ? { name: box.name } : {}) } });
  }
  return out;
}

function bytesOf(content: Attachment['content']): Uint8Array {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

function isoOrUndefined(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export async function mimeToGraphMessage(mime: Uint8Array, facts: { isRead: boolean; received?: string; sent?: string }): Promise<GraphMessageDraft> {
  const email = await PostalMime.parse(mime, { attachmentEncoding: 'arraybuffer' });
  const sent = facts.sent ?? isoOrUndefined(email.date);
  const received = facts.received ?? sent;
  const from = recipients(email.from ? [email.from] : undefined)[0];
  const sender = recipients(email.sender ? [email.sender] : undefined)[0];
  const properties: Array<{ id: string; value: string }> = [{ id: 'Integer 0x0E07', value: String(facts.isRead ? MSGFLAG_READ : 0) }];
  if (sent) properties.push({ id: 'SystemTime 0x0039', value: sent });
  if (received) properties.push({ id: 'SystemTime 0x0E06', value: received });
  const message: Record<string, unknown> = {
    subject: email.subject ?? '',
    body: email.html !== undefined ? { contentType: 'html', content: email.html } : { contentType: 'text', content: email.text ?? '' },
    toRecipients: recipients(email.to),
    ccRecipients: recipients(email.cc),
    bccRecipients: recipients(email.bcc),
    replyTo: recipients(email.replyTo),
    ...(from ? { from } : {}),
    ...(sender ? { sender } : from ? { sender: from } : {}),
    ...(email.messageId ? { internetMessageId: email.messageId } : {}),
    isRead: facts.isRead,
    singleValueExtendedProperties: properties,
  };
  const attachments: RestoreAttachment[] = email.attachments.map((a, i) => ({
    name: a.filename ?? `attachment ${i + 1}`,
    contentType: a.mimeType || 'application/octet-stream',
    bytes: bytesOf(a.content),
    isInline: a.disposition === 'inline' || a.related === true,
    ...(a.contentId ? { contentId: a.contentId.replace(/^<|>$/g, '') } : {}),
  }));
  return { message, attachments };
}
