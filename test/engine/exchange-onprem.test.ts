import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseStorage, createRestoreJob, editJob, exportFromStorage, runCycle } from '../../src/services/index.js';
import { FIXTURE_V1, filesIn } from '../helpers/cli.js';
import { engineWorld, type EngineWorld } from './world.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const SMTP = 'svc-backup@corp.contoso.com';

/** On-premises Exchange over EWS with Basic Authentication, and obsolete Exchange Online connections. */
describe('EWS: on-premises Exchange and obsolete connections, against the sandbox', () => {
  let world: EngineWorld;

  beforeAll(async () => {
    world = await engineWorld({ mailboxes: 1, messages: 6, largeMessages: 0, files: 0, largeFiles: 0 }, { storeFrom: FIXTURE_V1 });
  }, 60_000);
  afterAll(() => world?.close());

  it('backs up the on-premises mailbox by SyncFolderItems and GetItem; export is byte-identical; changes only next time', async () => {
    await editJob(world.ctx, 'j-3', { storage: world.storageId, sources: [SMTP] });
    const since = world.sandbox.requests.length;
    const { record } = await runCycle(world.ctx, 'j-3');
    expect(record.errors).toEqual([]);
    expect(record.result).toBe('succeeded');
    const expected = new Set<string>();
    let count = 0;
    for (const folder of world.sandbox.mail.folders(SMTP)) {
      for (const m of world.sandbox.mail.messages(SMTP, folder.id)) {
        count++;
        expected.add(sha(await world.sandbox.mail.mime(SMTP, m.id)));
      }
    }
    expect(record.backedUp).toBe(count);
    expect(world.sandbox.countRequests('ews.GetItem', since)).toBe(count);
    const out = join(world.dir, 'onprem');
    expect((await exportFromStorage(world.ctx, { storage: world.storageId, from: SMTP, out })).exported).toBe(count);
    expect(new Set((await filesIn(out)).map((f) => sha(f.content)))).toEqual(expected);

    const added = world.sandbox.mail.addMessage(SMTP, 'inbox', { subject: 'On-premises, added' });
    const victim = world.sandbox.mail.messages(SMTP, 'inbox').find((m) => m.id !== added)!;
    world.sandbox.mail.deleteMessage(SMTP, victim.id);
    const next = world.sandbox.requests.length;
    const second = await runCycle(world.ctx, 'j-3');
    expect(second.record.result).toBe('succeeded');
    expect(world.sandbox.countRequests('ews.GetItem', next)).toBe(1);
    expect(second.record.removed).toBe(1);
    const inbox = await browseStorage(world.ctx, world.storageId, `${SMTP}/Inbox`);
    expect(inbox.entries.find((e) => e.id === victim.id)?.deleted).toBe(true);

    world.sandbox.mail.expireSyncState(SMTP);
    const third = world.sandbox.requests.length;
    expect((await runCycle(world.ctx, 'j-3')).record.result).toBe('succeeded');
    expect(world.sandbox.countRequests('ews.GetItem', third)).toBe(0);
    expect((await browseStorage(world.ctx, world.storageId, `${SMTP}/Inbox`)).entries.length).toBe(inbox.entries.length);
  }, 120_000);

  it('restores through CreateItem: not drafts, in "Restored <date>/Inbox"', async () => {
    const job = await createRestoreJob(world.ctx, { name: 'On-prem back', connection: 'c-3', storage: world.storageId, from: `${SMTP}/Inbox` });
    const { record } = await runCycle(world.ctx, job.id);
    expect(record.errors).toEqual([]);
    expect(record.restored).toBeGreaterThan(0);
    const folder = world.sandbox.mail.folders(SMTP).find((f) => /^Restored .+\/Inbox$/.test(f.path));
    expect(folder, world.sandbox.mail.folders(SMTP).map((f) => f.path).join(' | ')).toBeDefined();
    const restored = world.sandbox.mail.messages(SMTP, folder!.id);
    expect(restored.length).toBe(record.restored);
    expect(restored.every((m) => !m.isDraft)).toBe(true);
  }, 120_000);

  it('an obsolete Exchange Online connection still tries Basic Authentication: refused → failed cycle with the reason and a job-failed alert; accepted → backed up', async () => {
    await editJob(world.ctx, 'j-1', { storage: world.storageId, sources: ['admin@contoso.onmicrosoft.com'] });
    const refused = await runCycle(world.ctx, 'j-1');
    expect(refused.record.result).toBe('failed');
    expect(refused.record.errors[0]?.message).toMatch(/outlook\.office365\.com refused the sign-in \(HTTP 401\).*Basic Authentication is turned off/);
    expect(world.store.current().alerts.some((a) => a.category === 'job-failed' && a.jobId === 'j-1')).toBe(true);

    world.sandbox.setTenant('contoso', { basicAuth: true });
    const accepted = await runCycle(world.ctx, 'j-1');
    world.sandbox.setTenant('contoso', { basicAuth: false });
    expect(accepted.record.result, JSON.stringify(accepted.record.errors)).toBe('succeeded');
    expect(accepted.record.backedUp).toBeGreaterThan(0);
  }, 120_000);
});
