/**
 * Graph's mailbox resources under /users/{id | upn}: mailFolders (list, get, childFolders, delta),
 * messages (list, get, delta, $value) and the writes restore needs (graph-write.ts). Permissions are
 * checked as Exchange does: Mail.ReadBasic* sees no body and no MIME, writes need Mail.ReadWrite.
 */
import { holdsAny } from '../access-token.js';
import { graphError, graphOk, GRAPH_BASE } from '../graph/common.js';
import { streamReply, type Reply } from '../http.js';
import { foldersDelta, messagesDelta, pageSize } from './graph-delta.js';
import { expandedPropertyIds, folderJson, messageJson, selection } from './graph-json.js';
import { mailWrite } from './graph-write.js';
import type { FolderRecord, Mailbox } from './mailbox.js';
import { findFolder, findMessage, gate, isReply, SHARED_READ, type MailboxRequest } from './graph-request.js';
import { mimeOf, type MessageRecord } from './records.js';

const BASIC_APP = ['Mail.ReadBasic.All', 'Mail.ReadBasic'];
const READ_APP = ['Mail.Read', 'Mail.ReadWrite', 'MailboxItem.Read.All', 'MailboxItem.ImportExport.All'];
const FOLDER_APP = [...BASIC_APP, ...READ_APP, 'MailboxFolder.Read.All', 'MailboxFolder.ReadWrite.All'];

function page<T>(r: MailboxRequest, fetch: (skip: number, top: number) => { items: readonly T[]; more: boolean }, render: (item: T) => Record<string, unknown>, context: string, path: string): Reply {
  const q = r.ctx.url.searchParams;
  const size = pageSize(r.ctx);
  const skip = Math.max(0, Number(q.get('$skip') ?? '0') || 0);
  const { items, more } = fetch(skip, size);
  const next = more ? new URL(`${GRAPH_BASE}${path}`) : undefined;
  if (next) {
    for (const [k, v] of q) if (k !== '$skip') next.searchParams.set(k, v);
    next.searchParams.set('$skip', String(skip + size));
  }
  return graphOk(r.ctx, 200, { '@odata.context': `${GRAPH_BASE}/$metadata#${context}`, value: items.map(render), ...(next ? { '@odata.nextLink': next.toString() } : {}) });
}

function list<T>(r: MailboxRequest, all: readonly T[], render: (item: T) => Record<string, unknown>, context: string, path: string): Reply {
  return page(r, (skip, top) => ({ items: all.slice(skip, skip + top), more: skip + top < all.length }), render, context, path);
}

/** Whether the caller only holds the ReadBasic permissions (no body, no MIME). */
function basicOnly(r: MailboxRequest): boolean {
  const c = r.caller.claims;
  return c.idtyp === 'app' ? !holdsAny(c.roles, READ_APP) : !holdsAny(c.scopes, ['Mail.Read', 'Mail.ReadWrite', ...SHARED_READ]);
}

/** A page of messages across folders, deriving only the messages on the page. */
function messagePage(mb: Mailbox, folders: readonly FolderRecord[], skip: number, top: number): { items: MessageRecord[]; more: boolean } {
  const items: MessageRecord[] = [];
  let toSkip = skip;
  let more = false;
  for (const f of folders) {
    const total = mb.totalCount(f);
    if (items.length >= top) {
      if (total > 0) more = true;
      if (more) break;
      continue;
    }
    if (toSkip >= total) {
      toSkip -= total;
      continue;
    }
    const got = mb.enumerate(f.id, { phase: 0, pos: 0 }, top - items.length, Infinity, toSkip).items;
    items.push(...got);
    if (toSkip + got.length < total) more = true;
    toSkip = 0;
  }
  return { items, more };
}

