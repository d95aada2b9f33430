import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate } from '../../src/auth/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { CLI, filesIn, fixtureStore, runCli } from '../helpers/cli.js';

const EXCHANGE_ROLES = ['full_access_as_app', 'Mail.ReadWrite', 'MailboxSettings.ReadWrite', 'User.Read.All'];

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = { BACKUP_PANEL_M365_ENDPOINT: sandbox.url };
});
afterAll(async () => {
  await sandbox.close();
});

/** A certificate + private key PEM file (mode 0600) whose certificate is registered on a contoso app. */
async function registeredCertificate(dir: string): Promise<{ file: string; clientId: string; keyBody: string }> {
  const material = await generateCertificate('CN=backup-panel-cli-test');
  const { appId } = sandbox.registerApp('contoso', { displayName: 'backup-panel CLI test', certificatePem: material.certificatePem, roles: EXCHANGE_ROLES });
  const file = join(dir, 'app.pem');
  const key = material.privateKeyPem.reveal();
  await writeFile(file, `${material.certificatePem.trim()}\n${key.trim()}\n`, { mode: 0o600 });
  const keyBody = key.split('\n')[5] ?? key.slice(100, 160);
  return { file, clientId: appId, keyBody };
}

describe('connections reconfigure (manual registration)', () => {
  it('verifies against the tenant, saves c-1 as modern, keeps its jobs and removes its alert', async () => {
    const { dir, store } = await fixtureStore();
    const cert = await registeredCertificate(dir);
    const result = await runCli(['connections', 'reconfigure', 'c-1', '--tenant', 'contoso.onmicrosoft.com', '--client-id', cert.clientId, '--certificate', cert.file, '--store', store], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PASS\s+Sign-in \(token\)/);
    expect(result.stdout).toContain("Saved: 'admin@contoso.onmicrosoft.com' now uses Modern Authentication.");

    const rows = JSON.parse((await runCli(['connections', 'list', '--json', '--store', store])).stdout) as Array<Record<string, unknown>>;
    expect(rows.find((r) => r.id === 'c-1')).toMatchObject({ name: 'admin@contoso.onmicrosoft.com', authType: 'modern', obsolete: false, usedBy: ['Mailboxes - nightly', 'Restore CEO mailbox'] });
    const jobs = JSON.parse((await runCli(['jobs', 'list', '--json', '--store', store])).stdout) as Array<{ id: string; connectionId: string }>;
    expect(jobs.filter((j) => j.connectionId === 'c-1').map((j) => j.id)).toEqual(['j-1', 'j-4']);
    const alerts = JSON.parse((await runCli(['alerts', 'list', '--json', '--store', store])).stdout) as Array<{ connectionId?: string; category: string }>;
    expect(alerts.filter((a) => a.category === 'obsolete-connection').map((a) => a.connectionId)).toEqual(['c-2', 'c-5']);

    const audit = await readFile(`${store}.audit.log`, 'utf8');
    expect(audit).toContain('connection.reconfigure');
    // The old password is gone from the store; the private key is not in any file in plain text.
    for (const file of await filesIn(dir)) {
      if (file.path === cert.file) continue;
      expect(file.content.includes('Winter2020!'), file.path).toBe(false);
      expect(file.content.includes(cert.keyBody), file.path).toBe(false);
    }
  });

  it('with a client ID the tenant does not know, exits 1 naming AADSTS700016 and saves nothing', async () => {
    const { dir, store } = await fixtureStore();
    const cert = await registeredCertificate(dir);
    await runCli(['connections', 'list', '--store', store]); // migrate first, so "unchanged" means unchanged
    const before = await readFile(store);
    const result = await runCli(
      ['connections', 'reconfigure', 'c-1', '--tenant', 'contoso.onmicrosoft.com', '--client-id', '11111111-2222-3333-4444-555555555555', '--certificate', cert.file, '--store', store],
      { env },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL\s+Sign-in \(token\).*AADSTS700016/);
    expect(result.stderr).toMatch(/Nothing was saved/);
    expect(await readFile(store)).toEqual(before);
  });

  it('rejects bad input with exit 2 before any network call', async () => {
    const { dir, store } = await fixtureStore();
    const cert = await registeredCertificate(dir);
    const notGuid = await runCli(['connections', 'reconfigure', 'c-1', '--tenant', 'contoso.onmicrosoft.com', '--client-id', 'not-a-guid', '--certificate', cert.file, '--store', store], { env });
    expect(notGuid.code).toBe(2);
    expect(notGuid.stderr).toMatch(/not a GUID/);
    const missing = await runCli(['connections', 'reconfigure', 'c-1', '--tenant', 'contoso.onmicrosoft.com', '--client-id', '11111111-2222-3333-4444-555555555555', '--certificate', join(dir, 'nope.pem'), '--store', store], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read the certificate file/);
    const onPrem = await runCli(['connections', 'reconfigure', 'c-3', '--tenant', 'contoso.onmicrosoft.com', '--client-id', '11111111-2222-3333-4444-555555555555', '--certificate', cert.file, '--store', store], { env });
    expect(onPrem.code).toBe(2);
    expect(onPrem.stderr).toMatch(/On-premises connections keep Basic Authentication/);
    const unknown = await runCli(['connections', 'reconfigure', 'c-99', '--tenant', 'contoso.onmicrosoft.com', '--client-id', '11111111-2222-3333-4444-555555555555', '--certificate', cert.file, '--store', store], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No server connection 'c-99'/);
  });

  it('takes a client secret from standard input, never from argv, and keeps it out of every output and file', async () => {
    const { dir, store } = await fixtureStore();
    const secret = 'CANARY-cli-secret-7f3a9b';
    const { appId } = sandbox.registerApp('fabrikam', { displayName: 'fabrikam secret app', secret, roles: EXCHANGE_ROLES });
    const args = [CLI, 'connections', 'reconfigure', 'c-5', '--tenant', 'fabrikam.onmicrosoft.com', '--client-id', appId, '--client-secret-file', '-', '--store', store];
    expect(args.join(' ')).not.toContain(secret);
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, args, { env: { ...process.env, ...env } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (code) => resolve({ code, out }));
      child.stdin.end(`${secret}\n`);
    });
    expect(result.code).toBe(0);
    expect(result.out).not.toContain(secret);
    for (const file of await filesIn(dir)) expect(file.content.includes(secret), file.path).toBe(false);
    const rows = JSON.parse((await runCli(['connections', 'list', '--json', '--store', store])).stdout) as Array<Record<string, unknown>>;
    expect(rows.find((r) => r.id === 'c-5')).toMatchObject({ authType: 'modern', obsolete: false });
  });
});

