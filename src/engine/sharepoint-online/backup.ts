import type { DataClient } from '../../m365/data/client.js';
import { classifyFailure, failsCycle } from '../../m365/data/classify.js';
import type { DriveItem, Site } from '../../m365/data/drives.js';
import { DrivesApi } from '../../m365/data/drives.js';
import { forEachBounded } from '../../m365/data/limiter.js';
import { serverText } from '../../m365/errors.js';
import type { SnapshotBuilder, SnapshotReader, SourceInfo, WriteSession } from '../../repository/api.js';
import type { EngineContext, ServiceBackup, SourceOutcome } from '../context.js';

/**
 * SharePoint Online through Graph: a site's document libraries, each a top-level folder of the
 * site's snapshot, read by root/delta from the library's own delta link (kept on its folder).
 * A file moved between folders moves its entry; content is fetched only when the file changed.
 */

export const driveFolderId = (driveId: string): string => `drive:${driveId}`;

/** `host/sites/name` from a site's web URL (what users type in browse paths). */
export function siteName(site: Site): string {
  if (site.webUrl) {
    const url = new URL(site.webUrl);
    return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
  }
  return site.name ?? site.id;
}

export function siteSource(site: Site, tenantId: string | undefined): SourceInfo {
  return { key: `site:${site.id}`, name: siteName(site), kind: 'site', extra: { service: 'sharepoint-online', siteId: site.id, ...(tenantId ? { tenantId } : {}) } };
}

export class SharePointOnlineBackup implements ServiceBackup {
  readonly #api: DrivesApi;

  constructor(
    client: DataClient,
    private readonly tenantId: string | undefined,
    /** Graph's base URL in the connection's cloud. */
    graphBase?: string,
  ) {
    this.#api = graphBase ? new DrivesApi(client, graphBase) : new DrivesApi(client);
  }

  get api(): DrivesApi {
    return this.#api;
  }

