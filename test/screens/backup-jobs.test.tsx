import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { cleanup, KEYS, renderSized, unwrap, type Screen } from '../app/helpers/render.js';
import { engineWorld, type EngineWorld } from '../engine/world.js';

/**
 * The Jobs tab against the sandbox: a backup job made in the wizard, run, watched, edited, stopped
 * and deleted, with the real store, engine and storage.
 */

let world: EngineWorld;
const UPN = 'admin@contoso.onmicrosoft.com';

beforeAll(async () => {
  world = await engineWorld({ mailboxes: 2, messages: 6, largeMessages: 0, files: 0, largeFiles: 0 });
  await world.addConnection({ id: 'c-exo', service: 'exchange' });
}, 120_000);
afterAll(() => world?.close());
afterEach(() => cleanup());

async function panel(size = { columns: 100, rows: 30 }): Promise<Screen> {
  const screen = await renderSized(<App ctx={world.ctx} color={false} ascii={false} host="backup01" pollMs={100} />, size);
  await screen.press('4');
  return screen;
}

const jobOf = (name: string) => world.store.current().jobs.find((j) => j.name === name);

/** Types text one key at a time, as the keyboard does. */
async function type(screen: Screen, text: string): Promise<void> {
  for (const ch of text) await screen.press(ch);
}

/** Moves the Jobs list's cursor from the top to the row of `name`. */
async function selectJob(screen: Screen, name: string): Promise<void> {
  await screen.press(KEYS.home);
  for (let i = 0; i < 20 && !(screen.frame().split('\n').find((l) => l.startsWith('›')) ?? '').includes(name); i++) await screen.press('j');
}

