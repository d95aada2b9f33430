import { describe, expect, it } from 'vitest';
import type { ItemInput, SourceInfo } from '../../src/repository/index.js';
import { StorageError, openStorage } from '../../src/repository/index.js';
import { ALICE, eventLog, mime, newStorage, readContent } from './helpers/storage.js';

const SITE: SourceInfo = { key: 'site:hr', name: 'contoso.sharepoint.com/sites/hr', kind: 'site' };

function message(id: string, content: ItemInput['content'], day = 1, extra?: ItemInput['extra']): ItemInput {
  return { id, name: `Subject ${id}`, title: `Subject ${id}`, date: new Date(Date.UTC(2026, 0, day)).toISOString(), kind: 'message', content, ...(extra ? { extra } : {}) };
}

describe('snapshot tree and browse', () => {
  it('shows the folder tree as the user sees it, for mailboxes and sites', async () => {
    const { storage } = await newStorage();
    const session = await storage.beginWrite({ what: 'test' });
    const mail = await session.snapshot(ALICE);
    mail.setFolder({ id: 'inbox', parentId: null, name: 'Inbox' });
    mail.setFolder({ id: 'projects', parentId: 'inbox', name: 'Projects' });
    mail.setFolder({ id: 'y2026', parentId: 'projects', name: '2026' });
    mail.setFolder({ id: 'slash', parentId: null, name: 'Q1/Q2 plans' });
    mail.setFolder({ id: 'sent', parentId: null, name: 'Sent Items' });
    const a = (await session.putContent(mime(1))).ref;
    const b = (await session.putContent(mime(2))).ref;
    await mail.putItem('inbox', message('m1', a, 3));
    await mail.putItem('y2026', message('m2', b, 5));
    await mail.putItem('slash', message('m3', a, 4));
    const site = await session.snapshot(SITE);
    site.setFolder({ id: 'docs', parentId: null, name: 'Shared Documents' });
    site.setFolder({ id: 'docs-2026', parentId: 'docs', name: '2026' });
    await site.putItem('docs-2026', { id: 'f1', name: 'plan.docx', date: '2026-02-01T00:00:00.000Z', kind: 'file', content: b });
    await mail.commit();
    await site.commit();
    await session.close();

    const top = await storage.browse('');
    expect(top.entries.map((e) => [e.name, e.kind])).toEqual([
      ['alice@contoso.com', 'source'],
      ['contoso.sharepoint.com/sites/hr', 'source'],
    ]);
    const folders = await storage.browse('alice@contoso.com');
    expect(folders.entries.map((e) => [e.name, e.kind])).toEqual([
      ['Inbox', 'folder'],
      ['Q1/Q2 plans', 'folder'],
      ['Sent Items', 'folder'],
    ]);
    const inbox = await storage.browse('alice@contoso.com/Inbox');
    expect(inbox.entries).toEqual([
      { name: 'Projects', kind: 'folder', id: 'projects', size: b.size },
      { name: 'Subject m1', kind: 'item', id: 'm1', size: a.size, date: '2026-01-03T00:00:00.000Z', title: 'Subject m1' },
    ]);
    expect((await storage.browse('/alice@contoso.com/Inbox/Projects/2026/')).entries.map((e) => e.id)).toEqual(['m2']);
    expect((await storage.browse('alice@contoso.com/Q1/Q2 plans')).entries.map((e) => e.id)).toEqual(['m3']);
    const docs = await storage.browse('contoso.sharepoint.com/sites/hr/Shared Documents/2026');
    expect(docs).toEqual({ path: 'contoso.sharepoint.com/sites/hr/Shared Documents/2026', entries: [{ name: 'plan.docx', kind: 'item', id: 'f1', size: b.size, date: '2026-02-01T00:00:00.000Z' }] });
    await expect(storage.browse('alice@contoso.com/Nope')).rejects.toMatchObject({ code: 'not-found' });
    await expect(storage.browse('carol@contoso.com')).rejects.toBeInstanceOf(StorageError);
  });

  it('keeps the next cycle’s changes: rename, move without new content, deleted folders and items, versions', async () => {
    const { storage, dir, masterKey } = await newStorage();
    let session = await storage.beginWrite({ what: 'cycle 1' });
    let builder = await session.snapshot(ALICE);
    builder.setFolder({ id: 'inbox', parentId: null, name: 'Inbox' });
    builder.setFolder({ id: 'old', parentId: null, name: 'Old' });
    builder.setFolder({ id: 'old-sub', parentId: 'old', name: 'Sub' });
    const v1 = (await session.putContent(mime(10))).ref;
    await builder.putItem('inbox', message('m1', v1));
    await builder.putItem('inbox', message('m2', v1));
    await builder.putItem('old-sub', message('m3', v1));
    await builder.commit();
    await session.close();

    const reopened = await openStorage(dir, masterKey);
    const log = eventLog();
    session = await reopened.beginWrite({ what: 'cycle 2', onEvent: log.onEvent });
    builder = await session.snapshot(ALICE);
    builder.setFolder({ id: 'inbox', parentId: null, name: 'Inbox (renamed)' });
    builder.setFolder({ id: 'archive', parentId: 'inbox', name: 'Archive' });
    expect(await builder.moveItem('inbox', 'm2', 'archive', 'm2-new-id')).toBe(true);
    expect(log.count('chunk')).toBe(0);
    builder.removeFolder('old', new Date('2026-03-01T00:00:00Z'));
    const v2 = (await session.putContent(mime(11))).ref;
    expect(await builder.putItem('inbox', message('m1', v2))).toBe('updated');
    expect(await builder.putItem('inbox', message('m1', v2))).toBe('unchanged');
    expect(await builder.removeItem('inbox', 'missing', new Date())).toBe(false);
    await builder.commit();
    await session.close();

    const top = await reopened.browse('alice@contoso.com');
    expect(top.entries.map((e) => [e.name, e.deleted ?? false])).toEqual([
      ['Inbox (renamed)', false],
      ['Old', true],
    ]);
    expect((await reopened.browse('alice@contoso.com/Old/Sub')).entries).toMatchObject([{ id: 'm3', deleted: true }]);
    expect((await reopened.browse('alice@contoso.com/Inbox (renamed)/Archive')).entries.map((e) => e.id)).toEqual(['m2-new-id']);
    const reader = (await reopened.latest(ALICE.key))!;
    const m1 = (await reader.getItem('inbox', 'm1'))!;
    expect(m1.content).toEqual(v2);
    expect(m1.versions).toHaveLength(1);
    expect(await readContent(reopened, m1.versions![0]!.content)).toEqual(mime(10));
    expect(await reader.getItem('inbox', 'm2')).toBeUndefined();
  });

  it('lists a 10,000-item folder from ~20 pages; an unchanged cycle writes no page, one new item writes one', async () => {
    const { storage } = await newStorage();
    let log = eventLog();
    let session = await storage.beginWrite({ what: 'full', onEvent: log.onEvent });
    let builder = await session.snapshot(ALICE);
    builder.setFolder({ id: 'inbox', parentId: null, name: 'Inbox' });
    builder.setFolder({ id: 'other', parentId: null, name: 'Other' });
    const ref = (await session.putContent(mime(1))).ref;
    for (let i = 0; i < 10_000; i++) await builder.putItem('inbox', message(`m${i}`, ref, 1 + (i % 28)));
    builder.setCursor('inbox', 'delta-1');
    builder.setCursor(null, 'folders-delta-1');
    await builder.commit();
    await session.close();
    const pages = log.blobs() - 1;
    expect(pages).toBeGreaterThanOrEqual(5);
    expect(pages).toBeLessThanOrEqual(60);
    const listing = await storage.browse('alice@contoso.com/Inbox');
    expect(listing.entries).toHaveLength(10_000);
    expect(new Set(listing.entries.map((e) => e.id)).size).toBe(10_000);

    // Incremental cycle, nothing changed at the source: cursors move, no object is written.
    log = eventLog();
    session = await storage.beginWrite({ what: 'incremental', onEvent: log.onEvent });
    builder = await session.snapshot(ALICE);
    expect(builder.cursor('inbox')).toBe('delta-1');
    expect(builder.cursor(null)).toBe('folders-delta-1');
    builder.setCursor('inbox', 'delta-2');
    await builder.commit();
    expect(log.count('pack')).toBe(0);
    expect(log.count('snapshot')).toBe(1);

    // One new message in the big folder: its content and one or two pages.
    builder = await session.snapshot(ALICE);
    await builder.putItem('inbox', message('new', (await session.putContent(mime(2))).ref));
    await builder.commit();
    await session.close();
    expect(log.blobs()).toBeLessThanOrEqual(3);
    expect((await storage.latest(ALICE.key))!.cursor('inbox')).toBe('delta-2');
    expect((await storage.browse('alice@contoso.com/Inbox')).entries).toHaveLength(10_001);
  }, 120_000);

  it('keeps cursors and changes invisible until commit', async () => {
    const { storage } = await newStorage();
    const session = await storage.beginWrite({ what: 'test' });
    const builder = await session.snapshot(ALICE);
    builder.setFolder({ id: 'inbox', parentId: null, name: 'Inbox' });
    builder.setCursor('inbox', 'delta-never-committed');
    await builder.putItem('inbox', message('m1', (await session.putContent(mime(1))).ref));
    await session.close();
    expect(await storage.latest(ALICE.key)).toBeUndefined();
    expect((await storage.browse('')).entries).toEqual([]);
  });

  it('resyncs a folder without duplicates and marks what the source no longer has', async () => {
    const { storage } = await newStorage();
    let session = await storage.beginWrite({ what: 'cycle 1' });
    let builder = await session.snapshot(ALICE);
    builder.setFolder({ id: 'inbox', parentId: null, name: 'Inbox' });
    const refs = await Promise.all([1, 2, 3].map(async (i) => (await session.putContent(mime(i))).ref));
    for (const [i, ref] of refs.entries()) await builder.putItem('inbox', message(`m${i}`, ref));
    await builder.commit();
    await session.close();

    session = await storage.beginWrite({ what: 'resync' });
    builder = await session.snapshot(ALICE);
    builder.beginResync('inbox');
    for (const i of [0, 2]) await builder.putItem('inbox', message(`m${i}`, (await session.putContent(mime(i + 1))).ref));
    expect(await builder.endResync('inbox', new Date('2026-02-01T00:00:00Z'))).toBe(1);
    await builder.commit();
    expect(session.stats.contentsNew).toBe(0);
    await session.close();
    const entries = (await storage.browse('alice@contoso.com/Inbox')).entries;
    expect(entries.map((e) => [e.id, e.deleted ?? false]).sort()).toEqual([
      ['m0', false],
      ['m1', true],
      ['m2', false],
    ]);
  });

  it('refuses a second builder of one source in a session, and a folder it does not know', async () => {
    const { storage } = await newStorage();
    const session = await storage.beginWrite({ what: 'test' });
    const builder = await session.snapshot(ALICE);
    await expect(session.snapshot(ALICE)).rejects.toMatchObject({ code: 'bad-input' });
    await expect(builder.putItem('nowhere', message('m', (await session.putContent(mime(1))).ref))).rejects.toMatchObject({ code: 'not-found' });
    await session.close();
  });
});
