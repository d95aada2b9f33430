import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openStorage } from '../../src/repository/index.js';
import { ALICE, BOB, eventLog, mime, newStorage, noise, readContent, sha256 } from './helpers/storage.js';

describe('deduplication', () => {
  it('stores the same content once across folders, sources and cycles', async () => {
    const { storage, masterKey, dir } = await newStorage();
    const message = mime(1, 'Budget 2026');
    const log = eventLog();
    const session = await storage.beginWrite({ what: 'test', onEvent: log.onEvent });
    const first = await session.putContent(message);
    expect(first.isNew).toBe(true);
    expect(first.bytesStored).toBeGreaterThan(0);
    // The same message in another folder of the same mailbox, and in another mailbox.
    const again = await session.putContent(Buffer.from(message));
    const other = await session.putContent(message);
    expect([again.isNew, again.bytesStored, other.isNew, other.bytesStored]).toEqual([false, 0, false, 0]);
    expect(again.ref).toEqual(first.ref);
    for (const [source, folder] of [[ALICE, 'Inbox'], [BOB, 'Archive']] as const) {
      const builder = await session.snapshot(source);
      builder.setFolder({ id: folder, parentId: null, name: folder });
      builder.setFolder({ id: 'Other', parentId: null, name: 'Other' });
      await builder.putItem(folder, { id: 'm1', name: 'Budget 2026', date: '2026-01-01T00:00:00.000Z', kind: 'message', content: first.ref });
      await builder.putItem('Other', { id: 'm2', name: 'Budget 2026', date: '2026-01-01T00:00:00.000Z', kind: 'message', content: again.ref });
      await builder.commit();
    }
    await session.close();
    const storedAfterFirstCycle = (await storage.stats()).bytesStored;

    // A later cycle, in another process's view of the storage.
    const reopened = await openStorage(dir, masterKey);
    const next = await reopened.beginWrite({ what: 'test 2' });
    const later = await next.putContent(message);
    expect([later.isNew, later.bytesStored]).toEqual([false, 0]);
    await next.close();
    const stats = await reopened.stats();
    expect(stats.bytesStored).toBe(storedAfterFirstCycle);
    expect(stats.items).toBe(4);
    expect(stats.bytesOriginal).toBe(4 * message.length);
    // One data object for the message, and two pages (the same page in both mailboxes is stored once too).
    expect(log.blobs()).toBe(1 + 2);
    expect(await readContent(reopened, later.ref)).toEqual(message);
  });

  it('stores identical content put concurrently once', async () => {
    const { storage } = await newStorage();
    const session = await storage.beginWrite({ what: 'test' });
    const content = mime(7);
    const results = await Promise.all(Array.from({ length: 8 }, () => session.putContent(content)));
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    expect(new Set(results.map((r) => r.ref.id)).size).toBe(1);
    await session.close();
  });

  it('deduplicates a large file edited in the middle chunk by chunk (content-defined boundaries)', async () => {
    const { storage } = await newStorage();
    const session = await storage.beginWrite({ what: 'test' });
    const original = noise(42, 24 << 20);
    const edited = Buffer.concat([original.subarray(0, 9 << 20), Buffer.from('an inserted paragraph'), original.subarray(9 << 20)]);
    const first = await session.putContent(original);
    const second = await session.putContent(edited);
    expect(second.isNew).toBe(true);
    // Chunks average 1 MiB (at most 4): the insertion costs a chunk or two, not the 24 MiB after it.
    expect(second.bytesStored).toBeLessThan(first.bytesStored / 4);
    expect(sha256(await readContent(storage, second.ref))).toBe(sha256(edited));
    await session.close();
  });

  it('compresses before sealing: MIME-like mail takes well under its size', async () => {
    const { storage } = await newStorage();
    const session = await storage.beginWrite({ what: 'test' });
    let original = 0;
    let stored = 0;
    for (let i = 0; i < 50; i++) {
      const r = await session.putContent(mime(i));
      original += r.ref.size;
      stored += r.bytesStored;
    }
    expect(stored / original).toBeLessThan(0.75);
    await session.close();
  });
});

describe('large content', () => {
  it('streams a 320 MB content through bounded buffers and reads it back identical', async () => {
    const { storage } = await newStorage();
    const PIECE = 1 << 20;
    const TOTAL = 320;
    let produced = 0;
    let taken = 0;
    let worstAhead = 0;
    const session = await storage.beginWrite({
      what: 'test',
      onEvent: (e) => {
        if (e.type === 'chunk') taken += e.bytes;
      },
    });
    const written = createHash('sha256');
    async function* source() {
      for (let i = 0; i < TOTAL; i++) {
        // What the storage has taken in but not yet sealed into a pack: bounded by design.
        worstAhead = Math.max(worstAhead, produced - taken);
        const piece = noise(i + 1, PIECE);
        written.update(piece);
        produced += piece.length;
        yield piece;
      }
    }
    const result = await session.putContent(source());
    await session.close();
    expect(result.ref.size).toBe(TOTAL * PIECE);
    expect(taken).toBe(TOTAL * PIECE);
    // One chunker buffer (4 MiB max chunk) + the chunks cut from one piece + two chunks being sealed.
    expect(worstAhead).toBeLessThanOrEqual(4 * (4 << 20));
    const read = createHash('sha256');
    let size = 0;
    for await (const part of storage.readContent(result.ref)) {
      read.update(part as Buffer);
      size += (part as Buffer).length;
      expect((part as Buffer).length).toBeLessThanOrEqual(4 << 20);
    }
    expect(size).toBe(TOTAL * PIECE);
    expect(read.digest('hex')).toBe(written.digest('hex'));
  }, 180_000);
});
