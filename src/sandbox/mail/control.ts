/**
 * `sandbox.mail`: what tests and tools do to mailboxes behind the API's back (add, change, move and
 * delete messages and folders, expire sync state, hold a mailbox's requests) and how they read back
 * what a restore wrote (folders, messages with their flags and dates, MIME, attachments).
 */
import { readAll } from '../data/bytes.js';
import { derive } from '../data/random.js';
import type { SandboxData } from '../data/world.js';
import type { Directory } from '../directory.js';
import { SandboxControlError } from '../identity/device-code.js';
import { MailError, type FolderRecord, type Mailbox } from './mailbox.js';
import { parseMime } from './mime-read.js';
import { attachmentsOf, hasAttachments, isDraft, isRead, mimeOf, MSGFLAG, recordFromSpec, type MessageRecord, type StoredAttachment } from './records.js';
import { messageSpec, type SeedFolder } from './seed.js';
import type { NewMessageInput, SandboxFolderInfo, SandboxMail, SandboxMessageInfo } from './control-types.js';

export interface OnPremisesMailbox {
  readonly smtp: string;
  readonly displayName: string;
}

function resolver(data: SandboxData, directory: Directory, onPremises: readonly OnPremisesMailbox[]) {
  return (name: string): Mailbox => {
    const key = name.trim().toLowerCase();
    for (const tenant of directory.tenants) {
      const user = data.findUser(tenant, key);
      if (user) {
        if (!user.hasMailbox) throw new SandboxControlError(`${user.userPrincipalName} has no mailbox.`, 404);
        return data.mailboxOf(tenant, user);
      }
    }
    const onPrem = onPremises.find((m) => m.smtp.toLowerCase() === key);
    if (onPrem) return data.onPremisesMailbox(onPrem.smtp, onPrem.displayName);
    throw new SandboxControlError(`No mailbox '${name}' in the sandbox.`, 404);
  };
}

/** A folder by id, well-known name or path below the root ("Inbox/Projects/Alpha"). */
function folderOf(mb: Mailbox, ref: string): FolderRecord {
  const direct = mb.folder(ref);
  if (direct) return direct;
  const wanted = ref.replace(/^\/+|\/+$/g, '').toLowerCase();
  const found = mb.liveFolders().find((f) => mb.path(f).toLowerCase() === wanted);
  if (!found) throw new SandboxControlError(`No folder '${ref}' in ${mb.owner.address.address}.`, 404);
  return found;
}

function info(mb: Mailbox, m: MessageRecord): SandboxMessageInfo {
  const folder = mb.folder(m.folderId);
  return {
    id: m.id,
    folder: folder ? mb.path(folder) : '',
    subject: m.subject,
    from: m.from?.address,
    to: m.to.map((a) => a.address),
    isRead: isRead(m),
    isDraft: isDraft(m),
    flags: m.flags,
    receivedDateTime: m.received.toISOString(),
    sentDateTime: m.sent.toISOString(),
    internetMessageId: m.internetMessageId,
    hasAttachments: hasAttachments(m),
    size: mimeOf(m, mb.owner.address).length,
    attachments: attachmentsOf(m).map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, isInline: a.isInline })),
  };
}

function folderInfo(mb: Mailbox, f: FolderRecord): SandboxFolderInfo {
  return { id: f.id, path: mb.path(f), displayName: f.displayName, parentId: f.parentId, ...(f.wellKnownName ? { wellKnownName: f.wellKnownName } : {}), totalItemCount: mb.totalCount(f), unreadItemCount: mb.unreadCount(f) };
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MailError) throw new SandboxControlError(e.message, e.code === 'ErrorFolderExists' ? 409 : 404);
    throw e;
  }
}

const ADDED: SeedFolder = { key: 'added', displayName: 'added', parent: null, share: 0 };

