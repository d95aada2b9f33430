/**
 * The HTTP form of `sandbox.mail`, `sandbox.drives`, `sandbox.throttle` and request counting, for
 * tools and tests in another process (the `sandbox` command). Mailboxes, folders, libraries and items
 * travel in the query string (folder paths and site keys contain slashes):
 *
 *   GET    /_sandbox/mail/folders?mailbox=M                     POST {parent, name}
 *   PATCH  /_sandbox/mail/folders?mailbox=M&folder=F {name?, parent?}      DELETE …&folder=F
 *   GET    /_sandbox/mail/messages?mailbox=M&folder=F           POST {subject?, body?, mime?, large?, …}
 *   GET    /_sandbox/mail/message?mailbox=M&id=I                PATCH {isRead?, subject?, folder?}   DELETE
 *   GET    /_sandbox/mail/mime?mailbox=M&id=I                   (message/rfc822)
 *   POST   /_sandbox/mail/expire {mailbox?}
 *   GET    /_sandbox/drives?site=S
 *   GET    /_sandbox/drives/items?drive=D&folder=F              POST {path, content? | size? | folder: true}
 *   GET    /_sandbox/drives/item?drive=D&item=I                 PATCH {name?, folder?, content? | size?}   DELETE
 *   GET    /_sandbox/drives/content?drive=D&item=I              (application/octet-stream)
 *   POST   /_sandbox/drives/expire {drive?}
 *   POST   /_sandbox/throttle {mailbox?, drive?, service?, requests?, retryAfterSeconds?, status?}   DELETE
 *   GET    /_sandbox/requests/count?kind=K&since=N → {count}
 */
import { SandboxControlError } from '../identity/device-code.js';
import { emptyReply, jsonReply, type Reply, type RequestContext } from '../http.js';
import { isObject } from '../jwt.js';
import type { Sandbox } from '../types.js';

function body(ctx: RequestContext): Record<string, unknown> {
  if (ctx.body.length === 0) return {};
  const value = ctx.json();
  if (!isObject(value)) throw new SandboxControlError('The request body must be a JSON object.', 400);
  return value;
}

