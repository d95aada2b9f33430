/**
 * Graph delta for mail: `mailFolders/delta` per mailbox and `mailFolders/{id}/messages/delta` per
 * folder. A round is pages linked by `@odata.nextLink` ($skiptoken) and ends with `@odata.deltaLink`
 * ($deltatoken); the next round returns only what changed since, removals as `@removed`. Tokens are
 * sealed state (mailbox, folder, change numbers, query options) and die with the mailbox's epoch:
 * then 410 SyncStateNotFound, as Exchange answers for a lost sync state.
 */
import type { Reply, RequestContext } from '../http.js';
import { GRAPH_BASE, graphError, graphOk } from '../graph/common.js';
import type { TokenSealer } from '../data/tokens.js';
import type { Mailbox } from './mailbox.js';
import { folderJson, messageJson, selection } from './graph-json.js';

const DEFAULT_PAGE = 10;
const MAX_PAGE = 1000;

interface Round {
  /** Mailbox key, folder id ('' for the folder hierarchy) and epoch the token belongs to. */
  readonly m: string;
  readonly f: string;
  readonly e: number;
  /** Query options of the first request, carried through the round. */
  readonly sel?: string;
  readonly ct?: string;
  readonly top?: number;
}

interface SkipState extends Round {
  /** Changes since this change number; -1 = initial (full) round. */
  readonly since: number;
  /** Change number at the start of the round: later changes are left for the next round. */
  readonly base: number;
  /** Position: [phase, pos] when enumerating, [1, last change number] when listing changes. */
  readonly cur: readonly [0 | 1, number];
}

interface DeltaState extends Round {
  readonly at: number;
}

export function pageSize(ctx: RequestContext, carried?: number): number {
  const prefer = ctx.header('prefer')?.match(/odata\.maxpagesize\s*=\s*(\d+)/i)?.[1];
  const top = ctx.url.searchParams.get('$top');
  const n = Number(prefer ?? top ?? carried ?? DEFAULT_PAGE);
  return Math.max(1, Math.min(Number.isFinite(n) && n > 0 ? Math.floor(n) : DEFAULT_PAGE, MAX_PAGE));
}

function preferenceApplied(ctx: RequestContext, size: number): Record<string, string> {
  return ctx.header('prefer')?.match(/odata\.maxpagesize/i) ? { 'preference-applied': `odata.maxpagesize=${size}` } : {};
}

export function syncStateNotFound(ctx: RequestContext, mb: Mailbox, generation: number): Reply {
  return graphError(ctx, 410, 'SyncStateNotFound', `The sync state generation is not found; generation=${generation};[highest=${mb.epoch}]`);
}

function invalidToken(ctx: RequestContext): Reply {
  return graphError(ctx, 400, 'SyncStateInvalid', 'The sync state is invalid or was not issued for this request.');
}

type Opened<T> = { state: T | undefined; error?: Reply };

function openRound<T extends Round>(ctx: RequestContext, tokens: TokenSealer, mb: Mailbox, folderId: string, purpose: string, token: string): Opened<T> {
  const state = tokens.open<T>(purpose, token);
  if (!state || state.m !== mb.owner.key || state.f !== folderId) return { state: undefined, error: invalidToken(ctx) };
  if (state.e !== mb.epoch) return { state: undefined, error: syncStateNotFound(ctx, mb, state.e) };
  return { state };
}

