import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate } from '../../src/auth/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { cliJson, FIXTURE_PASSWORDS, filesIn, fixtureStore, runCli } from '../helpers/cli.js';

/** Issue 16, item 3: `connections create` for the four kinds, so the whole life of a connection can be scripted. */

const ROLES = ['Mail.ReadWrite', 'MailboxSettings.Read', 'User.Read.All', 'graph:Sites.ReadWrite.All', 'sharepoint:Sites.FullControl.All'];
const ONPREM_PASSWORD = 'S3rv1ce-Backup';

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = { BACKUP_PANEL_M365_ENDPOINT: sandbox.url };
});
afterAll(async () => {
  await sandbox.close();
});

interface Row {
  id: string;
  name: string;
  service: string;
  location: string;
  authType: string;
  tenant?: string;
  cloud?: string;
  clientId?: string;
  credentialKind: string;
  credentialExpires?: string;
  usedBy: string[];
}

/** A PEM file (certificate and key, 0600) whose certificate is registered on a contoso app. */
async function registeredCertificate(dir: string, name: string): Promise<{ file: string; clientId: string; keyLine: string; notAfter: string }> {
  const material = await generateCertificate(`CN=${name}`);
  const { appId } = sandbox.registerApp('contoso', { displayName: name, certificatePem: material.certificatePem, roles: ROLES });
  const file = join(dir, `${name}.pem`);
  const key = material.privateKeyPem.reveal();
  await writeFile(file, `${material.certificatePem.trim()}\n${key.trim()}\n`, { mode: 0o600 });
  return { file, clientId: appId, keyLine: key.split('\n')[5] ?? '', notAfter: material.notAfter };
}

async function list(store: string): Promise<Row[]> {
  return cliJson<Row[]>(['connections', 'list', '--json', '--store', store]);
}

