import { execFileSync, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/** The systemd unit that ships in the package (contracts §8.3, issue 15 item 3). */
describe('contrib/systemd/backup-panel.service', () => {
  const path = join(ROOT, 'contrib', 'systemd', 'backup-panel.service');

  it('runs `backup-panel service` as a dedicated user, hardened, and ships in the package', async () => {
    const text = await readFile(path, 'utf8');
    const settings = new Map<string, string[]>();
    for (const line of text.split('\n')) {
      const m = /^([A-Za-z]+)=(.*)$/.exec(line);
      if (m) settings.set(m[1]!, [...(settings.get(m[1]!) ?? []), m[2]!]);
    }
    const one = (key: string) => settings.get(key)?.at(-1);
    expect(one('Type')).toBe('simple');
    expect(one('ExecStart')).toMatch(/^\/\S+\/backup-panel service --store \S+/);
    expect(one('User')).toBe('backup-panel');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(settings.get('ReadWritePaths')?.length).toBeGreaterThan(0);
    expect(one('StateDirectory')).toBe('backup-panel');
    for (const key of ['ProtectHome', 'PrivateTmp', 'PrivateDevices']) expect(one(key), key).toBe('yes');
    expect(one('CapabilityBoundingSet')).toBe('');
    // V8's JIT needs writable and executable pages.
    expect(settings.has('MemoryDenyWriteExecute')).toBe(false);
    // Longer than the service's own 10 s, so that systemd never has to SIGKILL a stopping cycle.
    expect(Number(one('TimeoutStopSec'))).toBeGreaterThan(10);

    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('contrib');
    const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
    expect(packed[0]!.files.map((f) => f.path)).toContain('contrib/systemd/backup-panel.service');
  });

  it('is a unit systemd reads without complaint (where systemd-analyze exists)', () => {
    const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (probe.error) return;
    const verify = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
    // The program is not installed here; everything else must be clean.
    const complaints = `${verify.stdout}${verify.stderr}`.split('\n').filter((l) => l.trim() && !/is not executable|No such file or directory/.test(l));
    expect(complaints).toEqual([]);
  });
});
