import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { editToDeviceCode, KEY, PanelSession } from './terminal.js';

const sessions: PanelSession[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) s.kill();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A private TMPDIR for one demo run, so that its backup-panel-demo-* folder can be watched alone. */
async function privateTmp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bp-demo-tmp-'));
  dirs.push(dir);
  return dir;
}

async function demoFolders(tmp: string): Promise<string[]> {
  return (await readdir(tmp)).filter((name) => name.startsWith('backup-panel-demo-'));
}

describe('npm start (the demo)', () => {
  it('lets a newcomer reconfigure c-1 with Automatic registration; the sandbox approves the sign-in by itself', async () => {
    // Exactly what `npm start` runs, with no Microsoft 365 endpoint configured.
    const panel = new PanelSession(['--demo'], { env: { BACKUP_PANEL_M365_ENDPOINT: undefined } });
    sessions.push(panel);
    await panel.waitFor('Defined server connections');
    expect(panel.text()).toMatch(/Demo/);
    await panel.press('2');
    await panel.waitFor('Manage server connections (7)');
    await editToDeviceCode(panel);
    expect(panel.text()).toMatch(/Demo: the sandbox tenant approves this sign-in by itself/);
    // Nobody approves it here: the demo tenant does, after a few seconds.
    await panel.waitFor('All checks passed', 60_000);
    await panel.press(KEY.enter);
    await panel.waitFor('Nothing has been saved yet');
    await panel.press(KEY.enter);
    await panel.waitFor(/› Exchange\s+admin@contoso\.onmicrosoft\.com\s+Microsoft 365\s+modern/);
    await panel.press('1');
    // c-1's alert is gone; the demo's backup job has no service running it (service-stopped) and stays.
    await panel.waitFor('3 permanent · 1 event');
    expect(panel.text()).not.toContain("Server connection 'admin@contoso.onmicrosoft.com' needs");
    await panel.press('q');
    expect(await panel.exited()).toBe(0);
  });
});

describe('the demo folder (issue 11, item 13)', () => {
  it('a command with --demo removes its folder at exit; --keep-demo keeps it and says where', async () => {
    const tmp = await privateTmp();
    const list = await runCli(['connections', 'list', '--demo'], { env: { TMPDIR: tmp } });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stderr).toContain('removed at exit; --keep-demo keeps it');
    expect(await demoFolders(tmp)).toEqual([]);

    const kept = await runCli(['connections', 'list', '--demo', '--keep-demo'], { env: { TMPDIR: tmp } });
    expect(kept.code).toBe(0);
    const folders = await demoFolders(tmp);
    expect(folders).toHaveLength(1);
    expect(kept.stderr).toContain(`demo store: ${join(tmp, folders[0] as string, 'store.json')} (a fresh copy of the sample, kept at exit (--keep-demo)`);
  });

  it('the panel removes it when quit, after Ctrl-C, after SIGTERM and after SIGHUP', async () => {
    const tmp = await privateTmp();
    const start = async () => {
      const panel = new PanelSession(['--demo'], { env: { TMPDIR: tmp, BACKUP_PANEL_M365_ENDPOINT: undefined } });
      sessions.push(panel);
      await panel.waitFor('Defined server connections');
      expect(await demoFolders(tmp)).toHaveLength(1);
      return panel;
    };
    let panel = await start();
    await panel.press('q');
    expect(await panel.exited()).toBe(0);
    expect(await demoFolders(tmp)).toEqual([]);

    panel = await start();
    await panel.press('\x03');
    await panel.exited();
    expect(await demoFolders(tmp)).toEqual([]);

    for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      panel = await start();
      process.kill(panel.pid, signal);
      expect(await panel.exited()).toBe(code);
      expect(await demoFolders(tmp)).toEqual([]);
    }
  });

  it('a command interrupted by Ctrl-C (SIGINT) removes it too', async () => {
    const tmp = await privateTmp();
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('../helpers/cli.js');
    // Reading the client secret from standard input: a command that is still running, its store open.
    const child = spawn(process.execPath, [CLI, 'connections', 'reconfigure', 'c-1', '--tenant', 'contoso.onmicrosoft.com', '--client-id', '11111111-2222-3333-4444-555555555555', '--client-secret-file', '-', '--demo'], {
      env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    const waiting = new Promise<void>((resolve) =>
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('demo store:')) resolve();
      }),
    );
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await Promise.race([waiting, closed]);
    expect(stderr).toContain('demo store:');
    expect(await demoFolders(tmp)).toHaveLength(1);
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(await demoFolders(tmp)).toEqual([]);
  });
});
