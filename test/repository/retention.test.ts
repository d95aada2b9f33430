import { describe, expect, it } from 'vitest';
import { ALICE, at, mime, newStorage, readContent } from './helpers/storage.js';

describe('retention and prune', () => {
  it('keeps a deleted item restorable within retention, frees it after prune past it', async () => {
    let now = at(0);
    const { storage } = await newStorage({ retentionDays: 30, tuning: { now: () => now } });
    let session = await storage.beginWrite({ what: 'cycle 1' });
    let builder = await session.snapshot(ALICE);
    builder.setFolder({ id: 'inbox', parentId: null, name: 'Inbox' });
    builder.setFolder({ id: 'old', parentId: null, name: 'Old' });
    const kept = (await session.putContent(mime(1, 'Kept'))).ref;
    const doomed = (await session.putContent(mime(2, 'Doomed', 400_000))).ref;
    const inOld = (await session.putContent(mime(3, 'In a removed folder'))).ref;
    const v1 = (await session.putContent(mime(4, 'Version 1'))).ref;
    await builder.putItem('inbox', { id: 'keep', name: 'Kept', date: at(0).toISOString(), kind: 'message', content: kept });
    await builder.putItem('inbox', { id: 'gone', name: 'Doomed', date: at(0).toISOString(), kind: 'message', content: doomed });
    await builder.putItem('inbox', { id: 'edited', name: 'Edited', date: at(0).toISOString(), kind: 'message', content: v1 });
    await builder.putItem('old', { id: 'o1', name: 'Old one', date: at(0).toISOString(), kind: 'message', content: inOld });
    await builder.commit();
    await session.close();

    now = at(10);
    session = await storage.beginWrite({ what: 'cycle 2' });
    builder = await session.snapshot(ALICE);
    await builder.removeItem('inbox', 'gone', at(10));
    builder.removeFolder('old', at(10));
    await builder.putItem('inbox', { id: 'edited', name: 'Edited', date: at(10).toISOString(), kind: 'message', content: (await session.putContent(mime(5, 'Version 2'))).ref });
    await builder.commit();
    await session.close();

    // Within retention: prune keeps them, and they can be read back.
    const early = await storage.prune(at(39));
    expect(early.itemsExpired).toBe(0);
    expect(early.snapshotsRemoved).toBe(1);
    let inbox = await storage.browse('alice@contoso.com/Inbox');
    expect(inbox.entries.find((e) => e.id === 'gone')).toMatchObject({ deleted: true });
    expect(await readContent(storage, doomed)).toEqual(mime(2, 'Doomed', 400_000));
    expect(await readContent(storage, inOld)).toEqual(mime(3, 'In a removed folder'));
    expect(await readContent(storage, v1)).toEqual(mime(4, 'Version 1'));
    const before = await storage.stats();

    // Past retention: gone from the tree, their data freed, the rest intact.
    const late = await storage.prune(at(41));
    expect(late.itemsExpired).toBe(3);
    expect(late.bytesFreed).toBeGreaterThan(0);
    inbox = await storage.browse('alice@contoso.com/Inbox');
    expect(inbox.entries.map((e) => e.id).sort()).toEqual(['edited', 'keep']);
    expect((await storage.browse('alice@contoso.com')).entries.map((e) => e.name)).toEqual(['Inbox']);
    const edited = await (await storage.latest(ALICE.key))!.getItem('inbox', 'edited');
    expect(edited?.versions).toBeUndefined();
    await expect(readContent(storage, doomed)).rejects.toMatchObject({ code: 'damaged' });
    await expect(readContent(storage, inOld)).rejects.toMatchObject({ code: 'damaged' });
    expect(await readContent(storage, kept)).toEqual(mime(1, 'Kept'));
    const after = await storage.stats();
    expect(after.items).toBe(2);
    expect(after.bytesStored).toBeLessThan(before.bytesStored / 2);
    expect((await storage.check()).sound).toBe(true);

    // The next cycle builds on what prune left.
    now = at(42);
    session = await storage.beginWrite({ what: 'cycle 3' });
    builder = await session.snapshot(ALICE);
    expect(builder.folders().map((f) => f.name)).toEqual(['Inbox']);
    await builder.putItem('inbox', { id: 'new', name: 'New', date: at(42).toISOString(), kind: 'message', content: (await session.putContent(mime(6))).ref });
    await builder.commit();
    await session.close();
    expect((await storage.browse('alice@contoso.com/Inbox')).entries).toHaveLength(3);
  });
});
