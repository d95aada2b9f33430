import { afterEach, describe, expect, it } from 'vitest';
import { generateCertificate } from '../../src/auth/index.js';
import { cleanup } from '../app/helpers/render.js';
import { NOW } from '../screens/helpers/context.js';
import {
  CTRL_B,
  CTRL_U,
  EXCHANGE_ROLES,
  finish,
  focusedLine,
  focusField,
  KEYS,
  rowOf,
  selectConnection,
  start,
  storeBytes,
  typeText,
  unwrapFrame,
  verified,
  writeTemp,
  type WizardRun,
} from './helpers.js';

let run: WizardRun | undefined;
afterEach(async () => {
  cleanup();
  await run?.fixture.close();
  run = undefined;
});

const DAY = 86_400_000;

/** Edit → Manual registration → Application details. */
async function manualDetails(r: WizardRun, name: string): Promise<void> {
  await selectConnection(r.screen, name);
  await r.screen.press('e');
  await r.screen.press(KEYS.right);
  expect(r.screen.frame()).toMatch(/\(•\) Manual registration/);
  await r.screen.press(KEYS.enter);
  expect(r.screen.frame()).toContain('Application details');
}

async function certificateFile(r: WizardRun, options: Parameters<typeof generateCertificate>[1] = {}): Promise<{ path: string; pem: string; thumbprint: string }> {
  const cert = await generateCertificate('CN=backup-panel-manual', { now: NOW, ...options });
  const path = await writeTemp(r.fixture, `cert-${Math.random().toString(36).slice(2)}.pem`, `${cert.certificatePem}\n${cert.privateKeyPem.reveal()}`);
  return { path, pem: cert.certificatePem, thumbprint: cert.thumbprintSha256 };
}

