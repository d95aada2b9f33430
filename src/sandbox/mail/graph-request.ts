/** What every mailbox request handler gets, and the lookups and permission gate they share. */
import { graphError, MAIL_DENIED, requireMailboxPermission, type GraphCaller } from '../graph/common.js';
import type { Reply, RequestContext } from '../http.js';
import type { World } from '../world.js';
import type { FolderRecord, Mailbox } from './mailbox.js';
import type { MessageRecord } from './records.js';

export const SELF_READ = ['Mail.ReadBasic', 'Mail.Read', 'Mail.ReadWrite'];
export const SHARED_READ = ['Mail.Read.Shared', 'Mail.ReadWrite.Shared'];

export interface MailboxRequest {
  readonly ctx: RequestContext;
  readonly world: World;
  readonly caller: GraphCaller;
  readonly mailbox: Mailbox;
  /** The caller is the mailbox owner (delegated /me or own UPN). */
  readonly self: boolean;
}

export function notFound(ctx: RequestContext): Reply {
  return graphError(ctx, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

export function malformed(ctx: RequestContext): Reply {
  return graphError(ctx, 400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
}

/** undefined when allowed. */
export function gate(r: MailboxRequest, app: readonly string[], selfScopes: readonly string[] = SELF_READ, shared: readonly string[] = SHARED_READ): Reply | undefined {
  // App-only callers may also be allowed by Exchange RBAC for Applications (graph/common.ts).
  return requireMailboxPermission(r.ctx, r.world, r.caller, { app, delegated: r.self ? selfScopes : shared }, MAIL_DENIED, r.mailbox.owner.address.address);
}

const isId = (s: string): boolean => /^[A-Za-z0-9_\-+/=]{20,}$/.test(s);

export function findFolder(r: MailboxRequest, ref: string): FolderRecord | Reply {
  const f = r.mailbox.folder(ref);
  if (f) return f;
  return isId(ref) ? notFound(r.ctx) : malformed(r.ctx);
}

export function findMessage(r: MailboxRequest, ref: string, folder?: FolderRecord): MessageRecord | Reply {
  const m = r.mailbox.message(ref);
  if (m && (!folder || m.folderId === folder.id)) return m;
  return isId(ref) ? notFound(r.ctx) : malformed(r.ctx);
}

export const isReply = (v: unknown): v is Reply => typeof v === 'object' && v !== null && 'status' in v && typeof (v as Reply).status === 'number';