function messageRead(r: MailboxRequest, m: MessageRecord, rest: readonly string[]): Reply {
  const { ctx, mailbox } = r;
  const [action] = rest;
  if (action === undefined && ctx.method === 'GET') {
    const ids = expandedPropertyIds(ctx.url.searchParams.get('$expand'));
    const wanted = selection(ctx.url.searchParams.get('$select'));
    return graphOk(ctx, 200, {
      '@odata.context': `${GRAPH_BASE}/$metadata#users('${mailbox.owner.key}')/messages/$entity`,
      ...messageJson(mailbox, m, { ...(wanted ? { wanted } : {}), basic: basicOnly(r), extendedProperties: ids }),
    });
  }
  if (action === '$value' && ctx.method === 'GET' && rest.length === 1) {
    if (basicOnly(r)) return graphError(ctx, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    return streamReply(200, mimeOf(m, mailbox.owner.address), { 'content-type': 'text/plain' });
  }
  return mailWrite(r, { kind: 'message', message: m, rest });
}

/**
 * /users/{id}/mailFolders… and /users/{id}/messages… once the mailbox is known to exist. The sandbox's
 * ids never change on a move, so `Prefer: IdType="ImmutableId"` is acknowledged and changes nothing.
 */
export function mailboxRequest(r: MailboxRequest, relation: 'mailfolders' | 'messages', segments: readonly string[]): Reply {
  const reply = mailboxRoute(r, relation, segments);
  if (!/IdType\s*=\s*"?ImmutableId/i.test(r.ctx.header('prefer') ?? '')) return reply;
  const applied = reply.headers?.['preference-applied'];
  return { ...reply, headers: { ...(reply.headers ?? {}), 'preference-applied': applied ? `${String(applied)}, IdType="ImmutableId"` : 'IdType="ImmutableId"' } };
}

function mailboxRoute(r: MailboxRequest, relation: 'mailfolders' | 'messages', segments: readonly string[]): Reply {
  const { ctx, mailbox } = r;
  const [first, second, third, ...more] = segments;
  const lower = (s: string | undefined): string | undefined => s?.toLowerCase();

  if (relation === 'messages') {
    if (first === undefined) {
      if (ctx.method === 'POST') return mailWrite(r, { kind: 'create', folder: undefined });
      const denied = gate(r, [...BASIC_APP, ...READ_APP]);
      if (denied) return denied;
      const wanted = selection(ctx.url.searchParams.get('$select'));
      return page(r, (skip, top) => messagePage(mailbox, mailbox.liveFolders(), skip, top), (m) => messageJson(mailbox, m, { ...(wanted ? { wanted } : {}), basic: basicOnly(r) }), `users('${mailbox.owner.key}')/messages`, `/users/${mailbox.owner.key}/messages`);
    }
    const denied = ctx.method === 'GET' ? gate(r, [...BASIC_APP, ...READ_APP]) : undefined;
    if (denied) return denied;
    const m = findMessage(r, first);
    return isReply(m) ? m : messageRead(r, m, segments.slice(1));
  }

  // mailFolders
  if (first === undefined || lower(first) === 'delta') {
    if (first === undefined && ctx.method === 'POST') return mailWrite(r, { kind: 'folder', parent: mailbox.root });
    const denied = gate(r, first === undefined ? FOLDER_APP : [...READ_APP, 'MailboxFolder.Read.All', 'MailboxFolder.ReadWrite.All']);
    if (denied) return denied;
    if (ctx.method !== 'GET') return graphError(ctx, 405, 'ErrorInvalidRequest', 'The OData request is not supported.');
    if (first !== undefined) return foldersDelta(ctx, r.world.data.tokens, mailbox);
    const top = mailbox.liveFolders().filter((f) => f.parentId === mailbox.root.id);
    const wanted = selection(ctx.url.searchParams.get('$select'));
    return list(r, top, (f) => folderJson(mailbox, f, wanted), `users('${mailbox.owner.key}')/mailFolders`, `/users/${mailbox.owner.key}/mailFolders`);
  }
  const folder = findFolder(r, first);
  if (isReply(folder)) {
    const denied = gate(r, FOLDER_APP);
    return denied ?? folder;
  }
  if (second === undefined) {
    if (ctx.method !== 'GET') return mailWrite(r, { kind: 'folder-update', folder });
    const denied = gate(r, FOLDER_APP);
    if (denied) return denied;
    const wanted = selection(ctx.url.searchParams.get('$select'));
    return graphOk(ctx, 200, { '@odata.context': `${GRAPH_BASE}/$metadata#users('${mailbox.owner.key}')/mailFolders/$entity`, ...folderJson(mailbox, folder, wanted) });
  }
  switch (lower(second)) {
    case 'childfolders': {
      if (third !== undefined) return graphError(ctx, 400, 'BadRequest', `Resource not found for the segment '${third}'.`);
      if (ctx.method === 'POST') return mailWrite(r, { kind: 'folder', parent: folder });
      const denied = gate(r, FOLDER_APP);
      if (denied) return denied;
      let children = mailbox.liveFolders().filter((f) => f.parentId === folder.id);
      const filter = ctx.url.searchParams.get('$filter')?.match(/^\s*displayName\s+eq\s+'((?:[^']|'')*)'\s*$/i);
      if (filter) children = children.filter((f) => f.displayName === (filter[1] ?? '').replace(/''/g, "'"));
      const wanted = selection(ctx.url.searchParams.get('$select'));
      return list(r, children, (f) => folderJson(mailbox, f, wanted), `users('${mailbox.owner.key}')/mailFolders('${folder.id}')/childFolders`, `/users/${mailbox.owner.key}/mailFolders/${folder.id}/childFolders`);
    }
    case 'messages': {
      if (third === undefined) {
        if (ctx.method === 'POST') return mailWrite(r, { kind: 'create', folder });
        const denied = gate(r, [...BASIC_APP, ...READ_APP]);
        if (denied) return denied;
        const wanted = selection(ctx.url.searchParams.get('$select'));
        return page(r, (skip, top) => messagePage(mailbox, [folder], skip, top), (m) => messageJson(mailbox, m, { ...(wanted ? { wanted } : {}), basic: basicOnly(r) }), `users('${mailbox.owner.key}')/mailFolders('${folder.id}')/messages`, `/users/${mailbox.owner.key}/mailFolders/${folder.id}/messages`);
      }
      if (lower(third) === 'delta' && more.length === 0) {
        const denied = gate(r, [...BASIC_APP, ...READ_APP]);
        if (denied) return denied;
        return messagesDelta(ctx, r.world.data.tokens, mailbox, folder.id, basicOnly(r));
      }
      const denied = ctx.method === 'GET' ? gate(r, [...BASIC_APP, ...READ_APP]) : undefined;
      if (denied) return denied;
      const m = findMessage(r, third, folder);
      return isReply(m) ? m : messageRead(r, m, more);
    }
    default:
      return graphError(ctx, 400, 'BadRequest', `Resource not found for the segment '${second}'.`);
  }
}
