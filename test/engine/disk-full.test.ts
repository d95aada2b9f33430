import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseStorage, checkStorage, createBackupJob, createStorage, runCycle } from '../../src/services/index.js';
import { engineWorld, type EngineWorld } from './world.js';

const UPN = 'admin@contoso.onmicrosoft.com';

/** A real full disk: a small tmpfs (needs root, as CI has; skipped elsewhere). */
function mountSmall(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a full disk in the storage folder', () => {
  let world: EngineWorld;
  let small: string;
  let mounted = false;

  beforeAll(async () => {
    world = await engineWorld({ mailboxes: 1, messages: 6, largeMessages: 0, largeMessageBytes: 3_000_000, files: 0, largeFiles: 0 });
    await world.addConnection({ id: 'c-exo', service: 'exchange' });
    small = join(world.dir, 'small');
    await mkdir(small, { mode: 0o700 });
    mounted = mountSmall(small, '1m');
  }, 60_000);
  afterAll(async () => {
    if (mounted) execFileSync('umount', [small]);
    await world?.close();
  });

  it('fails the cycle with one line naming ENOSPC; the storage stays sound with what was committed', async (test) => {
    if (!mounted) test.skip();
    const { storage } = await createStorage(world.ctx, { name: 'Small', path: join(small, 'storage') });
    const job = await createBackupJob(world.ctx, { name: 'Small mail', connection: 'c-exo', storage: storage.id, sources: [UPN] });
    const first = await runCycle(world.ctx, job.id);
    expect(first.record.result).toBe('succeeded');
    const before = (await browseStorage(world.ctx, storage.id, `${UPN}/Inbox`)).entries.filter((e) => e.kind === 'item').map((e) => e.id);

    // Incompressible content larger than what is left on the disk.
    world.sandbox.mail.addMessage(UPN, 'inbox', { subject: 'Too big for the disk', body: 'noise', attachments: [{ name: 'noise.bin', content: randomBytes(2 * 1_048_576) }] });
    const full = await runCycle(world.ctx, job.id);
    expect(full.record.result).toBe('failed');
    const message = full.record.errors[0]?.message ?? '';
    expect(message).toMatch(/ENOSPC|disk full/i);
    expect(message.split('\n')).toHaveLength(1);
    expect(world.store.current().alerts.some((a) => a.category === 'job-failed' && a.jobId === job.id)).toBe(true);

    const report = await checkStorage(world.ctx, storage.id);
    expect(report.problems).toEqual([]);
    expect(report.sound).toBe(true);
    const after = (await browseStorage(world.ctx, storage.id, `${UPN}/Inbox`)).entries.filter((e) => e.kind === 'item').map((e) => e.id);
    expect(after).toEqual(before);
  }, 120_000);
});
