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
  ) {
    this.#api = new DrivesApi(client);
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
      builder.setFolder({ id, parentId: null, name: drive.name ?? drive.id });
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
      let resync = false;
      const read = async (from: string | undefined) => {
        changes = [];
        for await (const page of this.#api.delta(drive.id, from)) {
          changes.push(...page.items);
          if (page.deltaLink) link = page.deltaLink;
        }
      };
      try {
        await read(builder.cursor(top));
      } catch (error) {
        if (classifyFailure(error) !== 'invalid-delta') throw error;
        resync = true;
        await read(undefined);
      }
      if (builder.cursor(top) === undefined) resync = resync || builder.folders().some((f) => f.id !== top);
      if (resync) for (const f of builder.folders()) if (f.deletedAt === undefined && isUnder(builder, f.id, top)) builder.beginResync(f.id);

      let rootId: string | undefined;
      const parentOf = (item: DriveItem): string => (item.parentReference?.id === undefined || item.parentReference.id === rootId ? top : item.parentReference.id);
      // Folders first (a page may list a child before its parent).
      for (const item of changes) if (item.root) rootId = item.id;
      const listedFolders = new Set<string>();
      for (const item of changes) {
        if (!item.folder || item.root) continue;
        if (item.deleted) {
          if (builder.folder(item.id)) builder.removeFolder(item.id, now);
          continue;
        }
        listedFolders.add(item.id);
        builder.setFolder({ id: item.id, parentId: parentOf(item), name: item.name ?? item.id });
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
        const same = (e: { extra?: Readonly<Record<string, unknown>> } | undefined) => e !== undefined && item.cTag !== undefined && e.extra?.cTag === item.cTag;
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
                extra: { ...(item.cTag ? { cTag: item.cTag } : {}), ...(item.eTag ? { eTag: item.eTag } : {}), ...(item.createdDateTime ? { created: item.createdDateTime } : {}) },
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
        for (const f of builder.folders()) if (f.deletedAt === undefined && isUnder(builder, f.id, top)) outcome.removed += await builder.endResync(f.id, now);
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
