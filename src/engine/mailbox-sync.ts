import { classifyFailure, failsCycle } from '../m365/data/classify.js';
import { forEachBounded } from '../m365/data/limiter.js';
import type { ItemEntry, SnapshotBuilder, SourceInfo, WriteSession } from '../repository/api.js';
import type { EngineContext, SourceOutcome } from './context.js';
import { serverText } from '../m365/errors.js';

/**
 * One mailbox's cycle, for Graph (exchange-online) and EWS (exchange-onprem) alike: the folder tree
 * from its delta, then each folder's message changes from its own cursor (delta link or sync state),
 * then content for what is new or changed. A move (removed here, added there with the same id or
 * Internet message id) moves the entry without fetching or storing the content again. A folder's
 * cursor is set in the builder only when all its changes are in; the builder's commit makes items
 * and cursors durable together, so a crash never advances a cursor past missing items. An expired
 * cursor resyncs the folder: everything listed is put again (no duplicates: items are keyed by
 * id), and what was not listed is marked deleted.
 */

export interface FolderChange {
  readonly id: string;
  readonly parentId?: string;
  readonly name?: string;
  readonly removed?: boolean;
}

export interface MessageMeta {
  readonly id: string;
  readonly removed?: boolean;
  readonly changeKey?: string;
  readonly subject?: string;
  readonly received?: string;
  readonly sent?: string;
  readonly isRead?: boolean;
  readonly internetMessageId?: string;
}

export interface MailboxReader {
  /** Folder changes since `cursor` (every folder without); `full` when it enumerated everything. */
  folders(cursor: string | undefined): Promise<{ changes: FolderChange[]; cursor: string }>;
  /** A folder's message changes since `cursor`, page by page; the last page carries the new cursor. */
  messages(folderId: string, cursor: string | undefined): AsyncIterable<{ items: readonly MessageMeta[]; cursor?: string }>;
  /** The message's MIME, streamed. */
  mime(messageId: string): Promise<AsyncIterable<Uint8Array>>;
  /** Folders not to back up (e.g. search folders), by id. */
  readonly skipFolder?: (folder: FolderChange) => boolean;
}

interface PendingAdd {
  readonly folderId: string;
  readonly meta: MessageMeta;
}

/** Attempts per item for resets and timeouts mid-download (the client already retried each request). */
const ITEM_ATTEMPTS = 3;