describe('Jobs tab with the sandbox', () => {
  it('How to start opens the New backup job wizard; the Dashboard says the service does not run', async () => {
    const screen = await renderSized(<App ctx={world.ctx} color={false} ascii={false} host="backup01" pollMs={100} />, { columns: 100, rows: 30 });
    await screen.waitFor((f) => f.includes('Backup service: not running (never started for this store)'));
    while (!screen.frame().includes('› How to start')) await screen.press(KEYS.tab);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('New backup job') && f.includes('Job name'));
    // Untouched, Esc closes it at once.
    await screen.press(KEYS.escape);
    expect(screen.frame()).not.toContain('New backup job');
  }, 120_000);

  it('New backup job → Run now → the history shows the cycle with its figures', async () => {
    const screen = await panel();
    expect(screen.frame()).toContain('There are no jobs: n makes one.');
    await screen.press('n');
    expect(screen.frame()).toContain('New job');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('New backup job') && f.includes('Job name'));
    // Next on an empty name says what is missing and stays.
    await screen.press(KEYS.enter);
    expect(unwrap(screen.frame())).toContain('A job needs a name.');
    await type(screen, 'Mail');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Job continuity'));
    await screen.press(KEYS.right);
    expect(screen.frame()).toMatch(/\(•\) One-time/);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes(`c-exo@contoso.onmicrosoft.com`));
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Back up') && f.includes('All'));
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Main') && f.includes('New storage'));
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Cycles start'));
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Summary') && f.includes('Finish'));
    const summary = unwrap(screen.frame());
    expect(summary).toMatch(/Job name Mail/);
    expect(summary).toMatch(/Continuity one-time/);
    expect(summary).toMatch(/Target storage Main/);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Jobs (1)') && f.includes('never run'));
    const job = jobOf('Mail');
    expect(job).toMatchObject({ kind: 'backup', continuous: false, connectionId: 'c-exo', storageId: world.storageId, sources: 'all' });

    await screen.press('r');
    await screen.waitFor((f) => /Mail\s.*succeeded/.test(f));
    await screen.press(KEYS.enter);
    const detail = await screen.waitFor((f) => f.includes('Cycle history'));
    const record = jobOf('Mail')?.cycles?.[0];
    expect(record?.result).toBe('succeeded');
    expect(record!.backedUp).toBeGreaterThan(0);
    // Result, start, duration, scanned, backed up, removed, bytes, errors.
    expect(detail).toMatch(/Result\s+Start\s+Duration\s+Scanned\s+Backed up\s+Removed\s+Bytes\s+Errors/);
    expect(detail).toMatch(new RegExp(`succeeded\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+\\S+\\s+${record!.scanned}\\s+${record!.backedUp}\\s+0\\s+[\\d.]+ [KMG]?B\\s+0`));
    expect(detail).toContain('The last cycle had no errors.');
  }, 180_000);

  it('New backup job with mailboxes picked from the live list (filtered, ticked) and a new storage made on the way', async () => {
    const screen = await panel();
    await screen.press('n');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('New backup job'));
    await type(screen, 'Picked mail');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Job continuity'));
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('c-exo@contoso.onmicrosoft.com'));
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Back up'));
    await screen.press(KEYS.space);
    // Read live from the tenant.
    await screen.waitFor((f) => f.includes(UPN));
    await screen.press(KEYS.tab);
    await screen.press('/');
    await type(screen, 'admin@');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes(`[ ] ${UPN}`));
    await screen.press(KEYS.space);
    await screen.waitFor((f) => f.includes(`[x] ${UPN}`) && f.includes('(1 ticked)'));
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('New storage…'));
    await screen.press(KEYS.down);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('New storage (for the backup job)'));
    const path = `${world.dir}/second-storage`;
    await type(screen, path);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Keep deleted items'));
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Finish creates the storage'));
    await screen.press(KEYS.enter);
    const key = await screen.waitFor((f) => f.includes('recovery key, shown this once'));
    expect(unwrap(key)).toContain('it is never shown again');
    await screen.press(KEYS.enter);
    // Back in the job wizard, on its storage step, with the new storage chosen.
    await screen.waitFor((f) => f.includes('New backup job') && f.includes('Target storage'));
    expect(screen.frame()).not.toContain('recovery key');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Cycles start'));
    await screen.press(KEYS.enter);
    const summary = unwrap(await screen.waitFor((f) => f.includes('Finish saves the job')));
    expect(summary).toContain(`Sources ${UPN}`);
    expect(summary).toContain('Target storage second-storage');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => unwrap(f).includes("Job 'Picked mail' created"));
    const storage = world.store.current().storages?.find((st) => st.name === 'second-storage');
    expect(storage).toBeDefined();
    expect(jobOf('Picked mail')).toMatchObject({ sources: [UPN], storageId: storage!.id, continuous: true });
    // Out of the way of the tests that follow.
    const { deleteJob } = await import('../../src/services/index.js');
    await deleteJob(world.ctx, jobOf('Picked mail')!.id);
  }, 180_000);

  it('Edit changes what the job does; the list and the store show it', async () => {
    const screen = await panel();
    await screen.waitFor((f) => f.includes('Mail'));
    await screen.press('e');
    await screen.waitFor((f) => f.includes("Edit backup job 'Mail'"));
    await screen.press('\u0015'); // Ctrl-U clears the name
    await type(screen, 'Mail nightly');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Job continuity'));
    await screen.press(KEYS.left);
    expect(screen.frame()).toMatch(/\(•\) Continuous/);
    for (const step of ['Server connection', 'Sources', 'Target storage', 'Activity period', 'Summary']) {
      await screen.press(KEYS.enter);
      await screen.waitFor((f) => f.includes(step));
    }
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Mail nightly') && f.includes('Jobs (1)'));
    expect(jobOf('Mail nightly')).toMatchObject({ continuous: true });
    expect(jobOf('Mail')).toBeUndefined();
  }, 120_000);

  it('Stop mid-cycle ends the cycle as stopped', async () => {
    world.sandbox.mail.addMessage(UPN, 'inbox', { subject: 'Held one' });
    const release = world.sandbox.mail.hold(UPN);
    try {
      const screen = await panel();
      await screen.waitFor((f) => f.includes('Mail nightly'));
      await screen.press('r');
      await screen.waitFor((f) => /Mail nightly\s.*running/.test(f));
      while (world.sandbox.mail.inFlight(UPN) === 0) await new Promise((r) => setTimeout(r, 20));
      await screen.press('s');
      await screen.waitFor((f) => /Mail nightly\s.*stopping/.test(f));
      release();
      await screen.waitFor((f) => /Mail nightly\s.*stopped/.test(f));
      expect(jobOf('Mail nightly')?.cycles?.[0]?.result).toBe('stopped');
    } finally {
      release();
    }
  }, 120_000);

  it('Delete asks, says the storage keeps the data, and keeps it', async () => {
    const screen = await panel();
    await screen.waitFor((f) => f.includes('Mail nightly'));
    await screen.press('d');
    const asking = unwrap(screen.frame());
    expect(asking).toContain('Delete job');
    expect(asking).toContain("Its backed-up data stays in storage 'Main'");
    await screen.press(KEYS.left);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('There are no jobs: n makes one.'));
    expect(world.store.current().jobs).toHaveLength(0);
    // The data stays in the storage.
    const { browseStorage } = await import('../../src/services/index.js');
    const top = await browseStorage(world.ctx, world.storageId, undefined);
    expect(top.entries.length).toBeGreaterThan(0);
  }, 120_000);

  it('Dashboard: the service runs since when, the Jobs card counts, the next due cycle, and a cycle started elsewhere live', async () => {
    const { createBackupJob, registerService, runCycle } = await import('../../src/services/index.js');
    const job = await createBackupJob(world.ctx, { name: 'Mail again', connection: 'c-exo', storage: world.storageId, sources: 'all', continuous: true, idleTime: '01:00:00' });
    const screen = await renderSized(<App ctx={world.ctx} color={false} ascii={false} host="backup01" pollMs={100} />, { columns: 100, rows: 30 });
    await screen.waitFor((f) => /Backup service: not running/.test(f) && f.includes("Next: 'Mail again'"));
    const service = await registerService(world.ctx, { version: 'test', maxCycles: 2 });
    await screen.waitFor((f) => f.includes(`Backup service: running since ${service.since.slice(0, 16).replace('T', ' ')} UTC (pid ${process.pid})`));

    // A cycle started outside the panel (as the service or `jobs run` would), held mid-mailbox.
    world.sandbox.mail.addMessage(UPN, 'inbox', { subject: 'Another held one' });
    const release = world.sandbox.mail.hold(UPN);
    let cycle: Promise<unknown> | undefined;
    try {
      cycle = runCycle(world.ctx, job.id);
      const running = await screen.waitFor((f) => f.includes("Running 'Mail again'"));
      expect(running).toMatch(/Running\s+1/);
      expect(running).toMatch(/Running 'Mail again': (starting|\d+ items · \d+(\.\d+)?\/s)/);
    } finally {
      release();
    }
    await cycle;
    // Continuous: the next cycle is due after the idle time (read with the service's status).
    const done = await screen.waitFor((f) => /Succeeded\s+1/.test(f) && /Next: 'Mail again' \d{4}-\d\d-\d\d \d\d:\d\d UTC/.test(f));
    expect(done).toMatch(/Running\s+0/);
    expect(done).toMatch(/Never run\s+0/);
    await service.stopped();
    await screen.waitFor((f) => /Backup service: not running \(last seen \d{4}-\d\d-\d\d \d\d:\d\d UTC\); jobs run only when started by hand/.test(f));
  }, 120_000);

  it("a job's detail lists the last cycle's errors", async () => {
    const { createBackupJob } = await import('../../src/services/index.js');
    await createBackupJob(world.ctx, { name: 'With errors', connection: 'c-exo', storage: world.storageId, sources: [UPN] });
    world.sandbox.mail.addMessage(UPN, 'inbox', { subject: 'Refused one' });
    world.sandbox.inject({ path: /\/\$value$/, times: Infinity, respond: { status: 403, headers: { 'content-type': 'application/json' }, body: '{"error":{"code":"ErrorAccessDenied","message":"Access is denied. Check credentials and try again."}}' } });
    try {
      const screen = await panel();
      await screen.waitFor((f) => f.includes('With errors'));
      await selectJob(screen, 'With errors');
      await screen.press('r');
      await screen.waitFor((f) => /With errors\s.*(warning|failed) \d{4}/.test(f));
      await screen.press(KEYS.enter);
      const detail = unwrap(await screen.waitFor((f) => f.includes('Errors of the last cycle')));
      const record = jobOf('With errors')!.cycles![0]!;
      expect(record.errors.length).toBeGreaterThan(0);
      expect(detail).toContain(`Errors of the last cycle (${record.errorCount ?? record.errors.length}`);
      expect(detail).toContain(UPN);
      expect(detail).toMatch(/Access is denied|HTTP 403/);
    } finally {
      world.sandbox.clearFaults();
    }
  }, 120_000);
});