describe('Edit → Manual registration', () => {
  it('with a certificate file: the field values are prefilled, the checks pass and c-1 is saved modern', async () => {
    run = await start();
    const { screen, fixture } = run;
    const sandbox = await fixture.sandbox();
    await manualDetails(run, 'admin@contoso');
    // Tenant from the old user name's domain, the mailbox it signed in with; no secret prefilled.
    expect(focusedLine(screen.frame())).toMatch(/Tenant ID or domain\s+contoso\.onmicrosoft\.com/);
    expect(screen.frame()).toMatch(/Licensed user mailbox\s+admin@contoso\.onmicrosoft\.com/);
    const file = await certificateFile(run);
    const app = sandbox.registerApp('contoso', { displayName: 'backup manual', certificatePem: file.pem, roles: EXCHANGE_ROLES });
    await focusField(screen, 'Application (client) ID');
    await typeText(screen, app.appId);
    await focusField(screen, 'Certificate file');
    await typeText(screen, file.path);
    await screen.press(KEYS.enter);
    const frame = await verified(screen);
    expect(frame).toContain('Enter: Summary');
    expect(frame).toContain('Sign-in (token): passed');
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain(`manual: client ID ${app.appId}`);
    const done = await finish(screen);
    expect(rowOf(done, 'admin@contoso.onmicrosoft.com')).toMatch(/Microsoft 365\s+modern/);
    const c1 = (await fixture.saved()).connections.find((c) => c.id === 'c-1');
    expect(c1).toMatchObject({ displayName: 'admin@contoso.onmicrosoft.com', credential: { kind: 'app-certificate', clientId: app.appId, certificate: { thumbprintSha256: file.thumbprint }, registration: { method: 'manual' } } });
  });

  it('with a client secret on c-5 (fabrikam): Exchange passes and the secret is sealed', async () => {
    run = await start();
    const { screen, fixture } = run;
    const secret = 'Fab~Secret-Value-123456';
    const app = (await fixture.sandbox()).registerApp('fabrikam', { displayName: 'backup fabrikam', secret, roles: EXCHANGE_ROLES });
    await manualDetails(run, 'backup@fabrikam');
    expect(focusedLine(screen.frame())).toContain('fabrikam.onmicrosoft.com');
    await focusField(screen, 'Application (client) ID');
    await typeText(screen, app.appId);
    await focusField(screen, 'Credential');
    await screen.press(KEYS.space);
    expect(screen.frame()).toMatch(/\(•\) Client secret/);
    await focusField(screen, 'Client secret');
    await typeText(screen, secret);
    await screen.press(KEYS.enter);
    expect(await verified(screen)).toContain('Enter: Summary');
    await screen.press(KEYS.enter);
    // One job: it "keeps" using it (issue 16 item 8).
    expect(unwrapFrame(screen.frame())).toContain("its job 'Fabrikam mailboxes' keeps using it");
    const done = await finish(screen);
    expect(rowOf(done, 'backup@fabrikam')).toMatch(/Microsoft 365\s+modern/);
    const c5 = (await fixture.saved()).connections.find((c) => c.id === 'c-5');
    expect(c5).toMatchObject({ credential: { kind: 'app-secret', clientId: app.appId, tenantId: 'fabrikam.onmicrosoft.com' }, mailbox: 'backup@fabrikam.onmicrosoft.com' });
    expect(await storeBytes(fixture)).not.toContain(secret);
    expect(screen.frames.some((f) => f.includes(secret) || f.includes('Secret-Value'))).toBe(false);
  });

  it('a wrong client ID fails verification with AADSTS700016 and the way back; nothing saved', async () => {
    run = await start();
    const { screen, fixture } = run;
    await manualDetails(run, 'admin@contoso');
    await focusField(screen, 'Application (client) ID');
    await typeText(screen, '11111111-2222-3333-4444-555555555555');
    await focusField(screen, 'Credential');
    await screen.press(KEYS.space);
    await focusField(screen, 'Client secret');
    await typeText(screen, 'any-secret-value');
    await screen.press(KEYS.enter);
    const frame = unwrapFrame(await verified(screen));
    expect(frame).toContain('Sign-in (token): failed');
    expect(frame).toContain('Application not found · AADSTS700016');
    expect(frame).toContain("was not found in tenant 'contoso.onmicrosoft.com' (AADSTS700016)");
    expect(frame).toContain('A check failed; nothing was saved. Ctrl-B goes back to fix the settings');
    // Enter never goes on past a failed check: it runs them again.
    await screen.press(KEYS.enter);
    expect(unwrapFrame(await verified(screen))).toContain('AADSTS700016');
    expect(screen.frame()).toContain('Step 3 of 4: Verification');
    await screen.press(CTRL_B);
    expect(screen.frame()).toContain('Application details');
    expect(screen.frame()).toMatch(/Application \(client\) ID\s+11111111-2222-3333-4444-555555555555/);
    expect(await storeBytes(fixture)).toBe(run.before);
  });

  it('Esc mid-way asks before discarding; No keeps editing, Yes discards and nothing is saved', async () => {
    run = await start();
    const { screen, fixture } = run;
    await manualDetails(run, 'admin@contoso');
    await focusField(screen, 'Application (client) ID');
    await typeText(screen, '1234');
    await screen.press(KEYS.escape);
    expect(screen.frame()).toContain('Discard the changes to this connection?');
    await screen.press('n');
    expect(focusedLine(screen.frame())).toMatch(/Application \(client\) ID\s+1234/);
    await screen.press(KEYS.escape);
    await screen.press('y');
    const frame = screen.frame();
    expect(frame).toContain('Manage server connections');
    expect(frame).toContain('Changes discarded; nothing was saved.');
    expect(await storeBytes(fixture)).toBe(run.before);
  });

  it('Esc on the untouched first step closes at once, without a question', async () => {
    run = await start();
    const { screen } = run;
    await selectConnection(screen, 'admin@contoso');
    await screen.press('e');
    expect(screen.frame()).toContain('Application registration');
    await screen.press(KEYS.escape);
    expect(screen.frames.some((f) => f.includes('Discard the changes'))).toBe(false);
    expect(screen.frame()).toContain('Manage server connections');
    expect(screen.frame()).toContain('Wizard closed; nothing was changed.');
  });
});

