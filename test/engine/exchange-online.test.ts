import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseStorage, exportFromStorage, pruneStorage, runCycle } from '../../src/services/index.js';
import { filesIn } from '../helpers/cli.js';
import { engineWorld, type EngineWorld } from './world.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('Exchange Online backup through Graph, against the sandbox', () => {
  let world: EngineWorld;
  let jobId: string;
  let mailboxes: string[];

  beforeAll(async () => {
    world = await engineWorld({ mailboxes: 2, messages: 14, largeMessages: 1, largeMessageBytes: 600_000, files: 0, largeFiles: 0 });
    await world.addConnection({ id: 'c-exo', service: 'exchange' });
    jobId = await world.addJob('Mail', 'c-exo', 'all');
  }, 60_000);
  afterAll(() => world?.close());

  it('backs up every mailbox; export gives .eml files byte-identical to the MIME the tenant serves', async () => {
    const since = world.sandbox.requests.length;
    const { record } = await runCycle(world.ctx, jobId);
    expect(record.errors).toEqual([]);
    expect(record.result).toBe('succeeded');
    const top = await browseStorage(world.ctx, world.storageId, undefined);
    mailboxes = top.entries.filter((e) => world.sandbox.mail.folders(e.name).some((f) => f.totalItemCount > 0)).map((e) => e.name);
    expect(mailboxes.length).toBe(2);
    let expected = 0;
    const mimes = new Set<string>();
    for (const upn of mailboxes) {
      for (const folder of world.sandbox.mail.folders(upn)) {
        for (const m of world.sandbox.mail.messages(upn, folder.id)) {
          expected++;
          mimes.add(sha(await world.sandbox.mail.mime(upn, m.id)));
        }
      }
    }
    expect(record.backedUp).toBeGreaterThanOrEqual(expected);
    expect(world.sandbox.countRequests('mail.mime', since)).toBe(record.backedUp);

    const out = join(world.dir, 'export-all');
    let exported = 0;
    for (const upn of mailboxes) exported += (await exportFromStorage(world.ctx, { storage: world.storageId, from: upn, out })).exported;
    expect(exported).toBe(expected);
    const files = (await filesIn(out)).filter((f) => f.path.endsWith('.eml'));
    expect(files).toHaveLength(expected);
    expect(new Set(files.map((f) => sha(f.content)))).toEqual(mimes);
  }, 120_000);

  it('fetches only the changes in the next cycle and shows them; a deleted item stays restorable until prune past retention', async () => {
    const [upn] = mailboxes as [string];
    const inbox = world.sandbox.mail.messages(upn, 'inbox');
    const [changed, moved, deleted] = inbox as [(typeof inbox)[0], (typeof inbox)[0], (typeof inbox)[0]];
    const added = world.sandbox.mail.addMessage(upn, 'inbox', { subject: 'Quarterly figures (added)', body: 'new one' });
    world.sandbox.mail.changeMessage(upn, changed.id, { isRead: !changed.isRead });
    world.sandbox.mail.moveMessage(upn, moved.id, 'archive');
    world.sandbox.mail.deleteMessage(upn, deleted.id);

    const since = world.sandbox.requests.length;
    const { record } = await runCycle(world.ctx, jobId);
    expect(record.result).toBe('succeeded');
    // Content only for the new and the changed message; the move costs no download.
    expect(world.sandbox.countRequests('mail.mime', since)).toBe(2);
    expect(record.backedUp).toBe(2);
    expect(record.removed).toBe(1);

    const inboxListing = await browseStorage(world.ctx, world.storageId, `${upn}/Inbox`);
    const byId = new Map(inboxListing.entries.map((e) => [e.id, e]));
    expect(byId.get(added)?.deleted).toBeFalsy();
    expect(byId.get(deleted.id)?.deleted).toBe(true);
    expect(byId.has(moved.id)).toBe(false);
    const archive = await browseStorage(world.ctx, world.storageId, `${upn}/Archive`);
    expect(archive.entries.some((e) => e.id === moved.id)).toBe(true);

    const out = join(world.dir, 'export-deleted');
    const kept = await exportFromStorage(world.ctx, { storage: world.storageId, from: `${upn}/Inbox`, items: [deleted.id], out });
    expect(kept.exported).toBe(1);
    expect((await readFile(kept.files[0] as string)).length).toBe(deleted.size);

    // Within retention, prune keeps it; 31 days on, it is gone.
    await pruneStorage(world.ctx, world.storageId);
    expect((await exportFromStorage(world.ctx, { storage: world.storageId, from: `${upn}/Inbox`, items: [deleted.id], out: join(world.dir, 'e2') })).exported).toBe(1);
    const realNow = world.now;
    world.now = new Date(realNow.getTime() + 31 * 86_400_000);
    await pruneStorage(world.ctx, world.storageId);
    world.now = realNow;
    expect((await exportFromStorage(world.ctx, { storage: world.storageId, from: `${upn}/Inbox`, items: [deleted.id], out: join(world.dir, 'e3') })).exported).toBe(0);
  }, 120_000);

  it('an expired delta token resyncs every folder without duplicates and without downloading again', async () => {
    const [upn] = mailboxes as [string];
    const before = (await browseStorage(world.ctx, world.storageId, `${upn}/Inbox`)).entries.length;
    world.sandbox.mail.expireSyncState();
    const since = world.sandbox.requests.length;
    const { record } = await runCycle(world.ctx, jobId);
    expect(record.result).toBe('succeeded');
    expect(world.sandbox.countRequests('mail.mime', since)).toBe(0);
    expect((await browseStorage(world.ctx, world.storageId, `${upn}/Inbox`)).entries.length).toBe(before);
  }, 120_000);
});
