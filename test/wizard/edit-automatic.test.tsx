import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { listAlerts } from '../../src/services/index.js';
import { cleanup } from '../app/helpers/render.js';
import { NOW } from '../screens/helpers/context.js';
import { approveFromScreen, CTRL_B, finish, KEYS, rowOf, selectConnection, start, storeBytes, unwrapFrame, userCodeOf, verified, type WizardRun } from './helpers.js';

let run: WizardRun | undefined;
afterEach(async () => {
  cleanup();
  await run?.fixture.close();
  run = undefined;
});

const OBSOLETE_C1 = "Server connection 'admin@contoso.onmicrosoft.com' needs to be reconfigured";

describe('Edit an obsolete Exchange Online connection, automatic registration', () => {
  it('signs in by device code, registers, verifies and saves c-1 as modern; jobs and name stay', async () => {
    run = await start();
    const { screen, fixture } = run;
    await screen.press('3');
    expect(unwrapFrame(screen.frame())).toContain(OBSOLETE_C1);
    await selectConnection(screen, 'admin@contoso');
    await screen.press('e');
    let frame = screen.frame();
    // Opens at Application registration, location fixed, no Basic option.
    expect(frame).toContain("Edit 'admin@contoso.onmicrosoft.com' [obsolete]");
    expect(frame).toContain('Application registration');
    expect(frame).toMatch(/\(•\) Automatic registration/);
    expect(frame).toContain('( ) Manual registration');
    expect(frame).not.toMatch(/Basic Authentication \(user name/i);
    expect(frame).not.toContain('Server location');

    await screen.press(KEYS.enter);
    frame = screen.frame();
    // The permissions, tenant-wide, before signing in.
    expect(frame).toContain('Permissions');
    // Least privilege, Graph first (issue 12 item 4): no EWS role unless asked for.
    expect(frame).toContain('MailboxSettings.Read (Microsoft Graph)');
    expect(frame).toContain('Mail.ReadWrite (Microsoft Graph)');
    expect(unwrapFrame(frame)).toContain('tenant-wide and at once');
    expect(frame).toContain('Sign in >');

    await screen.press(KEYS.enter);
    const code = await approveFromScreen(run);
    frame = screen.frame();
    expect(frame).toContain('https://microsoft.com/devicelogin');
    expect(frame).toMatch(/Time left\s+1[45]:\d\d/);
    // Issue 12: the roles named as auth/admin-roles.ts decides them.
    expect(unwrapFrame(frame)).toContain('Global Administrator, or Privileged Role Administrator together with Application Administrator');
    expect(unwrapFrame(frame)).not.toContain('Global Administrator or Privileged Role Administrator role');
    expect(frame).not.toContain('Demo:');
    expect(code).toMatch(/^[A-Z0-9]{8}$/);

    // Registration progress, then verification with recentlyRegistered.
    await screen.waitFor((f) => f.includes('Registering') || f.includes('Verification'), 15_000);
    await screen.waitFor((f) => f.includes('Sign-in (token)'), 15_000);
    const seen = screen.frames.map(unwrapFrame).join('\n');
    expect(seen).toContain('Signed in as admin@contoso.onmicrosoft.com');
    expect(seen).toMatch(/App registration 'backup-panel Exchange \(backup01\)' created \(client ID [0-9a-f-]{36}\)/);
    expect(seen).toMatch(/Granting Mail\.ReadWrite \(1 of 3\)/);
    expect(seen).toMatch(/service principal/i);
    frame = await verified(screen);
    expect(frame).toContain('Sign-in (token): passed');
    expect(frame).toContain('Mailbox (Microsoft Graph): passed');
    expect(frame).toContain('Enter: Summary');
    expect(fixture.verified.at(-1)).toMatchObject({ kind: 'online-app', recentlyRegistered: true, mailbox: 'admin@contoso.onmicrosoft.com', tenantId: '6b0d3a57-8f3e-4c1a-9b2d-5e7f1a2c3d4e' });
    // Nothing is saved before Finish.
    expect(await storeBytes(fixture)).toBe(run.before);

    await screen.press(KEYS.enter);
    frame = screen.frame();
    expect(frame).toContain('Summary');
    expect(frame).toMatch(/Connection name\s+admin@contoso\.onmicrosoft\.com/);
    expect(frame).toContain('(kept; type another name to rename it)');
    expect(frame).toMatch(/Authentication\s+modern/);
    expect(unwrapFrame(frame)).toContain("'Mailboxes - nightly', 'Restore CEO mailbox' keep using it");
    expect(frame).toContain("automatic: 'backup-panel Exchange (backup01)'");

    frame = await finish(screen);
    expect(rowOf(frame, 'admin@contoso.onmicrosoft.com')).toMatch(/admin@contoso\.onmicrosoft\.com\s+Microsoft 365\s+modern/);
    expect(rowOf(frame, 'admin@contoso.onmicrosoft.com')).not.toContain('[obsolete]');

    const saved = await fixture.saved();
    const c1 = saved.connections.find((c) => c.id === 'c-1');
    expect(c1).toMatchObject({ id: 'c-1', displayName: 'admin@contoso.onmicrosoft.com', location: 'online', mailbox: 'admin@contoso.onmicrosoft.com', credential: { kind: 'app-certificate', registration: { method: 'automatic', registeredBy: 'admin@contoso.onmicrosoft.com' } } });
    expect(c1).not.toHaveProperty('obsoleteSince');
    expect(saved.jobs.filter((j) => j.connectionId === 'c-1').map((j) => j.id).sort()).toEqual(['j-1', 'j-4']);
    expect(listAlerts(saved, NOW).some((a) => a.category === 'obsolete-connection' && a.connectionId === 'c-1')).toBe(false);
    const file = await readFile(fixture.store.path, 'utf8');
    expect(file).not.toContain('Winter2020!');
    expect(JSON.stringify(c1)).not.toContain('"password"');
    const audit = await readFile(`${fixture.store.path}.audit.log`, 'utf8');
    expect(audit).toMatch(/"connection\.reconfigure"/);
    expect(audit).toMatch(/"c-1"/);
    const clientId = c1?.location === 'online' && c1.credential.kind === 'app-certificate' ? c1.credential.clientId : '';
    const app = (await fixture.sandbox()).getApp(clientId);
    expect(app?.certificateThumbprintsSha256).toContain(c1?.location === 'online' && c1.credential.kind === 'app-certificate' ? c1.credential.certificate.thumbprintSha256 : 'x');
    expect(app?.grantedRoles).toEqual(expect.arrayContaining(['Mail.ReadWrite', 'MailboxSettings.Read', 'User.Read.All']));
    expect(app?.displayName).toBe('backup-panel Exchange (backup01)');

    // The Bad news card and list no longer name c-1.
    await screen.press('1');
    expect(unwrapFrame(screen.frame())).not.toContain(OBSOLETE_C1);
    await screen.press('3');
    expect(unwrapFrame(screen.frame())).not.toContain(OBSOLETE_C1);
    expect(unwrapFrame(screen.frame())).toContain("Server connection 'contoso.sharepoint.com' needs to be reconfigured");
  });

  it('a declined device code ends in a clear message with the way back to Manual registration; nothing saved', async () => {
    run = await start();
    const { screen, fixture } = run;
    await selectConnection(screen, 'admin@contoso');
    await screen.press('e');
    await screen.press(KEYS.enter);
    await screen.press(KEYS.enter);
    const frame0 = await screen.waitFor((f) => userCodeOf(f) !== undefined, 15_000);
    const code = userCodeOf(frame0) ?? '';
    (await fixture.sandbox()).declineDeviceCode(code);
    const frame = unwrapFrame(await screen.waitFor((f) => f.includes('Sign-in failed'), 15_000));
    expect(frame).toContain('Sign-in failed — Sign-in declined · AADSTS65004');
    expect(frame).toContain('The sign-in was declined in the browser');
    expect(frame).toContain('Choose Manual registration instead');
    expect(frame).toContain('Ctrl-B goes back to Application registration');
    await screen.press(CTRL_B);
    expect(screen.frame()).toContain(' Application registration');
    expect(screen.frame()).toMatch(/\( \) Manual registration/);
    await screen.press(KEYS.right);
    expect(screen.frame()).toMatch(/\(•\) Manual registration/);
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Application details');
    expect(await storeBytes(fixture)).toBe(run.before);
  });

  it('Esc cancels the sign-in (the poll stops) and offers the way back', async () => {
    run = await start();
    const { screen, fixture } = run;
    await selectConnection(screen, 'admin@contoso');
    await screen.press('e');
    await screen.press(KEYS.enter);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => userCodeOf(f) !== undefined, 15_000);
    await screen.press(KEYS.escape);
    const frame = unwrapFrame(await screen.waitFor((f) => f.includes('Sign-in cancelled'), 10_000));
    expect(frame).toContain('Ctrl-B goes back to Application registration');
    expect((await fixture.sandbox()).pendingDeviceCodes()).toHaveLength(1);
    expect(await storeBytes(fixture)).toBe(run.before);
  });

  it('in the demo the device-code step says the sandbox approves the sign-in by itself', async () => {
    run = await start({ demo: true });
    const { screen } = run;
    await selectConnection(screen, 'admin@contoso');
    await screen.press('e');
    await screen.press(KEYS.enter);
    await screen.press(KEYS.enter);
    const frame = unwrapFrame(await screen.waitFor((f) => userCodeOf(f) !== undefined, 15_000));
    expect(frame).toContain('Demo: the sandbox tenant approves this sign-in by itself in a few seconds');
  });

  it('a save refused because another session changed c-1 is shown and the wizard stays open', async () => {
    run = await start({ pollMs: 60_000 });
    const { screen, fixture } = run;
    await selectConnection(screen, 'admin@contoso');
    await screen.press('e');
    await screen.press(KEYS.enter);
    await screen.press(KEYS.enter);
    await approveFromScreen(run);
    await verified(screen);
    await screen.press(KEYS.enter);
    await fixture.otherSession((doc) => {
      const c1 = doc.connections.find((c) => c.id === 'c-1');
      if (c1) c1.modified = '2026-11-20T09:59:00.000Z';
    });
    await screen.press(KEYS.enter);
    const frame = unwrapFrame(await screen.waitFor((f) => f.includes('Not saved'), 10_000));
    expect(frame).toContain('was changed by another session after you opened it');
    expect(frame).toContain('Summary');
    expect(frame).toContain('Nothing you entered is lost');
    const saved = await fixture.saved();
    expect(saved.connections.find((c) => c.id === 'c-1')?.credential.kind).toBe('basic');
    // Still in the wizard: Esc asks before discarding.
    await screen.press(KEYS.escape);
    expect(screen.frame()).toContain('Discard the changes to this connection?');
  });
});
