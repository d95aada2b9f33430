import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseStorage, createRestoreJob, runCycle } from '../../src/services/index.js';
import { engineWorld, type EngineWorld } from './world.js';

describe('Exchange Online restore and faults, against the sandbox', () => {
  let world: EngineWorld;
  let jobId: string;
  let upns: [string, string];

  beforeAll(async () => {
    world = await engineWorld({ mailboxes: 2, messages: 8, largeMessages: 1, largeMessageBytes: 3_500_000, files: 0, largeFiles: 0 });
    await world.addConnection({ id: 'c-exo', service: 'exchange' });
    await world.addConnection({ id: 'c-fab', service: 'exchange', tenant: 'fabrikam' });
    jobId = await world.addJob('Mail', 'c-exo', 'all');
    const { record } = await runCycle(world.ctx, jobId);
    expect(record.result).toBe('succeeded');
    const top = await browseStorage(world.ctx, world.storageId, undefined);
    upns = top.entries.filter((e) => world.sandbox.mail.folders(e.name).some((f) => f.totalItemCount > 0)).map((e) => e.name) as [string, string];
  }, 60_000);
  afterAll(() => world?.close());

  it('restores the Inbox into "Restored <date>/Inbox": not drafts, original dates, attachments back (one above 3 MB)', async () => {
    const [upn] = upns;
    const original = world.sandbox.mail.messages(upn, 'inbox');
    const job = await createRestoreJob(world.ctx, { name: 'Back', connection: 'c-exo', storage: world.storageId, from: `${upn}/Inbox` });
    const { record } = await runCycle(world.ctx, job.id);
    expect(record.errors).toEqual([]);
    expect(record.result).toBe('succeeded');
    expect(record.restored).toBe(original.length);
    const folder = world.sandbox.mail.folders(upn).find((f) => /^Restored \d{4}-\d\d-\d\d \d\d\.\d\d\/Inbox$/.test(f.path));
    expect(folder, world.sandbox.mail.folders(upn).map((f) => f.path).join(', ')).toBeDefined();
    const restored = world.sandbox.mail.messages(upn, folder!.id);
    expect(restored).toHaveLength(original.length);
    for (const m of original) {
      const copy = restored.find((r) => r.subject === m.subject && r.receivedDateTime === m.receivedDateTime);
      expect(copy, m.subject).toBeDefined();
      expect(copy!.isDraft).toBe(false);
      expect(copy!.isRead).toBe(m.isRead);
      expect(copy!.attachments.map((a) => [a.name, a.size])).toEqual(m.attachments.map((a) => [a.name, a.size]));
    }
    expect(original.some((m) => m.attachments.some((a) => a.size > 3 * 1_048_576))).toBe(true);
  }, 120_000);

  it('restores into another mailbox of the same tenant, and refuses another tenant', async () => {
    const [from, to] = upns;
    const items = world.sandbox.mail.messages(from, 'inbox').slice(0, 2).map((m) => m.id);
    expect(items).toHaveLength(2);
    const other = await createRestoreJob(world.ctx, { name: 'Elsewhere', connection: 'c-exo', storage: world.storageId, from: `${from}/Inbox`, items, to });
    const done = await runCycle(world.ctx, other.id);
    expect(done.record.result).toBe('succeeded');
    expect(done.record.restored).toBe(2);
    const target = world.sandbox.mail.folders(to).find((f) => f.path.startsWith('Restored ') && f.path.endsWith('/Inbox'));
    expect(target).toBeDefined();
    expect(world.sandbox.mail.messages(to, target!.id).map((m) => m.subject).sort()).toEqual(items.map((id) => world.sandbox.mail.message(from, id)!.subject).sort());

    const foreign = await createRestoreJob(world.ctx, { name: 'Foreign', connection: 'c-fab', storage: world.storageId, from: `${from}/Inbox` });
    const refused = await runCycle(world.ctx, foreign.id);
    expect(refused.record.result).toBe('failed');
    expect(refused.record.errors[0]?.message).toMatch(/another tenant .*; a restore goes only to the tenant they were backed up from/);
    expect(world.store.current().alerts.some((a) => a.category === 'job-failed' && a.jobId === foreign.id)).toBe(true);
  }, 120_000);

  it('a 429 storm within the limits ends in success; beyond them in a clear failure that keeps the last snapshot', async () => {
    const [upn] = upns;
    // The restores above added messages: back them up first, so this cycle has one new message.
    expect((await runCycle(world.ctx, jobId)).record.result).toBe('succeeded');
    world.sandbox.mail.addMessage(upn, 'inbox', { subject: 'After the storm' });
    world.sandbox.throttle({ mailbox: upn, requests: 3, retryAfterSeconds: 1 });
    const calm = await runCycle(world.ctx, jobId);
    expect(calm.record.result).toBe('succeeded');
    expect(calm.record.backedUp).toBe(1);

    const before = (await browseStorage(world.ctx, world.storageId, `${upn}/Inbox`)).entries.length;
    world.sandbox.mail.addMessage(upn, 'inbox', { subject: 'Lost in the storm' });
    world.sandbox.throttle({ mailbox: upn, requests: 1000, retryAfterSeconds: 600 });
    const storm = await runCycle(world.ctx, jobId);
    world.sandbox.clearThrottles();
    expect(storm.record.result).toBe('failed');
    expect(storm.record.errors[0]?.message).toMatch(/throttled the requests \(HTTP 429\)/);
    expect((await browseStorage(world.ctx, world.storageId, `${upn}/Inbox`)).entries.length).toBe(before);

    // A connection reset on a download is retried; the cycle ends whole.
    world.sandbox.inject({ path: /\/\$value$/, times: 2, respond: 'reset' });
    const after = await runCycle(world.ctx, jobId);
    expect(after.record.result, JSON.stringify(after.record.errors)).toBe("succeeded");
    expect((await browseStorage(world.ctx, world.storageId, `${upn}/Inbox`)).entries.length).toBe(before + 1);
  }, 120_000);
});