function addMessage(data: SandboxData, mb: Mailbox, folder: FolderRecord, input: NewMessageInput, counter: number): MessageRecord {
  const now = data.clock();
  const received = input.receivedDateTime ? new Date(input.receivedDateTime) : now;
  if (input.mime !== undefined) {
    const raw = Buffer.isBuffer(input.mime) ? input.mime : Buffer.from(input.mime, 'utf8');
    const parsed = parseMime(raw);
    return mb.addMessage(folder.id, {
      flags: (input.isRead === false ? 0 : MSGFLAG.READ) | (parsed.attachments.some((a) => !a.inline) ? MSGFLAG.HASATTACH : 0),
      subject: parsed.subject,
      from: parsed.from,
      to: parsed.to,
      cc: parsed.cc,
      sent: parsed.date ?? received,
      received,
      created: now,
      modified: now,
      importance: parsed.importance,
      categories: [],
      flagged: false,
      internetMessageId: parsed.internetMessageId ?? `<added-${counter}@sandbox.invalid>`,
      topic: parsed.subject,
      bodyType: parsed.html !== undefined ? 'html' : 'text',
      body: parsed.html ?? parsed.text,
      content: { kind: 'mime', blob: data.blobs.put(raw), parsed },
    });
  }
  // A new message made the way seeded ones are (its own key), then the caller's overrides.
  const spec = messageSpec({ ...mb.ctx, mailboxKey: `${mb.ctx.mailboxKey}/added` }, ADDED, counter, counter + 1, { ...mb.seed, largeMessages: input.large ? 1 : 0 });
  const seeded = recordFromSpec('', folder.id, spec);
  const attachments: StoredAttachment[] = (input.attachments ?? []).map((a, i) => ({
    id: `AAMkAD${derive('added-attachment', counter, i).toString('hex').slice(0, 32)}`,
    name: a.name,
    contentType: a.contentType ?? 'application/octet-stream',
    content: data.blobs.put(a.content !== undefined ? (Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content, 'utf8')) : Buffer.alloc(a.size ?? 1024, 0x61)),
    isInline: false,
    lastModified: received,
  }));
  const custom = input.body !== undefined || input.attachments !== undefined;
  const { id: _id, folderId: _f, seq: _s, arrivedSeq: _a, readOnlyChange: _r, version: _v, seeded: _seeded, ...init } = seeded;
  return mb.addMessage(folder.id, {
    ...init,
    flags: (input.isRead ? MSGFLAG.READ : 0) | (folder.wellKnownName === 'drafts' ? MSGFLAG.UNSENT : 0) | ((custom ? attachments.length > 0 : seeded.flags & MSGFLAG.HASATTACH) ? MSGFLAG.HASATTACH : 0),
    subject: input.subject ?? seeded.subject,
    ...(input.from ? { from: input.from } : {}),
    ...(input.to ? { to: [...input.to] } : {}),
    received,
    sent: new Date(received.getTime() - 30_000),
    created: now,
    modified: now,
    ...(input.body !== undefined ? { bodyType: 'text' as const, body: input.body } : {}),
    content: custom ? { kind: 'built', attachments } : { kind: 'seed', spec: { ...spec, subject: input.subject ?? spec.subject, received, sent: new Date(received.getTime() - 30_000) } },
  });
}

export function mailControl(data: SandboxData, directory: Directory, onPremises: readonly OnPremisesMailbox[]): SandboxMail {
  const open = resolver(data, directory, onPremises);
  let added = 0;
  const message = (mb: Mailbox, id: string): MessageRecord => {
    const m = mb.message(id);
    if (!m) throw new SandboxControlError(`No message '${id}' in ${mb.owner.address.address}.`, 404);
    return m;
  };
  return {
    folders: (mailbox) => {
      const mb = open(mailbox);
      return mb.liveFolders().map((f) => folderInfo(mb, f));
    },
    messages: (mailbox, folder) => {
      const mb = open(mailbox);
      return mb.enumerate(folderOf(mb, folder).id, { phase: 0, pos: 0 }, Infinity, Infinity).items.map((m) => info(mb, m));
    },
    message: (mailbox, id) => {
      const mb = open(mailbox);
      const m = mb.message(id);
      return m ? info(mb, m) : undefined;
    },
    mime: async (mailbox, id) => {
      const mb = open(mailbox);
      return readAll(mimeOf(message(mb, id), mb.owner.address));
    },
    attachments: async (mailbox, id) => {
      const m = message(open(mailbox), id);
      return Promise.all(attachmentsOf(m).map(async (a) => ({ name: a.name, contentType: a.contentType, size: a.size, isInline: a.isInline, sha256: await a.sha256() })));
    },
    addMessage: (mailbox, folder, input = {}) => {
      const mb = open(mailbox);
      added += 1;
      return wrap(() => addMessage(data, mb, folderOf(mb, folder), input, added).id);
    },
    changeMessage: (mailbox, id, change) => {
      const mb = open(mailbox);
      wrap(() => mb.updateMessage(message(mb, id).id, change));
    },
    moveMessage: (mailbox, id, folder) => {
      const mb = open(mailbox);
      wrap(() => mb.moveMessage(message(mb, id).id, folderOf(mb, folder).id));
    },
    deleteMessage: (mailbox, id) => {
      const mb = open(mailbox);
      wrap(() => mb.deleteMessage(message(mb, id).id));
    },
    addFolder: (mailbox, parent, name) => {
      const mb = open(mailbox);
      return wrap(() => mb.addFolder(folderOf(mb, parent).id, name).id);
    },
    renameFolder: (mailbox, folder, name) => {
      const mb = open(mailbox);
      wrap(() => mb.updateFolder(folderOf(mb, folder).id, { displayName: name }));
    },
    moveFolder: (mailbox, folder, parent) => {
      const mb = open(mailbox);
      wrap(() => mb.updateFolder(folderOf(mb, folder).id, { parentId: folderOf(mb, parent).id }));
    },
    deleteFolder: (mailbox, folder) => {
      const mb = open(mailbox);
      wrap(() => mb.deleteFolder(folderOf(mb, folder).id));
    },
    expireSyncState: (mailbox) => {
      for (const mb of mailbox === undefined ? data.mail.opened() : [open(mailbox)]) mb.epoch += 1;
    },
    hold: (mailbox) => {
      open(mailbox);
      return data.traffic.hold(mailbox);
    },
    inFlight: (mailbox) => data.traffic.inFlightFor(mailbox),
  };
}