export async function syncMailbox(
  source: SourceInfo,
  reader: MailboxReader,
  builder: SnapshotBuilder,
  session: WriteSession,
  ctx: EngineContext,
  outcome: SourceOutcome,
): Promise<void> {
  const now = ctx.now();
  // 1. The folder tree.
  let tree: { changes: FolderChange[]; cursor: string };
  const folderCursor = builder.cursor(null);
  let fullTree = folderCursor === undefined;
  try {
    tree = await reader.folders(folderCursor);
  } catch (error) {
    if (classifyFailure(error) !== 'invalid-delta') throw error;
    tree = await reader.folders(undefined);
    fullTree = true;
  }
  const listed = new Set<string>();
  const known = new Set(builder.folders().filter((f) => f.deletedAt === undefined).map((f) => f.id));
  const live = tree.changes.filter((c) => !c.removed && !(reader.skipFolder?.(c) ?? false));
  for (const c of live) known.add(c.id);
  for (const c of tree.changes) {
    if (c.removed) {
      if (builder.folder(c.id)) builder.removeFolder(c.id, now);
      known.delete(c.id);
      continue;
    }
    if (reader.skipFolder?.(c)) continue;
    listed.add(c.id);
    const parentId = c.parentId !== undefined && known.has(c.parentId) ? c.parentId : null;
    const existing = builder.folder(c.id);
    builder.setFolder({ id: c.id, parentId: c.parentId !== undefined ? parentId : (existing?.parentId ?? null), name: c.name ?? existing?.name ?? c.id });
  }
  if (fullTree) {
    for (const f of builder.folders()) if (f.deletedAt === undefined && !listed.has(f.id)) builder.removeFolder(f.id, now);
  }

  // 2. Each folder's changes: collect adds and removals; a folder is complete when all of its are in.
  const folders = builder.folders().filter((f) => f.deletedAt === undefined);
  const removals = new Map<string, string>(); // message id → folder id
  const adds: PendingAdd[] = [];
  const newCursors = new Map<string, string>();
  const incomplete = new Set<string>();
  const resyncing = new Set<string>();
  // Folders are read a few at a time (the mailbox's concurrency limit): an unchanged mailbox costs
  // one round trip per folder, overlapped.
  await forEachBounded(folders, ctx.itemConcurrency, async (folder) => {
    if (ctx.stopRequested()) {
      incomplete.add(folder.id);
      return;
    }
    const cursor = builder.cursor(folder.id);
    try {
      await collect(folder.id, cursor);
    } catch (error) {
      const kind = classifyFailure(error);
      if (kind === 'invalid-delta') {
        // Expired delta token or sync state: enumerate the folder again from scratch.
        removalsFrom(folder.id);
        addsFrom(folder.id);
        builder.beginResync(folder.id);
        resyncing.add(folder.id);
        try {
          await collect(folder.id, undefined);
        } catch (again) {
          if (failsCycle(classifyFailure(again))) throw again;
          incomplete.add(folder.id);
          note(undefined, again);
        }
      } else if (kind === 'not-found' || kind === 'no-mailbox') {
        // The folder went away since the tree was read: the next cycle's tree says so.
        incomplete.add(folder.id);
      } else if (failsCycle(kind)) {
        throw error;
      } else {
        incomplete.add(folder.id);
        note(undefined, error);
      }
    }
  });

  async function collect(folderId: string, cursor: string | undefined): Promise<void> {
    for await (const page of reader.messages(folderId, cursor)) {
      for (const meta of page.items) {
        if (meta.removed) removals.set(meta.id, folderId);
        else adds.push({ folderId, meta });
      }
      if (page.cursor !== undefined) newCursors.set(folderId, page.cursor);
    }
  }
  function removalsFrom(folderId: string): void {
    for (const [id, f] of removals) if (f === folderId) removals.delete(id);
  }
  function addsFrom(folderId: string): void {
    for (let i = adds.length - 1; i >= 0; i--) if (adds[i]?.folderId === folderId) adds.splice(i, 1);
  }
  function note(item: string | undefined, error: unknown): void {
    const message = serverText(error instanceof Error ? error.message : String(error), 200);
    outcome.errors.push({ source: source.name, ...(item ? { item } : {}), message });
    ctx.emit({ type: 'error', source: source.name, ...(item ? { item } : {}), message });
  }

  // 3. Moves: a removal here and an add there of the same id (or Internet message id).
  const removedByMessageId = new Map<string, { id: string; folderId: string }>();
  for (const [id, folderId] of removals) {
    const entry = await builder.getItem(folderId, id);
    const imid = entry?.extra?.internetMessageId;
    if (typeof imid === 'string' && imid) removedByMessageId.set(imid, { id, folderId });
  }
  const toFetch: Array<PendingAdd & { previous?: ItemEntry }> = [];
  for (const add of adds) {
    outcome.scanned++;
    ctx.emit({ type: 'item', source: source.name, bytes: 0, action: 'scanned' });
    const here = await builder.getItem(add.folderId, add.meta.id);
    if (here && here.deletedAt === undefined && add.meta.changeKey !== undefined && here.extra?.changeKey === add.meta.changeKey) {
      // Listed again (a resync, a replay) and unchanged: keep it, no download.
      if (resyncing.has(add.folderId)) await builder.putItem(add.folderId, here);
      continue;
    }
    const movedFrom = removals.get(add.meta.id) ?? undefined;
    const byImid = add.meta.internetMessageId ? removedByMessageId.get(add.meta.internetMessageId) : undefined;
    const from = movedFrom !== undefined ? { id: add.meta.id, folderId: movedFrom } : byImid;
    if (from && from.folderId !== add.folderId) {
      const previous = await builder.getItem(from.folderId, from.id);
      if (previous && (await builder.moveItem(from.folderId, from.id, add.folderId, from.id === add.meta.id ? undefined : add.meta.id))) {
        removals.delete(from.id);
        if (byImid) removedByMessageId.delete(add.meta.internetMessageId ?? '');
        if (add.meta.changeKey === undefined || previous.extra?.changeKey !== add.meta.changeKey) {
          // Moved and changed (flags): keep the content, refresh the facts.
          await builder.putItem(add.folderId, { ...previous, id: add.meta.id, ...itemFacts(add.meta, previous) });
        }
        continue;
      }
    }
    toFetch.push({ ...add, ...(here ? { previous: here } : {}) });
  }

  // 4. Content for what is new or changed, a few at a time per mailbox; stops at an item boundary.
  await forEachBounded(
    toFetch,
    ctx.itemConcurrency,
    async (add) => {
      for (let attempt = 1; ; attempt++) {
        try {
          const body = await reader.mime(add.meta.id);
          const put = await session.putContent(body);
          const facts = itemFacts(add.meta, add.previous);
          await builder.putItem(add.folderId, { ...facts, id: add.meta.id, kind: 'message', content: put.ref });
          outcome.backedUp++;
          outcome.bytes += put.ref.size;
          ctx.emit({ type: 'item', source: source.name, bytes: put.ref.size, action: 'backed-up' });
          return;
        } catch (error) {
          const kind = classifyFailure(error);
          if (kind === 'not-found') return; // deleted since it was listed: the next delta removes it
          if (failsCycle(kind)) throw error;
          if (kind === 'transient' && attempt < ITEM_ATTEMPTS) continue;
          incomplete.add(add.folderId);
          note(add.meta.id, error);
          return;
        }
      }
    },
    () => ctx.stopRequested(),
  );
  const stopped = ctx.stopRequested();

  // 5. Removals left (not moves): marked deleted, restorable within retention.
  for (const [id, folderId] of removals) {
    if (await builder.removeItem(folderId, id, now)) {
      outcome.removed++;
      ctx.emit({ type: 'item', source: source.name, bytes: 0, action: 'removed' });
    }
  }
  for (const folderId of resyncing) {
    if (incomplete.has(folderId) || stopped) continue;
    const marked = await builder.endResync(folderId, now);
    outcome.removed += marked;
  }

  // 6. Cursors: only for folders whose every change is in (a stopped cycle keeps the old ones).
  for (const [folderId, cursor] of newCursors) {
    if (!incomplete.has(folderId) && !stopped) builder.setCursor(folderId, cursor);
  }
  if (!stopped) builder.setCursor(null, tree.cursor);
}

function itemFacts(meta: MessageMeta, previous: ItemEntry | undefined): { name: string; title?: string; date: string; extra: Record<string, string | number | boolean | null> } {
  const subject = meta.subject ?? previous?.title ?? '';
  const received = meta.received ?? previous?.date ?? new Date(0).toISOString();
  const extra: Record<string, string | number | boolean | null> = { ...(previous?.extra ?? {}) };
  if (meta.changeKey !== undefined) extra.changeKey = meta.changeKey;
  if (meta.isRead !== undefined) extra.isRead = meta.isRead;
  if (meta.sent !== undefined) extra.sent = meta.sent;
  if (meta.internetMessageId !== undefined) extra.internetMessageId = meta.internetMessageId;
  return { name: subject || '(no subject)', ...(subject ? { title: subject } : {}), date: received, extra };
}