  async sources(selection: 'all' | readonly string[]): Promise<SourceInfo[]> {
    const out: SourceInfo[] = [];
    if (selection === 'all') {
      for await (const site of this.#api.sites()) out.push(siteSource(site, this.tenantId));
      return out;
    }
    for (const name of selection) {
      // host/sites/name (or a URL): the host, then the server-relative path.
      const text = name.replace(/^https?:\/\//, '');
      const slash = text.indexOf('/');
      const host = slash < 0 ? text : text.slice(0, slash);
      const path = slash < 0 ? '/' : text.slice(slash);
      out.push(siteSource(await this.#api.siteByPath(host, path), this.tenantId));
    }
    return out;
  }

  async backup(source: SourceInfo, builder: SnapshotBuilder, session: WriteSession, ctx: EngineContext, outcome: SourceOutcome, previous: () => Promise<SnapshotReader | undefined>): Promise<void> {
    const siteId = String(source.extra?.siteId ?? '');
    const drives = await this.#api.drives(siteId);
    const now = ctx.now();
    const liveDrives = new Set<string>();
    for (const drive of drives) {
      const id = driveFolderId(drive.id);
      liveDrives.add(id);
      const extra = builder.folder(id)?.extra;
      builder.setFolder({ id, parentId: null, name: drive.name ?? drive.id, ...(extra ? { extra } : {}) });
    }
    for (const f of builder.folders()) if (f.parentId === null && f.deletedAt === undefined && !liveDrives.has(f.id)) builder.removeFolder(f.id, now);

    // Where each file was at the last snapshot (for moves), built only when needed.
    let index: Map<string, string> | undefined;
    const folderOfItem = async (itemId: string): Promise<string | undefined> => {
      if (!index) {
        index = new Map();
        const reader = await previous();
        if (reader) for (const f of reader.folders()) for await (const item of reader.items(f.id)) index.set(item.id, f.id);
      }
      return index.get(itemId);
    };

    for (const drive of drives) {
      if (ctx.stopRequested()) return;
      const top = driveFolderId(drive.id);
      const note = (item: string | undefined, error: unknown) => {
        const message = serverText(error instanceof Error ? error.message : String(error), 200);
        outcome.errors.push({ source: source.name, ...(item ? { item } : {}), message });
        ctx.emit({ type: 'error', source: source.name, ...(item ? { item } : {}), message });
      };
      let changes: DriveItem[] = [];
      let link: string | undefined;
      let resync: boolean;
      const read = async (from: string | undefined) => {
        changes = [];
        for await (const page of this.#api.delta(drive.id, from)) {
          changes.push(...page.items);
          if (page.deltaLink) link = page.deltaLink;
        }
      };
      const cursor = builder.cursor(top);
      // Without a cursor (first cycle, or an expired one) the delta lists everything: a resync.
      resync = cursor === undefined;
      try {
        await read(cursor);
      } catch (error) {
        if (classifyFailure(error) !== 'invalid-delta') throw error;
        resync = true;
        await read(undefined);
      }
      const begun: string[] = [];
      if (resync) {
        for (const f of builder.folders()) {
          if (f.deletedAt !== undefined || !isUnder(builder, f.id, top)) continue;
          builder.beginResync(f.id);
          begun.push(f.id);
        }
      }

      // The library's root item is the library's folder; its id is kept on that folder (an
      // incremental delta does not always list the root).
      const known = builder.folder(top)?.extra?.rootId;
      let rootId: string | undefined = typeof known === 'string' ? known : undefined;
      for (const item of changes) if (item.root) rootId = item.id;
      if (rootId !== undefined && rootId !== known) builder.setFolder({ id: top, parentId: null, name: drive.name ?? drive.id, extra: { rootId } });
      const parentOf = (item: DriveItem): string => {
        const parent = item.parentReference?.id;
        return parent === undefined || parent === rootId || !builder.folder(parent) ? top : parent;
      };
      // Folders first (a page may list a child before its parent).
      const listedFolders = new Set<string>();
      let pending = changes.filter((item) => item.folder && !item.root);
      for (const item of pending) if (item.deleted && builder.folder(item.id)) builder.removeFolder(item.id, now);
      pending = pending.filter((item) => !item.deleted);
      const listedIds = new Set(pending.map((item) => item.id));
      // Parents before children (a page may list a child first).
      while (pending.length) {
        const ready = pending.filter((item) => {
          const parent = item.parentReference?.id;
          return parent === undefined || parent === rootId || !listedIds.has(parent) || listedFolders.has(parent);
        });
        for (const item of ready.length ? ready : pending) {
          listedFolders.add(item.id);
          builder.setFolder({ id: item.id, parentId: parentOf(item), name: item.name ?? item.id });
        }
        const done = new Set((ready.length ? ready : pending).map((i) => i.id));
        pending = pending.filter((item) => !done.has(item.id));
      }
      let complete = true;
      const files = changes.filter((i) => !i.folder && !i.root);
      const toFetch: Array<{ item: DriveItem; folderId: string }> = [];
      for (const item of files) {
        const folderId = parentOf(item);
        if (item.deleted) {
          const where = (await builder.getItem(folderId, item.id)) ? folderId : await folderOfItem(item.id);
          if (where && (await builder.removeItem(where, item.id, now))) {
            outcome.removed++;
            ctx.emit({ type: 'item', source: source.name, bytes: 0, action: 'removed' });
          }
          continue;
        }
        outcome.scanned++;
        ctx.emit({ type: 'item', source: source.name, bytes: 0, action: 'scanned' });
        const here = await builder.getItem(folderId, item.id);
        // The same content: the quickXorHash (and size) SharePoint computes, else the content tag.
        const hash = item.file?.hashes?.quickXorHash;
        const same = (e: { extra?: Readonly<Record<string, unknown>>; size?: number } | undefined) =>
          e !== undefined && (hash !== undefined ? e.extra?.quickXorHash === hash && e.size === item.size : item.cTag !== undefined && e.extra?.cTag === item.cTag);
        if (here && same(here) && here.deletedAt === undefined) {
          if (here.name !== item.name) await builder.putItem(folderId, { ...here, name: item.name ?? here.name });
          else if (resync) await builder.putItem(folderId, here);
          continue;
        }
        if (!here) {
          const from = await folderOfItem(item.id);
          if (from && from !== folderId) {
            const old = await builder.getItem(from, item.id);
            if (old && (await builder.moveItem(from, item.id, folderId))) {
              if (same(old)) {
                if (old.name !== item.name) await builder.putItem(folderId, { ...old, name: item.name ?? old.name });
                continue;
              }
            }
          }
        }
        toFetch.push({ item, folderId });
      }
      await forEachBounded(
        toFetch,
        ctx.itemConcurrency,
        async ({ item, folderId }) => {
          for (let attempt = 1; ; attempt++) {
            try {
              const response = await this.#api.content(drive.id, item.id);
              const put = await session.putContent(response.body);
              await builder.putItem(folderId, {
                id: item.id,
                name: item.name ?? item.id,
                date: item.lastModifiedDateTime ?? now.toISOString(),
                kind: 'file',
                content: put.ref,
                extra: {
                  ...(item.cTag ? { cTag: item.cTag } : {}),
                  ...(item.eTag ? { eTag: item.eTag } : {}),
                  ...(item.file?.hashes?.quickXorHash ? { quickXorHash: item.file.hashes.quickXorHash } : {}),
                  ...(item.createdDateTime ? { created: item.createdDateTime } : {}),
                },
              });
              outcome.backedUp++;
              outcome.bytes += put.ref.size;
              ctx.emit({ type: 'item', source: source.name, bytes: put.ref.size, action: 'backed-up' });
              return;
            } catch (error) {
              const kind = classifyFailure(error);
              if (kind === 'not-found') return;
              if (failsCycle(kind)) throw error;
              if (kind === 'transient' && attempt < 3) continue;
              complete = false;
              note(item.id, error);
              return;
            }
          }
        },
        () => ctx.stopRequested(),
      );
      if (ctx.stopRequested() || !complete) continue;
      if (resync) {
        for (const f of builder.folders()) {
          if (f.deletedAt !== undefined || f.parentId === null) continue;
          if (!listedFolders.has(f.id) && isUnder(builder, f.id, top)) builder.removeFolder(f.id, now);
        }
        for (const id of begun) if (builder.folder(id)?.deletedAt === undefined) outcome.removed += await builder.endResync(id, now);
      }
      if (link) builder.setCursor(top, link);
    }
  }
}

function isUnder(builder: SnapshotBuilder, folderId: string, top: string): boolean {
  const seen = new Set<string>();
  for (let f = builder.folder(folderId); f && !seen.has(f.id); f = f.parentId ? builder.folder(f.parentId) : undefined) {
    if (f.id === top) return true;
    seen.add(f.id);
  }
  return false;
}