/** Shared by both deltas: reads $skiptoken/$deltatoken or starts a round. */
function roundState(ctx: RequestContext, tokens: TokenSealer, mb: Mailbox, folderId: string, kind: string): { state?: SkipState; error?: Reply } {
  const q = ctx.url.searchParams;
  const skip = q.get('$skiptoken');
  const delta = q.get('$deltatoken');
  if (skip) return openRound<SkipState>(ctx, tokens, mb, folderId, `${kind}.skip`, skip);
  let since = -1;
  let options = { sel: q.get('$select') ?? undefined, ct: q.get('changeType') ?? undefined, top: q.get('$top') ? Number(q.get('$top')) : undefined };
  if (delta) {
    const opened = openRound<DeltaState>(ctx, tokens, mb, folderId, `${kind}.delta`, delta);
    if (!opened.state) return { error: opened.error ?? invalidToken(ctx) };
    since = opened.state.at;
    options = { sel: opened.state.sel, ct: opened.state.ct, top: opened.state.top };
  }
  return { state: { m: mb.owner.key, f: folderId, e: mb.epoch, ...stripUndefined(options), since, base: mb.seq, cur: [0, 0] } };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function links(tokens: TokenSealer, kind: string, url: string, state: SkipState, next: SkipState['cur'] | undefined): Record<string, string> {
  const round: Round = { m: state.m, f: state.f, e: state.e, ...stripUndefined({ sel: state.sel, ct: state.ct, top: state.top }) };
  if (next) return { '@odata.nextLink': `${url}?$skiptoken=${tokens.seal(`${kind}.skip`, { ...state, cur: next })}` };
  return { '@odata.deltaLink': `${url}?$deltatoken=${tokens.seal(`${kind}.delta`, { ...round, at: state.base })}` };
}

export function messagesDelta(ctx: RequestContext, tokens: TokenSealer, mb: Mailbox, folderId: string, basic: boolean): Reply {
  const { state, error } = roundState(ctx, tokens, mb, folderId, 'messages');
  if (!state) return error ?? invalidToken(ctx);
  const size = pageSize(ctx, state.top);
  const wanted = selection(state.sel ?? null);
  const url = `${GRAPH_BASE}/users('${mb.owner.key}')/mailFolders('${folderId}')/messages/delta`;
  const value: Record<string, unknown>[] = [];
  let next: SkipState['cur'] | undefined;
  const item = (m: Parameters<typeof messageJson>[1]) => ({ '@odata.type': '#microsoft.graph.message', ...messageJson(mb, m, { ...(wanted ? { wanted } : {}), basic }) });
  if (state.since < 0) {
    const page = mb.enumerate(folderId, { phase: state.cur[0], pos: state.cur[1] }, size, state.base);
    value.push(...page.items.map(item));
    next = page.next ? [page.next.phase, page.next.pos] : undefined;
  } else {
    const page = mb.changes(folderId, state.since, state.cur[1], state.base, size);
    for (const entry of page.entries) {
      if ('removed' in entry) {
        if (!state.ct || state.ct === 'deleted') value.push({ '@odata.type': '#microsoft.graph.message', id: entry.removed, '@removed': { reason: 'deleted' } });
        continue;
      }
      const created = entry.record.arrivedSeq > state.since;
      if (!state.ct || (state.ct === 'created' && created) || (state.ct === 'updated' && !created)) value.push(item(entry.record));
    }
    next = page.more ? [1, page.last] : undefined;
  }
  return graphOkWith(ctx, { '@odata.context': `${GRAPH_BASE}/$metadata#Collection(message)`, ...links(tokens, 'messages', url, state, next), value }, preferenceApplied(ctx, size));
}

export function foldersDelta(ctx: RequestContext, tokens: TokenSealer, mb: Mailbox): Reply {
  const { state, error } = roundState(ctx, tokens, mb, '', 'folders');
  if (!state) return error ?? invalidToken(ctx);
  const size = pageSize(ctx, state.top);
  const wanted = selection(state.sel ?? null);
  const url = `${GRAPH_BASE}/users('${mb.owner.key}')/mailFolders/delta`;
  const since = state.since;
  const candidates = mb
    .allFolders()
    .filter((f) => f.parentId !== '' && f.seq <= state.base && (since < 0 ? !f.deleted : f.seq > since))
    .sort((a, b) => (since < 0 ? 0 : a.seq - b.seq));
  const start = state.cur[1];
  const page = candidates.slice(start, start + size);
  const value = page.map((f) => (f.deleted ? { '@odata.type': '#microsoft.graph.mailFolder', id: f.id, '@removed': { reason: 'deleted' } } : { '@odata.type': '#microsoft.graph.mailFolder', ...folderJson(mb, f, wanted) }));
  const next: SkipState['cur'] | undefined = start + size < candidates.length ? [1, start + size] : undefined;
  return graphOkWith(ctx, { '@odata.context': `${GRAPH_BASE}/$metadata#Collection(mailFolder)`, ...links(tokens, 'folders', url, state, next), value }, preferenceApplied(ctx, size));
}

function graphOkWith(ctx: RequestContext, body: unknown, headers: Record<string, string>): Reply {
  const reply = graphOk(ctx, 200, body);
  return { ...reply, headers: { ...(reply.headers ?? {}), ...headers } };
}
