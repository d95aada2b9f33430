import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoAppHooks } from '../../src/app/container/options.js';
import { generateCertificate } from '../../src/auth/index.js';
import { readyAppRoles } from '../../src/services/demo-data.js';
import { cleanup } from '../app/helpers/render.js';
import type { Fixture } from '../screens/helpers/context.js';
import { finish, KEYS, pressUntil, rowOf, selectConnection, start, typeText, unwrapFrame, verified, type WizardRun } from './helpers.js';

/** Issue 16 item 1: the demo's ready app on the Application details step, and the demo tenant taking a generated certificate. */

let run: WizardRun | undefined;
afterEach(async () => {
  cleanup();
  await run?.fixture.close();
  run = undefined;
});

let added: string[] = [];

/** A ready app as the demo makes it: registered in contoso under a client ID chosen beforehand, with the demo's roles and its own certificate. */
async function readyApp(fixture: Fixture): Promise<DemoAppHooks> {
  const sandbox = await fixture.sandbox();
  const clientId = randomUUID();
  const material = await generateCertificate('CN=backup-panel demo ready app', { now: fixture.ctx.now() });
  sandbox.registerApp('contoso', { appId: clientId, displayName: 'backup-panel demo ready app', certificatePem: material.certificatePem, roles: readyAppRoles() });
  const dir = join(fixture.store.path, '..');
  await writeFile(join(dir, 'ready-app.pem'), `${material.certificatePem.trim()}\n${material.privateKeyPem.reveal().trim()}\n`, { mode: 0o600 });
  added = [];
  return {
    app: { tenant: 'contoso.onmicrosoft.com', clientId, certificatePath: join(dir, 'ready-app.pem'), newCertificatePath: join(dir, 'backup-panel-demo.cer') },
    addCertificate: async (pem) => {
      added.push(pem);
      sandbox.addCertificate(clientId, pem);
    },
  };
}

async function toApplicationDetails(r: WizardRun): Promise<string> {
  await selectConnection(r.screen, 'admin@contoso');
  await r.screen.press('e');
  await r.screen.press(KEYS.right);
  await r.screen.press(KEYS.enter);
  return r.screen.waitFor((f) => f.includes('Tenant ID or domain'));
}

describe("the demo's ready app on Application details", () => {
  it('is named, marked as the demo, and wrapped within 80 columns', async () => {
    run = await start({ demo: true, demoApp: readyApp });
    const frame = await toApplicationDetails(run);
    const id = /Application \(client\) ID ([0-9a-f-]{36}), certificate (\S+)/.exec(unwrapFrame(frame));
    expect(unwrapFrame(frame)).toMatch(/Demo: a ready app is registered in the sandbox tenant: tenant contoso\.onmicrosoft\.com, Application \(client\) ID [0-9a-f-]{36}, certificate \S+ready-app\.pem/);
    expect(id?.[2]).toBe(join(run.fixture.store.path, '..', 'ready-app.pem'));
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('is not there outside the demo', async () => {
    run = await start();
    expect(unwrapFrame(await toApplicationDetails(run))).not.toContain('ready app');
  });

  it('takes a certificate generated in the demo, as the admin would upload it; its client ID then passes the checks', async () => {
    run = await start({ demo: true, demoApp: readyApp });
    const { screen } = run;
    const frame = unwrapFrame(await toApplicationDetails(run));
    const clientId = /Application \(client\) ID ([0-9a-f-]{36})/.exec(frame)?.[1] ?? '';
    // Credential: Certificate file -> Client secret -> New certificate; its file goes to the demo folder by default.
    await screen.press(KEYS.tab);
    await screen.press(KEYS.tab);
    await screen.press(KEYS.space);
    await screen.press(KEYS.space);
    expect(unwrapFrame(screen.frame())).toContain(`Public certificate to ${join(run.fixture.store.path, '..', 'backup-panel-demo.cer')}`);
    await screen.press(KEYS.enter);
    const shown = unwrapFrame(await screen.waitFor((f) => unwrapFrame(f).includes('Public certificate written to'), 30_000));
    expect(shown).toContain(
      `Demo: the sandbox tenant added this certificate to the ready app, as you would upload it in the Microsoft Entra admin center. Type its Application (client) ID below, ${clientId}, then Enter.`,
    );
    // The public certificate only went to the tenant.
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(added[0]).not.toContain('PRIVATE KEY');
    await typeText(screen, clientId);
    await screen.press(KEYS.enter);
    expect(await verified(screen)).toContain('Enter: Summary');
    await screen.press(KEYS.enter);
    const done = await finish(screen);
    expect(rowOf(done, 'admin@contoso.onmicrosoft.com')).toMatch(/Microsoft 365\s+modern/);
  });

  it("with its certificate file, SharePoint's c-2 passes the checks too (the ready app holds what both services need)", async () => {
    run = await start({ demo: true, demoApp: readyApp });
    const { screen } = run;
    await selectConnection(screen, 'contoso.sharepoint.com');
    await screen.press('e');
    await screen.press(KEYS.right);
    await screen.press(KEYS.enter);
    const frame = unwrapFrame(await screen.waitFor((f) => f.includes('Tenant ID or domain')));
    const [, clientId = '', certificate = ''] = /Application \(client\) ID ([0-9a-f-]{36}), certificate (\S+)/.exec(frame) ?? [];
    await screen.press(KEYS.tab);
    await typeText(screen, clientId);
    await screen.press(KEYS.tab);
    await screen.press(KEYS.tab);
    await typeText(screen, certificate);
    await screen.press(KEYS.enter);
    await pressUntil(screen, KEYS.enter, (f) => f.includes('Checking') || f.includes('Enter: Summary') || f.includes('A check failed'), 4);
    const checks = await verified(screen);
    expect(checks, checks).toContain('Enter: Summary');
    await screen.press(KEYS.enter);
    const done = await finish(screen);
    expect(rowOf(done, 'contoso.sharepoint.com')).toMatch(/Microsoft 365\s+modern/);
  });
});