function param(ctx: RequestContext, name: string): string {
  const v = ctx.url.searchParams.get(name);
  if (v === null || v === '') throw new SandboxControlError(`The query parameter '${name}' is required.`, 400);
  return v;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

async function mail(ctx: RequestContext, sandbox: Sandbox, what: string | undefined): Promise<Reply> {
  const m = sandbox.mail;
  const method = ctx.method;
  if (what === 'expire' && method === 'POST') {
    m.expireSyncState(str(body(ctx).mailbox));
    return jsonReply(200, { expired: true });
  }
  const mailbox = param(ctx, 'mailbox');
  switch (`${method} ${what}`) {
    case 'GET folders':
      return jsonReply(200, m.folders(mailbox));
    case 'POST folders': {
      const b = body(ctx);
      return jsonReply(201, { id: m.addFolder(mailbox, str(b.parent) ?? 'msgfolderroot', str(b.name) ?? '') });
    }
    case 'PATCH folders': {
      const b = body(ctx);
      const folder = param(ctx, 'folder');
      if (str(b.parent)) m.moveFolder(mailbox, folder, str(b.parent) ?? '');
      if (str(b.name)) m.renameFolder(mailbox, folder, str(b.name) ?? '');
      return emptyReply(204);
    }
    case 'DELETE folders':
      m.deleteFolder(mailbox, param(ctx, 'folder'));
      return emptyReply(204);
    case 'GET messages':
      return jsonReply(200, m.messages(mailbox, param(ctx, 'folder')));
    case 'POST messages': {
      const b = body(ctx);
      const id = m.addMessage(mailbox, param(ctx, 'folder'), {
        ...(str(b.subject) !== undefined ? { subject: str(b.subject) } : {}),
        ...(str(b.body) !== undefined ? { body: str(b.body) } : {}),
        ...(str(b.mime) !== undefined ? { mime: str(b.mime) } : {}),
        ...(typeof b.isRead === 'boolean' ? { isRead: b.isRead } : {}),
        ...(str(b.receivedDateTime) ? { receivedDateTime: str(b.receivedDateTime) } : {}),
        ...(b.large === true ? { large: true } : {}),
      });
      return jsonReply(201, { id });
    }
    case 'GET message': {
      const info = m.message(mailbox, param(ctx, 'id'));
      return info ? jsonReply(200, info) : jsonReply(404, { error: 'sandbox_control_error', message: 'No such message.' });
    }
    case 'PATCH message': {
      const b = body(ctx);
      const id = param(ctx, 'id');
      m.changeMessage(mailbox, id, {
        ...(typeof b.isRead === 'boolean' ? { isRead: b.isRead } : {}),
        ...(str(b.subject) !== undefined ? { subject: str(b.subject) } : {}),
        ...(typeof b.flagged === 'boolean' ? { flagged: b.flagged } : {}),
      });
      if (str(b.folder)) m.moveMessage(mailbox, id, str(b.folder) ?? '');
      return emptyReply(204);
    }
    case 'DELETE message':
      m.deleteMessage(mailbox, param(ctx, 'id'));
      return emptyReply(204);
    case 'GET mime':
      return { status: 200, headers: { 'content-type': 'message/rfc822' }, body: await m.mime(mailbox, param(ctx, 'id')) };
    default:
      throw new SandboxControlError(`No control endpoint ${method} ${ctx.path}.`, 404);
  }
}

function content(b: Record<string, unknown>): string | { size: number } | undefined {
  if (str(b.content) !== undefined) return str(b.content);
  const size = num(b.size);
  return size !== undefined ? { size } : undefined;
}

async function drives(ctx: RequestContext, sandbox: Sandbox, what: string | undefined): Promise<Reply> {
  const d = sandbox.drives;
  const method = ctx.method;
  if (what === undefined && method === 'GET') return jsonReply(200, d.list(ctx.url.searchParams.get('site') ?? undefined));
  if (what === 'expire' && method === 'POST') {
    d.expireDeltaTokens(str(body(ctx).drive));
    return jsonReply(200, { expired: true });
  }
  const drive = param(ctx, 'drive');
  switch (`${method} ${what}`) {
    case 'GET items':
      return jsonReply(200, d.items(drive, ctx.url.searchParams.get('folder') ?? ''));
    case 'POST items': {
      const b = body(ctx);
      const path = str(b.path) ?? '';
      const c = content(b);
      if (b.folder === true) return jsonReply(201, { id: d.addFolder(drive, path) });
      if (c === undefined) throw new SandboxControlError('A file needs content (text) or size.', 400);
      return jsonReply(201, { id: d.addFile(drive, path, c) });
    }
    case 'GET item': {
      const info = d.item(drive, param(ctx, 'item'));
      return info ? jsonReply(200, info) : jsonReply(404, { error: 'sandbox_control_error', message: 'No such item.' });
    }
    case 'PATCH item': {
      const b = body(ctx);
      const item = param(ctx, 'item');
      const c = content(b);
      if (c !== undefined) d.changeFile(drive, item, c);
      if (str(b.folder) !== undefined) d.move(drive, item, str(b.folder) ?? '');
      if (str(b.name)) d.rename(drive, item, str(b.name) ?? '');
      return emptyReply(204);
    }
    case 'DELETE item':
      d.delete(drive, param(ctx, 'item'));
      return emptyReply(204);
    case 'GET content':
      return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: await d.content(drive, param(ctx, 'item')) };
    default:
      throw new SandboxControlError(`No control endpoint ${method} ${ctx.path}.`, 404);
  }
}

/** Handles /_sandbox/{mail,drives,throttle,requests/count}…; undefined for other collections. */
export async function dataControl(ctx: RequestContext, sandbox: Sandbox, collection: string | undefined, what: string | undefined): Promise<Reply | undefined> {
  switch (collection) {
    case 'mail':
      return mail(ctx, sandbox, what);
    case 'drives':
      return drives(ctx, sandbox, what);
    case 'throttle': {
      if (ctx.method === 'DELETE') {
        sandbox.clearThrottles();
        return emptyReply(204);
      }
      if (ctx.method !== 'POST') return undefined;
      const b = body(ctx);
      const service = b.service === 'graph' || b.service === 'ews' || b.service === 'sharepoint' ? b.service : undefined;
      const status = b.status === 503 ? 503 : b.status === 429 || b.status === undefined ? 429 : undefined;
      if (status === undefined) throw new SandboxControlError('status must be 429 or 503.', 400);
      sandbox.throttle({
        ...(str(b.mailbox) ? { mailbox: str(b.mailbox) } : {}),
        ...(str(b.drive) ? { drive: str(b.drive) } : {}),
        ...(service ? { service } : {}),
        ...(num(b.requests) !== undefined ? { requests: num(b.requests) } : {}),
        ...(num(b.retryAfterSeconds) !== undefined ? { retryAfterSeconds: num(b.retryAfterSeconds) } : {}),
        status,
      });
      return jsonReply(201, { throttled: true });
    }
    case 'requests':
      if (what !== 'count' || ctx.method !== 'GET') return undefined;
      return jsonReply(200, { count: sandbox.countRequests(param(ctx, 'kind'), Number(ctx.url.searchParams.get('since') ?? '0') || 0) });
    default:
      return undefined;
  }
}
