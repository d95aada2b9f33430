/**
 * `backup-panel sandbox [--port N] [--mailboxes N] [--messages M] [--files F] [--seed S]`: runs the
 * sandbox tenant in the foreground for manual tries, with two ready-made Exchange app registrations in
 * contoso (certificate and secret) whose credentials go to 0600 files in a fresh temporary directory;
 * the secret itself is never printed. Its mailboxes and libraries are seeded lazily (see ./data).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCertificate } from './certificates.js';
import { startSandbox } from './sandbox.js';
import type { Sandbox, SandboxDataOptions } from './types.js';

const EXCHANGE_ROLES = ['full_access_as_app', 'Mail.ReadWrite', 'MailboxSettings.ReadWrite', 'User.Read.All', 'graph:Sites.ReadWrite.All', 'Files.ReadWrite.All'];

export async function runSandboxCommand(options: {
  port?: number;
  autoApproveAfterMs?: number;
  data?: SandboxDataOptions;
  out: NodeJS.WritableStream;
}): Promise<Sandbox> {
  const sandbox = await startSandbox({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.autoApproveAfterMs !== undefined ? { autoApproveAfterMs: options.autoApproveAfterMs } : {}),
    ...(options.data ? { data: options.data } : {}),
  });
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'backup-panel-sandbox-'));
    const cert = createTestCertificate({ commonName: 'backup-panel-sandbox-exchange' });
    const certApp = sandbox.registerApp('contoso', {
      displayName: 'Backup - Exchange (certificate, sandbox)',
      certificatePem: cert.certificatePem,
      roles: EXCHANGE_ROLES,
    });
    const pemPath = join(dir, 'exchange-app.pem');
    await writeFile(pemPath, cert.certificatePem + cert.privateKeyPem, { mode: 0o600 });

    const secret = randomBytes(30).toString('base64').replace(/\+/g, '~').replace(/\//g, '.').replace(/=/g, '');
    const secretApp = sandbox.registerApp('contoso', {
      displayName: 'Backup - Exchange (secret, sandbox)',
      secret,
      roles: EXCHANGE_ROLES,
    });
    const secretPath = join(dir, 'exchange-app.secret');
    await writeFile(secretPath, secret + '\n', { mode: 0o600 });

    const { contoso, fabrikam } = sandbox.tenants;
    const lines = [
      `Sandbox tenant listening on ${sandbox.url}`,
      '',
      'Point backup-panel at it (in another shell):',
      `  export BACKUP_PANEL_M365_ENDPOINT=${sandbox.url}`,
      '',
      'Tenants:',
      `  contoso   ${contoso.id}  ${contoso.domain}  admin ${contoso.admin}  ${contoso.sharePointUrl}`,
      `  fabrikam  ${fabrikam.id}  ${fabrikam.domain}  admin ${fabrikam.admin}  ${fabrikam.sharePointUrl}`,
      '',
      options.autoApproveAfterMs !== undefined
        ? `Device-code sign-ins are approved automatically after ${options.autoApproveAfterMs} ms as the tenant's admin.`
        : `Device-code sign-ins: open ${sandbox.url}/devicelogin and enter the code (or POST ${sandbox.url}/_sandbox/device-codes/CODE/approve).`,
      '',
      'Pre-registered in contoso for manual registration (full_access_as_app, Mail.ReadWrite, Sites.ReadWrite.All, ...):',
      `  certificate app  client id ${certApp.appId}`,
      `                   certificate + private key: ${pemPath}`,
      `  secret app       client id ${secretApp.appId}`,
      `                   secret file: ${secretPath}`,
      '',
      'On-premises: ex01.corp.contoso.com (EWS), autodiscover.corp.contoso.com, sp.corp.contoso.com',
      '  account CORP\\svc-backup (password as in the demo store)',
      '',
      `Data (seed ${options.data?.seed ?? 'backup-panel'}): ${options.data?.mailboxes === undefined ? 'every mailbox' : `${options.data.mailboxes} mailboxes of contoso`} with ${options.data?.messages ?? 24} messages each, ${options.data?.files ?? 24} files per document library.`,
      `  read back and change it: ${sandbox.url}/_sandbox/mail/folders?mailbox=ceo@contoso.com, ${sandbox.url}/_sandbox/drives`,
      '',
      'Press Ctrl+C to stop.',
    ];
    options.out.write(lines.join('\n') + '\n');
  } catch (error) {
    await sandbox.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const tempDir = dir;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await sandbox.close();
      await rm(tempDir, { recursive: true, force: true });
    })());
  const onSignal = (): void => {
    void stop().then(() => options.out.write('Sandbox tenant stopped.\n'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Closing it any other way also removes the signal listeners and the credential files.
  return { ...sandbox, close: stop };
}