describe('connections create', () => {
  it('scripts the whole life of an Exchange Online connection: create → reconfigure → rename → delete', async () => {
    const { dir, store } = await fixtureStore();
    const first = await registeredCertificate(dir, 'create-first');
    const created = await runCli(
      ['connections', 'create', 'exchange-online', '--tenant', 'contoso.onmicrosoft.com', '--client-id', first.clientId, '--certificate', first.file, '--mailbox', 'admin@contoso.onmicrosoft.com', '--json', '--store', store],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);
    const outcome = JSON.parse(created.stdout) as { saved: boolean; connection: Row; checks: Array<{ status: string }> };
    expect(outcome.saved).toBe(true);
    expect(outcome.checks.some((c) => c.status === 'fail')).toBe(false);
    // The default name is the mailbox; the fixture's c-1 has it already, so the new one is numbered.
    expect(outcome.connection).toMatchObject({ name: 'admin@contoso.onmicrosoft.com (2)', service: 'exchange', location: 'online', authType: 'modern', tenant: 'contoso.onmicrosoft.com', cloud: 'global', clientId: first.clientId, credentialKind: 'app-certificate' });
    expect(Date.parse(outcome.connection.credentialExpires ?? '')).toBe(Date.parse(first.notAfter));
    const id = outcome.connection.id;
    expect((await list(store)).find((r) => r.id === id)).toMatchObject({ name: 'admin@contoso.onmicrosoft.com (2)', usedBy: [] });

    const second = await registeredCertificate(dir, 'create-second');
    const reconfigured = await runCli(['connections', 'reconfigure', id, '--tenant', 'contoso.onmicrosoft.com', '--client-id', second.clientId, '--certificate', second.file, '--store', store], { env });
    expect(reconfigured.code, reconfigured.stderr).toBe(0);
    expect((await list(store)).find((r) => r.id === id)?.clientId).toBe(second.clientId);

    expect((await runCli(['connections', 'rename', id, 'Contoso mail (script)', '--store', store])).code).toBe(0);
    const deleted = await runCli(['connections', 'delete', 'Contoso mail (script)', '--store', store]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe(`Deleted server connection 'Contoso mail (script)' (${id}).\n`);
    expect((await list(store)).map((r) => r.id)).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6']);

    const actions = (await cliJson<Array<{ action: string; entity: { id?: string } | null }>>(['audit', 'list', '--json', '--store', store])).filter((a) => a.entity?.id === id).map((a) => a.action);
    expect(actions).toEqual(['connection.create', 'connection.reconfigure', 'connection.rename', 'connection.delete']);
    for (const file of await filesIn(dir)) {
      if (file.path.endsWith('.pem')) continue;
      expect(file.content.includes(first.keyLine), file.path).toBe(false);
      expect(file.content.includes(second.keyLine), file.path).toBe(false);
    }
  });

  it('creates SharePoint Online with a certificate, and both on-premises kinds with the password from a file or standard input', async () => {
    const { dir, store } = await fixtureStore();
    const cert = await registeredCertificate(dir, 'create-sharepoint');
    const sp = await runCli(['connections', 'create', 'sharepoint-online', '--name', 'Contoso sites', '--url', 'https://contoso.sharepoint.com', '--tenant', 'contoso.onmicrosoft.com', '--client-id', cert.clientId, '--certificate', cert.file, '--store', store], { env });
    expect(sp.code, sp.stderr).toBe(0);
    expect(sp.stdout).toMatch(/^PASS {2}/m);
    expect(sp.stdout).toMatch(/Created server connection 'Contoso sites' \(c-[0-9a-f]{8}\)\.\n$/);

    const exchange = await runCli(['connections', 'create', 'exchange-onprem', '--server', 'ex01.corp.contoso.com', '--user', 'CORP\\svc-backup', '--password-file', '-', '--store', store], { env, input: `${ONPREM_PASSWORD}\n` });
    expect(exchange.code, exchange.stderr).toBe(0);
    const passwordFile = join(dir, 'password');
    await writeFile(passwordFile, ONPREM_PASSWORD, { mode: 0o600 });
    const sharepoint = await runCli(['connections', 'create', 'sharepoint-onprem', '--url', 'https://sp.corp.contoso.com', '--user', 'CORP\\svc-backup', '--password-file', passwordFile, '--json', '--store', store], { env });
    expect(sharepoint.code, sharepoint.stderr).toBe(0);

    const rows = await list(store);
    const added = rows.slice(6);
    expect(added.map((r) => [r.name, r.service, r.location, r.authType, r.credentialKind])).toEqual([
      ['Contoso sites', 'sharepoint', 'online', 'modern', 'app-certificate'],
      // Defaults never collide with the fixture's connections of the same servers.
      ['ex01.corp.contoso.com (2)', 'exchange', 'onpremises', 'legacy', 'basic'],
      ['sp.corp.contoso.com (2)', 'sharepoint', 'onpremises', 'legacy', 'basic'],
    ]);
    expect(new Set(rows.map((r) => r.name.toLowerCase())).size).toBe(rows.length);
    for (const file of await filesIn(dir)) {
      if (file.path === passwordFile || file.path.endsWith('.pem')) continue;
      for (const secret of [...FIXTURE_PASSWORDS, cert.keyLine]) expect(file.content.includes(secret), `${file.path}`).toBe(false);
    }
  });

  it('a failed check saves nothing and exits 1; bad input exits 2 before any network call, changing nothing', async () => {
    const { dir, store } = await fixtureStore();
    await runCli(['connections', 'list', '--store', store]); // migrated, so "unchanged" means unchanged
    const before = await readFile(store);
    const wrong = join(dir, 'wrong');
    await writeFile(wrong, 'not-the-password\n', { mode: 0o600 });
    const failed = await runCli(['connections', 'create', 'exchange-onprem', '--server', 'ex01.corp.contoso.com', '--user', 'CORP\\svc-backup', '--password-file', wrong, '--store', store], { env });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^FAIL {2}/m);
    expect(failed.stderr).toMatch(/Nothing was saved\.\n$/);
    expect(failed.stderr).not.toContain('not-the-password');

    const cert = await registeredCertificate(dir, 'create-bad-input');
    const secretFile = join(dir, 'secret');
    await writeFile(secretFile, 'some-secret', { mode: 0o600 });
    const cases: Array<[string[], string]> = [
      [['exchange-cloud'], "Unknown kind of connection 'exchange-cloud'; use one of exchange-online, sharepoint-online, exchange-onprem, sharepoint-onprem."],
      [['exchange-onprem', '--server', 'ex01.corp.contoso.com', '--user', 'CORP\\svc-backup', '--password-file', wrong, '--tenant', 'contoso.onmicrosoft.com'], 'exchange-onprem does not take --tenant'],
      [['exchange-onprem', '--server', 'ex01.corp.contoso.com', '--user', 'CORP\\svc-backup'], 'exchange-onprem needs --password-file'],
      [['sharepoint-online', '--url', 'https://contoso.sharepoint.com', '--tenant', 'contoso.onmicrosoft.com', '--client-id', cert.clientId, '--client-secret-file', secretFile], 'sharepoint-online does not take --client-secret-file'],
      [['exchange-online', '--tenant', 'contoso.onmicrosoft.com', '--client-id', 'not-a-guid', '--certificate', cert.file, '--mailbox', 'admin@contoso.onmicrosoft.com'], 'GUID'],
      [['exchange-online', '--tenant', 'contoso.onmicrosoft.com', '--client-id', cert.clientId, '--certificate', cert.file, '--mailbox', 'admin@contoso.onmicrosoft.com', '--name', 'SP.corp.contoso.com'], "Another server connection is already named 'SP.corp.contoso.com' (c-4)"],
      [['sharepoint-onprem', '--url', 'https://sp.corp.contoso.com', '--user', 'CORP\\svc-backup', '--password-file', join(dir, 'missing')], "Cannot read the password file"],
    ];
    for (const [args, words] of cases) {
      const result = await runCli(['connections', 'create', ...args, '--store', store], { env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr, args.join(' ')).toContain(words);
    }
    expect(await readFile(store)).toEqual(before);
  });
});
