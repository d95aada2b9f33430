import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseStorage, createRestoreJob, exportFromStorage, runCycle } from '../../src/services/index.js';
import { filesIn } from '../helpers/cli.js';
import { engineWorld, type EngineWorld } from './world.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const SITE = 'contoso.sharepoint.com/sites/hr';

describe('SharePoint Online backup through Graph, against the sandbox', () => {
  let world: EngineWorld;
  let jobId: string;
  let drive: string;

  beforeAll(async () => {
    world = await engineWorld({ mailboxes: 0, messages: 0, files: 12, largeFiles: 1, largeFileBytes: 3 * 1_048_576 });
    await world.addConnection({ id: 'c-spo', service: 'sharepoint' });
    jobId = await world.addJob('Sites', 'c-spo', [SITE]);
    drive = world.sandbox.drives.list(SITE).find((d) => d.name === 'Documents')!.id;
  }, 60_000);
  afterAll(() => world?.close());

  it('backs up the site; export gives every file with its name and folders, byte-identical', async () => {
    const since = world.sandbox.requests.length;
    const { record } = await runCycle(world.ctx, jobId);
    expect(record.errors).toEqual([]);
    expect(record.result).toBe('succeeded');
    const libraries = world.sandbox.drives.list(SITE);
    let files = 0;
    const expected = new Map<string, string>();
    for (const lib of libraries) {
      for (const item of world.sandbox.drives.items(lib.id).filter((i) => i.kind === 'file')) {
        files++;
        expected.set(`${lib.name}/${item.path}`, await world.sandbox.drives.sha256(lib.id, item.id));
      }
    }
    expect(record.backedUp).toBe(files);
    expect(world.sandbox.countRequests('drive.download', since)).toBe(files);

    const out = join(world.dir, 'export');
    const result = await exportFromStorage(world.ctx, { storage: world.storageId, from: SITE, out });
    expect(result.exported).toBe(files);
    const root = join(out, ...SITE.split('/'));
    const written = new Map((await filesIn(root)).map((f) => [relative(root, f.path).split(sep).join('/'), sha(f.content)]));
    expect(written).toEqual(expected);
  }, 120_000);

  it('the next cycle downloads only the added and changed files; a move costs none; the deleted file is marked', async () => {
    const files = world.sandbox.drives.items(drive).filter((i) => i.kind === 'file');
    const [changed, moved, deleted] = files as [(typeof files)[0], (typeof files)[0], (typeof files)[0]];
    const added = world.sandbox.drives.addFile(drive, 'Budget (added).txt', 'a new file');
    world.sandbox.drives.changeFile(drive, changed.id, 'changed content');
    const target = world.sandbox.drives.addFolder(drive, 'Moved here');
    world.sandbox.drives.move(drive, moved.id, target);
    world.sandbox.drives.delete(drive, deleted.id);
    const since = world.sandbox.requests.length;
    const { record } = await runCycle(world.ctx, jobId);
    expect(record.result, JSON.stringify(record.errors)).toBe('succeeded');
    expect(world.sandbox.countRequests('drive.download', since)).toBe(2);
    expect(record.removed).toBe(1);
    const top = await browseStorage(world.ctx, world.storageId, `${SITE}/Documents`);
    expect(top.entries.find((e) => e.id === added)?.deleted).toBeFalsy();
    const movedListing = await browseStorage(world.ctx, world.storageId, `${SITE}/Documents/Moved here`);
    expect(movedListing.entries.map((e) => e.id)).toEqual([moved.id]);
    const where = deleted.path.includes('/') ? `${SITE}/Documents/${deleted.path.slice(0, deleted.path.lastIndexOf('/'))}` : `${SITE}/Documents`;
    expect((await browseStorage(world.ctx, world.storageId, where)).entries.find((e) => e.id === deleted.id)?.deleted).toBe(true);
  }, 120_000);

  it('an expired delta token resyncs the library without duplicates or downloads', async () => {
    const before = (await browseStorage(world.ctx, world.storageId, `${SITE}/Documents`)).entries.length;
    world.sandbox.drives.expireDeltaTokens();
    const since = world.sandbox.requests.length;
    const { record } = await runCycle(world.ctx, jobId);
    expect(record.result).toBe('succeeded');
    expect(world.sandbox.countRequests('drive.download', since)).toBe(0);
    expect((await browseStorage(world.ctx, world.storageId, `${SITE}/Documents`)).entries.length).toBe(before);
  }, 120_000);

  it('restores a folder into "Restored <date>" in its library, files byte-identical', async () => {
    const job = await createRestoreJob(world.ctx, { name: 'Files back', connection: 'c-spo', storage: world.storageId, from: `${SITE}/Documents/Moved here` });
    const { record } = await runCycle(world.ctx, job.id);
    expect(record.errors).toEqual([]);
    expect(record.restored).toBe(1);
    const restored = world.sandbox.drives.items(drive).filter((i) => i.kind === 'file' && /^Restored [^/]+\/Moved here\//.test(i.path));
    expect(restored).toHaveLength(1);
    const original = world.sandbox.drives.items(drive).find((i) => i.path.startsWith('Moved here/'))!;
    expect(await world.sandbox.drives.sha256(drive, restored[0]!.id)).toBe(await world.sandbox.drives.sha256(drive, original.id));
  }, 120_000);
});