describe('connections test', () => {
  it('reports plainly that Microsoft switched Basic off for an obsolete connection (exit 1)', async () => {
    const { store } = await fixtureStore();
    const result = await runCli(['connections', 'test', 'c-1', '--store', store], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL\s+Basic Authentication: Microsoft 365 no longer accepts passwords/);
    expect(result.stdout).not.toContain('Winter2020!');
    const alerts = JSON.parse((await runCli(['alerts', 'list', '--json', '--store', store])).stdout) as Array<{ category: string; connectionId?: string }>;
    expect(alerts.some((a) => a.category === 'connection-failed' && a.connectionId === 'c-1')).toBe(true);
  });

  it('checks an on-premises connection with Basic against the on-premises servers (exit 0)', async () => {
    const { store } = await fixtureStore();
    const result = await runCli(['connections', 'test', 'c-3', '--json', '--store', store], { env });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { checks: Array<{ name: string; status: string }> };
    expect(report.checks.length).toBeGreaterThan(0);
    expect(report.checks.every((c) => c.status === 'pass')).toBe(true);
    const autodiscover = await runCli(['connections', 'test', 'c-6', '--store', store], { env });
    expect(autodiscover.stdout).toMatch(/PASS\s+Autodiscover/);
    expect(autodiscover.code).toBe(0);
  });
});

describe('sandbox command', () => {
  it('prints its URL on the first line and answers there', async () => {
    const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
        });
        child.on('exit', () => reject(new Error(`sandbox exited: ${out}`)));
      });
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(firstLine)?.[0];
      expect(url).toBeTruthy();
      const response = await fetch(`${url}/_sandbox`);
      expect(response.ok).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
