import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '../app/helpers/render.js';
import { CTRL_U, EXCHANGE_ROLES, focusField, KEYS, selectConnection, start, storeBytes, typeText, verified, type WizardRun } from './helpers.js';

/** A dialog's text as one line (its borders taken off). */
const dialogText = (frame: string) =>
  frame
    .split('\n')
    .filter((l) => l.startsWith('│'))
    .map((l) => l.replaceAll('│', '').trim())
    .join(' ');

/** Issue 12 item 5 in the panel: an edit that moves a connection to another tenant asks first, naming its jobs. */

let run: WizardRun | undefined;
afterEach(async () => {
  cleanup();
  await run?.fixture.close();
  run = undefined;
});

describe('a cross-tenant edit', () => {
  it('asks, naming the jobs; Keep saves nothing, Move saves the other tenant', async () => {
    run = await start();
    const { screen, fixture } = run;
    const secret = 'Fab~Secret-Value-123456';
    const app = (await fixture.sandbox()).registerApp('fabrikam', { displayName: 'backup fabrikam', secret, roles: EXCHANGE_ROLES });
    await selectConnection(screen, 'admin@contoso');
    await screen.press('e');
    await screen.press(KEYS.right);
    await screen.press(KEYS.enter);
    await screen.press(CTRL_U);
    await typeText(screen, 'fabrikam.onmicrosoft.com');
    await focusField(screen, 'Application (client) ID');
    await typeText(screen, app.appId);
    await focusField(screen, 'Credential');
    await screen.press(KEYS.space);
    await focusField(screen, 'Client secret');
    await typeText(screen, secret);
    await focusField(screen, 'Licensed user mailbox');
    await screen.press(CTRL_U);
    await typeText(screen, 'backup@fabrikam.onmicrosoft.com');
    await screen.press(KEYS.enter);
    expect(await verified(screen)).toContain('Enter: Summary');
    await screen.press(KEYS.enter);
    const before = await storeBytes(fixture);
    await screen.press(KEYS.enter);
    let frame = dialogText(await screen.waitFor((f) => f.includes('Another tenant'), 15_000));
    expect(frame).toContain("'Mailboxes - nightly', 'Restore CEO mailbox'");
    expect(frame).toContain('Move it to the other tenant?');
    await screen.press('n');
    expect(await storeBytes(fixture)).toBe(before);
    await screen.press(KEYS.enter);
    frame = dialogText(await screen.waitFor((f) => f.includes('Another tenant'), 15_000));
    expect(frame).toContain("'fabrikam.onmicrosoft.com'");
    await screen.press('y');
    await screen.waitFor((f) => f.includes('Manage server connections') && f.includes('saved'), 15_000);
    const c1 = (await fixture.saved()).connections.find((c) => c.id === 'c-1');
    expect(c1).toMatchObject({ credential: { kind: 'app-secret', tenantId: 'fabrikam.onmicrosoft.com', clientId: app.appId } });
  });
});
