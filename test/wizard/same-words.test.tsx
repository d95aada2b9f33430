import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reportError } from '../../src/commands/runtime.js';
import { Secret } from '../../src/domain/index.js';
import { validateNewConnection } from '../../src/services/index.js';
import { cleanup } from '../app/helpers/render.js';
import { fixtureStore, runCli } from '../helpers/cli.js';
import { CTRL_U, KEYS, selectConnection, start, typeText, unwrapFrame, type WizardRun } from './helpers.js';

/**
 * Field rules and error words live once (domain/field-rules.ts, services/describe-error.ts): the
 * CLI and the panel say the same sentence about the same bad value.
 */

let run: WizardRun | undefined;
const dirs: string[] = [];
afterEach(async () => {
  cleanup();
  await run?.fixture.close();
  run = undefined;
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const GUID = '8647ebdd-0fd4-4d8b-934e-f43923cdaaf6';

/** `connections reconfigure` with one bad value; returns the error line without the program's name. */
async function cliSays(tenant: string, clientId: string): Promise<string> {
  const { dir, store } = await fixtureStore();
  dirs.push(dir);
  const secret = join(dir, 'secret.txt');
  await writeFile(secret, 'not-used-the-input-is-refused-first', { mode: 0o600 });
  const result = await runCli(['connections', 'reconfigure', 'c-1', '--tenant', tenant, '--client-id', clientId, '--client-secret-file', secret, '--store', store]);
  expect(result.code).toBe(2);
  const line = result.stderr.split('\n').find((l) => l.startsWith('backup-panel: ')) ?? '';
  return line.slice('backup-panel: '.length);
}

/** The panel: Edit c-1 → Manual registration → Application details, a value typed into `field`, then Tab. */
async function panelSays(field: 'tenant' | 'clientId', value: string): Promise<string> {
  run = await start({ size: { columns: 120, rows: 40 } });
  const { screen } = run;
  await selectConnection(screen, 'admin@contoso');
  await screen.press('e');
  await screen.press(KEYS.right);
  await screen.press(KEYS.enter);
  expect(screen.frame()).toContain('Application details');
  if (field === 'clientId') await screen.press(KEYS.tab);
  await screen.press(CTRL_U);
  await typeText(screen, value);
  await screen.press(KEYS.tab);
  return unwrapFrame(screen.frame());
}

describe('the CLI and the panel word a bad value the same way', () => {
  it('a bad tenant', async () => {
    const cli = await cliSays('contoso onmicrosoft', GUID);
    expect(cli).toBe("Tenant 'contoso onmicrosoft' is neither a directory (tenant) ID (a GUID) nor a domain such as contoso.onmicrosoft.com.");
    expect(await panelSays('tenant', 'contoso onmicrosoft')).toContain(`✗ ${cli}`);
  });

  it('a bad GUID', async () => {
    const cli = await cliSays('contoso.onmicrosoft.com', '8647ebdd-0fd4-4d8b-934e');
    expect(cli).toMatch(/^Application \(client\) ID '8647ebdd-0fd4-4d8b-934e' is not a GUID/);
    expect(await panelSays('clientId', '8647ebdd-0fd4-4d8b-934e')).toContain(`✗ ${cli}`);
  });

  it('a bad URL', async () => {
    // No CLI option takes a SharePoint URL yet: the CLI's error printer gets the service's refusal.
    const url = 'http://contoso.sharepoint.com';
    let printed = '';
    const io = { stdout: process.stdout, stdin: process.stdin, stderr: { write: (s: string) => ((printed += s), true) } as unknown as NodeJS.WritableStream };
    try {
      validateNewConnection(
        {
          service: 'sharepoint',
          location: 'online',
          displayName: 'x',
          url,
          modern: { tenantId: 'contoso.onmicrosoft.com', clientId: GUID, credential: { kind: 'secret', clientSecret: new Secret('s') }, registration: { method: 'manual' } },
        },
        new Date(),
      );
    } catch (error) {
      reportError(io, error);
    }
    const cli = printed.trim().slice('backup-panel: '.length);
    expect(cli).toBe('SharePoint server URL must start with https:// (http is accepted only for this machine).');

    run = await start({ size: { columns: 120, rows: 40 } });
    const { screen } = run;
    await screen.press('2');
    await screen.press('n');
    await screen.press(KEYS.down);
    await screen.press(KEYS.enter);
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('SharePoint server URL');
    await screen.press(CTRL_U);
    await typeText(screen, url);
    await screen.press(KEYS.enter);
    expect(unwrapFrame(screen.frame())).toContain(`✗ ${cli}`);
  });
});
