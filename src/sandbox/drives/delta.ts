/**
 * `root/delta` of a document library. The first round enumerates the tree (root first, parents before
 * children); later rounds return what changed since, deleted items with the `deleted` facet (a
 * deleted folder's contents each reported too). `?token=latest` gives an empty page and the current
 * deltaLink. An expired token answers 410 Gone, `resyncRequired` /
 * `resyncChangesApplyDifferences`, with a Location header that starts a fresh enumeration.
 */
import { GRAPH_BASE, graphError, graphOk } from '../graph/common.js';
import type { Reply } from '../http.js';
import { itemJson } from './graph-json.js';
import type { DriveRequest } from './graph.js';
import { downloadUrl } from './transfer.js';

const DEFAULT_PAGE = 200;
const MAX_PAGE = 1000;

interface Round {
  readonly d: string;
  readonly e: number;
  readonly sel?: string;
  readonly top?: number;
}

type TokenState = (Round & { readonly k: 'next'; readonly since: number; readonly base: number; readonly pos: number }) | (Round & { readonly k: 'delta'; readonly at: number });

export function driveDelta(r: DriveRequest, pathToken: string | undefined): Reply {
  const { ctx, drive, world } = r;
  const url = `${GRAPH_BASE}/drives/${drive.id}/root/delta`;
  const q = ctx.url.searchParams;
  const raw = pathToken ?? q.get('token') ?? undefined;
  let state: TokenState | undefined;
  if (raw === 'latest') {
    const token = world.data.tokens.seal('drive-delta', { d: drive.id, e: drive.epoch, k: 'delta', at: drive.seq } satisfies TokenState);
    return graphOk(ctx, 200, { '@odata.context': `${GRAPH_BASE}/$metadata#Collection(driveItem)`, value: [], '@odata.deltaLink': `${url}?token=${token}` });
  }
  if (raw !== undefined) {
    state = world.data.tokens.open<TokenState>('drive-delta', raw);
    if (!state || state.d !== drive.id) return graphError(ctx, 400, 'invalidRequest', 'Invalid delta token.');
    if (state.e !== drive.epoch) {
      const reply = graphError(
        ctx,
        410,
        'resyncRequired',
        "Resync required. Replace any local items with the server's version (including deletes) if you're sure that the service was up to date with your local changes when you last sync'd. Upload any local changes that the server doesn't know about.",
        { location: url },
      );
      const body = JSON.parse(String(reply.body)) as { error: Record<string, unknown> };
      body.error.innerError = { ...(body.error.innerError as Record<string, unknown>), code: 'resyncChangesApplyDifferences' };
      return { ...reply, body: JSON.stringify(body) };
    }
  }
  const carried: Round = { d: drive.id, e: drive.epoch, ...(state?.sel ?? q.get('$select') ? { sel: state?.sel ?? q.get('$select') ?? '' } : {}), ...(state?.top ?? q.get('$top') ? { top: Number(state?.top ?? q.get('$top')) } : {}) };
  const size = Math.max(1, Math.min(Number.isFinite(carried.top) && (carried.top ?? 0) > 0 ? Math.floor(carried.top ?? DEFAULT_PAGE) : DEFAULT_PAGE, MAX_PAGE));
  const wanted = carried.sel ? new Set(['id', 'deleted', ...carried.sel.split(',').map((s) => s.trim().toLowerCase())]) : undefined;
  const round = state?.k === 'next' ? state : { ...carried, k: 'next' as const, since: state?.k === 'delta' ? state.at : -1, base: drive.seq, pos: 0 };

  let items;
  let next: number | undefined;
  if (round.since < 0) {
    const page = drive.enumerate(round.pos, size, round.base);
    items = page.items;
    next = page.next;
  } else {
    const page = drive.changes(round.since, round.pos, round.base, size);
    items = page.items;
    next = page.more ? page.last : undefined;
  }
  const value = items.map((i) => itemJson(r.site, drive, i, { delta: true, ...(wanted ? { wanted } : {}), ...(i.kind === 'file' && !i.deleted ? { downloadUrl: downloadUrl(world, r.site, drive, i, ctx.now) } : {}) }));
  const link =
    next !== undefined
      ? { '@odata.nextLink': `${url}?token=${world.data.tokens.seal('drive-delta', { ...round, pos: next } satisfies TokenState)}` }
      : { '@odata.deltaLink': `${url}?token=${world.data.tokens.seal('drive-delta', { ...carried, k: 'delta', at: round.base } satisfies TokenState)}` };
  return graphOk(ctx, 200, { '@odata.context': `${GRAPH_BASE}/$metadata#Collection(driveItem)`, ...link, value });
}
