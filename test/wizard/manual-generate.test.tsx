import { lstat, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '../app/helpers/render.js';
import { CTRL_U, EXCHANGE_ROLES, finish, focusField, KEYS, rowOf, selectConnection, start, storeBytes, typeText, unwrapFrame, verified, type WizardRun } from './helpers.js';

/** Issue 16 item 1: Manual registration with a certificate the panel generates (its public part uploaded by the admin). */

let run: WizardRun | undefined;
afterEach(async () => {
  cleanup();
  await run?.fixture.close();
  run = undefined;
});

async function generateOn(r: WizardRun, path: string): Promise<void> {
  const { screen } = r;
  await selectConnection(screen, 'admin@contoso');
  await screen.press('e');
  await screen.press(KEYS.right);
  await screen.press(KEYS.enter);
  await focusField(screen, 'Credential');
  // Certificate file → Client secret → New certificate.
  await screen.press(KEYS.space);
  await screen.press(KEYS.space);
  expect(screen.frame()).toMatch(/\(•\) New certificate/);
  await focusField(screen, 'Public certificate to');
  await screen.press(CTRL_U);
  await typeText(screen, path);
  // No client ID yet: the app is registered with this certificate afterwards.
  await screen.press(KEYS.enter);
}

describe('Manual registration with a generated certificate', () => {
  it('writes the public certificate only, shows thumbprint and expiry, and saves c-1 with the key sealed', async () => {
    run = await start();
    const { screen, fixture } = run;
    const path = join(fixture.store.path, '..', 'backup-panel.cer');
    await generateOn(run, path);
    const shown = unwrapFrame(await screen.waitFor((f) => unwrapFrame(f).includes('Public certificate written to'), 30_000));
    const pem = await readFile(path, 'utf8');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(pem).not.toContain('PRIVATE KEY');
    expect((await lstat(path)).mode & 0o777).toBe(0o644);
    const thumbprint = /SHA-256 thumbprint ([0-9a-f]{64})/.exec(shown)?.[1];
    expect(thumbprint).toBeDefined();
    expect(shown).toMatch(/valid until 2027-11-20/);
    expect(shown).toContain('Upload that file to the app registration');

    // The admin uploads it to an app in the tenant and types its client ID.
    const app = (await fixture.sandbox()).registerApp('contoso', { displayName: 'backup manual generated', certificatePem: pem, roles: EXCHANGE_ROLES });
    await focusField(screen, 'Application (client) ID');
    await typeText(screen, app.appId);
    await screen.press(KEYS.enter);
    expect(await verified(screen)).toContain('Enter: Summary');
    await screen.press(KEYS.enter);
    expect(screen.frame()).toMatch(/New certificate\s+SHA-256/);
    const done = await finish(screen);
    expect(rowOf(done, 'admin@contoso.onmicrosoft.com')).toMatch(/Microsoft 365\s+modern/);
    const c1 = (await fixture.saved()).connections.find((c) => c.id === 'c-1');
    expect(c1).toMatchObject({ credential: { kind: 'app-certificate', clientId: app.appId, certificate: { thumbprintSha256: thumbprint }, registration: { method: 'manual' } } });
    expect(await storeBytes(fixture)).not.toContain('PRIVATE KEY');
  });

  it('never writes over an existing file or through a link', async () => {
    run = await start();
    const { screen, fixture } = run;
    const target = join(fixture.store.path, '..', 'elsewhere.txt');
    const link = join(fixture.store.path, '..', 'link.cer');
    await symlink(target, link);
    await generateOn(run, link);
    const frame = unwrapFrame(await screen.waitFor((f) => unwrapFrame(f).includes('Cannot write the certificate'), 30_000));
    expect(frame).toMatch(/Cannot write the certificate to '.*link\.cer' \(a file is already there; choose another name\)/);
    await expect(lstat(target)).rejects.toThrow();
  });
});