describe('validation in place, before Next', () => {
  it('a malformed GUID is flagged under the field when leaving it, and Next stays on the step', async () => {
    run = await start();
    const { screen } = run;
    await manualDetails(run, 'admin@contoso');
    await focusField(screen, 'Application (client) ID');
    await typeText(screen, 'not-a-guid');
    await screen.press(KEYS.tab);
    expect(unwrapFrame(screen.frame())).toContain("'not-a-guid' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Application details');
    // Next focuses the first field in error.
    expect(focusedLine(screen.frame())).toContain('Application (client) ID');
    expect(unwrapFrame(screen.frame())).toContain('Give the path of the certificate file');
  });

  it('refuses a 1024-bit key and an expired certificate; warns about one expiring within 30 days', async () => {
    run = await start();
    const { screen } = run;
    await manualDetails(run, 'admin@contoso');
    await focusField(screen, 'Application (client) ID');
    await typeText(screen, '0b599d0e-2650-4dda-91f9-5689424cc27d');

    const small = await certificateFile(run, { keyBits: 1024 });
    await focusField(screen, 'Certificate file');
    await typeText(screen, small.path);
    await screen.press(KEYS.enter);
    let frame = unwrapFrame(await screen.waitFor((f) => unwrapFrame(f).includes('2048 bits'), 10_000));
    expect(frame).toContain('The certificate used must have a key size of at least 2048 bits. This one has 1024.');
    expect(screen.frame()).toContain('Application details');

    const expired = await certificateFile(run, { notBefore: new Date(NOW.getTime() - 400 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
    await focusField(screen, 'Certificate file');
    await screen.press(CTRL_U);
    await typeText(screen, expired.path);
    await screen.press(KEYS.enter);
    frame = unwrapFrame(await screen.waitFor((f) => unwrapFrame(f).includes('expired on'), 10_000));
    expect(frame).toContain(`expired on ${new Date(NOW.getTime() - DAY).toISOString().slice(0, 10)}`);
    expect(screen.frame()).toContain('Application details');

    const soon = await certificateFile(run, { notAfter: new Date(NOW.getTime() + 10 * DAY) });
    await focusField(screen, 'Certificate file');
    await screen.press(CTRL_U);
    await typeText(screen, soon.path);
    await screen.press(KEYS.enter);
    frame = unwrapFrame(await screen.waitFor((f) => unwrapFrame(f).includes('within 30 days'), 10_000));
    expect(frame).toContain(`It expires on ${new Date(NOW.getTime() + 10 * DAY).toISOString().slice(0, 10)}, within 30 days`);
    expect(frame).toContain('Enter goes on with this certificate.');
    expect(screen.frame()).toContain('Application details');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Verification'), 10_000);
  });

  it('an unreadable path is named with the reason', async () => {
    run = await start();
    const { screen } = run;
    await manualDetails(run, 'admin@contoso');
    await focusField(screen, 'Application (client) ID');
    await typeText(screen, '0b599d0e-2650-4dda-91f9-5689424cc27d');
    await focusField(screen, 'Certificate file');
    await typeText(screen, '/nonexistent/cert.pem');
    await screen.press(KEYS.enter);
    const frame = unwrapFrame(await screen.waitFor((f) => unwrapFrame(f).includes('Cannot read'), 10_000));
    expect(frame).toContain("Cannot read the certificate file '/nonexistent/cert.pem' (no such file).");
  });
});

describe('masked inputs', () => {
  it('never show a secret or its length: a long and a short secret render identically', async () => {
    run = await start();
    const { screen } = run;
    await manualDetails(run, 'backup@fabrikam');
    await focusField(screen, 'Credential');
    await screen.press(KEYS.space);
    await focusField(screen, 'Client secret');
    const empty = focusedLine(screen.frame());
    expect(empty).toMatch(/Client secret \(value\)\s+\(empty\) _/);
    const long = 'Zx7~LongSecretValueThatGoesOnAndOn-0123456789abcdefghij';
    const short = 'Qk3';
    await typeText(screen, long);
    const withLong = focusedLine(screen.frame());
    await screen.press(CTRL_U);
    expect(focusedLine(screen.frame())).toBe(empty);
    await typeText(screen, short);
    const withShort = focusedLine(screen.frame());
    expect(withLong).toBe(withShort);
    expect(withShort).toMatch(/Client secret \(value\)\s+\[hidden\] _\s*$/);
    // Backspace deletes one character; the display does not change with the length.
    await screen.pressTogether(KEYS.backspace);
    expect(focusedLine(screen.frame())).toBe(withShort);
    const all = screen.frames.join('\n');
    for (const fragment of ['LongSecret', 'Zx7', 'Qk3', '0123456789abcdefghij', '*'.repeat(long.length), '•'.repeat(3)]) expect(all).not.toContain(fragment);
  });
});
