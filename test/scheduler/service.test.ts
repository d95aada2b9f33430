import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CYCLE_HISTORY_LIMIT, parseActivityPeriod, scheduleState, withinActivityPeriod } from '../../src/domain/index.js';
import { createBackupJob } from '../../src/services/index.js';
import { CLI, runCli } from '../helpers/cli.js';
import { engineWorld, type EngineWorld } from '../engine/world.js';
import { closedActivityPeriod, cycleEnds, mostAtOnce, ServiceProcess } from './service-process.js';

/**
 * `backup-panel service` as a process (contracts §8.3, issue 15 item 3): the built program against
 * the loopback sandbox and a temp store. Every wait is for a line the service logs or a file it
 * writes; the only time asserted is the contract's 10 s from SIGTERM to exit.
 */
describe('the backup service process', () => {
  let world: EngineWorld;
  let env: Record<string, string>;
  let store: string;
  const started: ServiceProcess[] = [];
  const service = (...args: string[]) => {
    const s = new ServiceProcess([...args, '--store', store], env);
    started.push(s);
    return s;
  };
  const cli = (...args: string[]) => runCli([...args, '--store', store], { env, timeoutMs: 60_000 });
  const history = async (job: string) => {
    const r = await cli('jobs', 'history', job, '--json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Array<{ result: string; startedAt: string; endedAt: string }>;
  };

  beforeAll(async () => {
    world = await engineWorld({ mailboxes: 2, messages: 6, largeMessages: 0, files: 0, largeFiles: 0 });
    await world.addConnection({ id: 'c-exo', service: 'exchange' });
    const base = { connection: 'c-exo', storage: world.storageId };
    await createBackupJob(world.ctx, { ...base, name: 'Continuous', sources: ['backup@contoso.onmicrosoft.com'], continuous: true, idleTime: '00:00:01' });
    await createBackupJob(world.ctx, { ...base, name: 'Once', sources: ['admin@contoso.onmicrosoft.com'] });
    await createBackupJob(world.ctx, { ...base, name: 'Outside', sources: 'all', continuous: true, idleTime: '00:00:01', activity: closedActivityPeriod() });
    // The premise: the job is outside its activity period now.
    const outside = world.store.current().jobs.find((j) => j.name === 'Outside')!;
    const period = parseActivityPeriod(outside.activity!);
    expect('error' in period || withinActivityPeriod(period, new Date())).toBe(false);
    expect(scheduleState(outside, new Date())).toMatchObject({ kind: 'waiting', until: 'activity-period' });
    await world.store.close();
    store = join(world.dir, 'store.json');
    env = { BACKUP_PANEL_M365_ENDPOINT: world.sandbox.url };
  }, 120_000);

  // A failed test leaves no service behind for the next one (one service per store).
  afterEach(() => {
    for (const s of started.splice(0)) s.kill();
  });
  afterAll(async () => {
    await world?.sandbox.close();
  });

  it('runs a continuous job again after its idle time, a one-time job once, a job outside its activity period not at all, and picks up a new job without a restart', async () => {
    const none = await cli('check');
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/^BACKUP-PANEL WARNING - backup service not running/);

    const svc = service('--max-cycles', '2');
    await svc.line(/backup service \S+ started \(pid \d+/);
    // Once has ended; then Continuous runs twice more, each time after a decision that saw Once done.
    const onceEnd = await svc.line(/job 'Once' \([^)]*\): cycle (succeeded|warning|failed|stopped)/);
    expect(onceEnd).toMatch(/cycle succeeded/);
    await svc.until((lines) => cycleEnds(lines.slice(lines.indexOf(onceEnd) + 1), 'Continuous').length >= 2, 'two cycles of Continuous after Once');

    // While it runs: check is OK about the service, metrics say it is up and what ran.
    const ok = await cli('check');
    expect(ok.stdout, ok.stderr).toMatch(/^BACKUP-PANEL OK - .*service_running=1/);
    expect(ok.code).toBe(0);
    const metrics = await cli('metrics');
    expect(metrics.code, metrics.stderr).toBe(0);
    expect(metrics.stdout).toMatch(/^backup_panel_service_up 1$/m);
    expect(metrics.stdout).toMatch(/^backup_panel_job_last_cycle_result\{job_id="[^"]+",job_name="Once",result="succeeded"\} 1$/m);
    expect(metrics.stdout).not.toMatch(/^backup_panel_job_last_cycle_result\{[^}]*job_name="Outside"/m);
    const next = /^backup_panel_job_next_cycle_timestamp_seconds\{[^}]*job_name="Outside"\} (\d+)$/m.exec(metrics.stdout);
    expect(Number(next?.[1])).toBeGreaterThan(Date.now() / 1000);

    // A job created by another process while the service runs is started without a restart.
    const created = await cli('jobs', 'create', 'Later', '--connection', 'c-exo', '--storage', 'Main', '--sources', 'admin@contoso.onmicrosoft.com');
    expect(created.code, created.stderr).toBe(0);
    await svc.line(/job 'Later' \([^)]*\): cycle succeeded/);
    const laterEnd = svc.lines().findIndex((l) => /job 'Later' \([^)]*\): cycle succeeded/.test(l));
    await svc.until((lines) => cycleEnds(lines.slice(laterEnd + 1), 'Continuous').length >= 1, 'a cycle of Continuous after Later');

    svc.kill('SIGTERM');
    const exit = await svc.exited();
    expect(exit.code, svc.stderr).toBe(0);
    const lines = svc.lines();
    expect(cycleEnds(lines, 'Once')).toEqual(['succeeded']);
    expect(cycleEnds(lines, 'Later')).toEqual(['succeeded']);
    expect(lines.filter((l) => l.includes("job 'Outside'"))).toEqual([]);
    expect(cycleEnds(lines, 'Continuous').filter((r) => r === 'succeeded').length).toBeGreaterThanOrEqual(3);
    // One plain line per event: a time, a level, no control characters.
    for (const line of lines) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+Z (info|warning|error) \S/);
      expect([...line].filter((ch) => ch < ' ' || ch === '\x7f')).toEqual([]);
    }
    expect(lines.at(-1)).toMatch(/ info backup service stopped$/);
    expect(lines.filter((l) => !/ info /.test(l))).toEqual([]);
    // Every job here writes to the one storage, which takes one writer: never two cycles at once.
    expect(mostAtOnce(lines)).toBe(1);

    // Every cycle is in the store's history, and nothing ran twice at once: a job's cycles do not overlap.
    expect((await history('Once')).map((c) => c.result)).toEqual(['succeeded']);
    expect(await history('Outside')).toEqual([]);
    const continuous = await history('Continuous');
    // The history keeps the latest CYCLE_HISTORY_LIMIT cycles.
    expect(continuous.length).toBe(Math.min(CYCLE_HISTORY_LIMIT, cycleEnds(lines, 'Continuous').length));
    for (let i = 1; i < continuous.length; i++) expect(continuous[i]!.endedAt <= continuous[i - 1]!.startedAt).toBe(true);

    const after = await cli('check');
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(/^BACKUP-PANEL WARNING - backup service not running \(last seen \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect((await cli('metrics')).stdout).toMatch(/^backup_panel_alerts\{category="service-stopped"\} 1$/m);
  });

  it('SIGTERM mid-cycle: the cycle is recorded stopped and the process exits 0 within 10 s; the next start resumes it', async () => {
    expect((await cli('jobs', 'delete', 'Continuous', '--yes')).code).toBe(0);
    const created = await cli('jobs', 'create', 'Held', '--connection', 'c-exo', '--storage', 'Main', '--sources', 'admin@contoso.onmicrosoft.com');
    expect(created.code, created.stderr).toBe(0);
    world.sandbox.mail.addMessage('admin@contoso.onmicrosoft.com', 'inbox', { subject: 'Held one' });
    // The mailbox answers nothing until released: the cycle is mid-item however fast the machine is.
    const release = world.sandbox.mail.hold('admin@contoso.onmicrosoft.com');
    try {
      const svc = service();
      await svc.line(/job 'Held' \([^)]*\): cycle started/);
      while (world.sandbox.mail.inFlight('admin@contoso.onmicrosoft.com') === 0) await new Promise((r) => setTimeout(r, 20));
      const signalled = performance.now();
      svc.kill('SIGTERM');
      const exit = await svc.exited();
      expect(exit.code, svc.stderr).toBe(0);
      // The contract's limit, met by the service's own timers (grace, then abort; deadline), not by the cycle's speed.
      expect(exit.at - signalled).toBeLessThan(10_000);
      expect(svc.stderr).toMatch(/ info stopping \(SIGTERM\): 1 running cycle ends at the next item/);
      expect(svc.stderr).toMatch(/job 'Held' \([^)]*\): cycle stopped \(by the service stopping\)/);
    } finally {
      release();
    }
    const held = await history('Held');
    expect(held.map((c) => c.result)).toEqual(['stopped']);

    // A one-time job cut short by the shutdown is resumed: --once runs what is due and exits.
    const again = service('--once');
    const exit = await again.exited();
    expect(exit.code, again.stderr).toBe(0);
    expect(cycleEnds(again.lines(), 'Held')).toEqual(['succeeded']);
    expect(cycleEnds(again.lines(), 'Once')).toEqual([]);
    expect((await history('Held')).map((c) => c.result)).toEqual(['succeeded', 'stopped']);
  });
  it('a failed cycle: an error line, a job-failed alert, check CRITICAL, metrics; --once exits 1', async () => {
    const gone = join(world.dir, 'gone');
    expect((await cli('storages', 'create', 'Gone', '--path', gone)).code).toBe(0);
    await rm(gone, { recursive: true, force: true });
    const created = await cli('jobs', 'create', 'Broken', '--connection', 'c-exo', '--storage', 'Gone', '--sources', 'admin@contoso.onmicrosoft.com');
    expect(created.code, created.stderr).toBe(0);

    const svc = service('--once');
    const exit = await svc.exited();
    expect(exit.code, svc.stderr).toBe(1);
    expect(svc.lines().filter((l) => / error /.test(l))).toEqual([expect.stringMatching(/ error job 'Broken' \(j-[^)]+\): cycle failed in \d+s: .*; \S/)]);
    expect(svc.lines().at(-1)).toMatch(/ info backup service stopped: every due cycle ran once \(1 failed\)$/);

    expect((await history('Broken')).map((c) => c.result)).toEqual(['failed']);
    const alerts = JSON.parse((await cli('alerts', 'list', '--json')).stdout) as Array<{ id: string; category: string; message: string }>;
    expect(alerts.filter((a) => a.category === 'job-failed').map((a) => a.message)).toEqual([expect.stringMatching(/^Job 'Broken' failed: /)]);
    // Failing again renews the job's open alert rather than adding one per cycle.
    expect((await cli('jobs', 'run', 'Broken')).code).toBe(1);
    const again = JSON.parse((await cli('alerts', 'list', '--json')).stdout) as Array<{ id: string; category: string; createdAt: string }>;
    const renewed = again.filter((a) => a.category === 'job-failed');
    expect(renewed).toHaveLength(1);
    expect(renewed[0]!.id).toBe(alerts.find((a) => a.category === 'job-failed')?.id);
    expect((await history('Broken')).map((c) => c.result)).toEqual(['failed', 'failed']);
    const check = await cli('check');
    expect(check.code).toBe(2);
    expect(check.stdout).toMatch(/^BACKUP-PANEL CRITICAL - 1 job failed: 'Broken'; backup service not running .*failed_jobs=1 .*service_running=0\n$/);
    const metrics = (await cli('metrics')).stdout;
    expect(metrics).toMatch(/^backup_panel_job_last_cycle_result\{job_id="j-[^"]+",job_name="Broken",result="failed"\} 1$/m);
    expect(metrics).toMatch(/^backup_panel_alerts\{category="job-failed"\} 1$/m);
    expect(metrics).toMatch(/^backup_panel_storage_readable\{storage_id="[^"]+",storage_name="Gone"\} 0$/m);
    expect(metrics).toMatch(/^backup_panel_service_up 0$/m);
  });
  it('at most --max-cycles cycles at once, on different storages too', async () => {
    expect((await cli('storages', 'create', 'Second', '--path', join(world.dir, 'second'))).code).toBe(0);
    for (const [name, storage, mailbox] of [['P1', 'Main', 'admin'], ['P2', 'Second', 'backup'], ['P3', 'Second', 'admin']] as const) {
      const created = await cli('jobs', 'create', name, '--connection', 'c-exo', '--storage', storage, '--sources', `${mailbox}@contoso.onmicrosoft.com`);
      expect(created.code, created.stderr).toBe(0);
    }
    const svc = service('--once', '--max-cycles', '1');
    const exit = await svc.exited();
    const lines = svc.lines();
    for (const name of ['P1', 'P2', 'P3']) expect(cycleEnds(lines, name), svc.stderr).toEqual(['succeeded']);
    expect(mostAtOnce(lines)).toBe(1);
    // Broken (its storage folder gone) is done: a one-time job is not run again by the service.
    expect(cycleEnds(lines, 'Broken')).toEqual([]);
    expect(exit.code, svc.stderr).toBe(0);
  });
  it('one service per store; under journald every line carries its syslog priority', async () => {
    const first = service();
    await first.line(/backup service \S+ started/);
    const journalRun = async (...args: string[]) => {
      const file = join(world.dir, `journal-${Date.now()}.log`);
      const fd = openSync(file, 'w');
      try {
        const stat = fstatSync(fd);
        const child = spawn(process.execPath, [CLI, 'service', ...args, '--store', store], {
          env: { ...process.env, ...env, NO_COLOR: '1', JOURNAL_STREAM: `${stat.dev}:${stat.ino}` },
          stdio: ['ignore', 'ignore', fd],
        });
        const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
        return { code, text: await readFile(file, 'utf8') };
      } finally {
        closeSync(fd);
      }
    };
    const second = await journalRun('--once');
    expect(second.code).toBe(1);
    expect(second.text).toMatch(/^<3>backup-panel: The backup service already runs for this store \(pid \d+ on .+, user .+, since .+\)\.\n$/);
    first.kill('SIGTERM');
    expect((await first.exited()).code).toBe(0);

    const alone = await journalRun('--once');
    expect(alone.code, alone.text).toBe(0);
    const lines = alone.text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^<6>backup service \S+ started \(pid \d+/);
    for (const line of lines) expect(line).toMatch(/^<[346]>\S/);
    expect(lines.at(-1)).toMatch(/^<6>backup service stopped: every due cycle ran once/);
  });
});
