import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { createAuth, generateCertificate } from '../../src/auth/index.js';
import type { Fault, Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { ServiceContext } from '../../src/services/index.js';
import { reconfigureConnection, saveModernAuth } from '../../src/services/index.js';
import type { Store } from '../../src/store/index.js';
import { openStore } from '../../src/store/index.js';
import { cleanup, KEYS, renderSized, unwrap, type Screen } from '../app/helpers/render.js';
import { closedPort } from '../auth/helpers.js';
import { FIXTURE_V1 } from '../helpers/cli.js';
import { copyStoreDir, fingerprint, tempDir } from './helpers/files.js';
import { terminalActive } from './helpers/hostile.js';

/**
 * Network faults in the panel: Manage server connections → t (Test), with the real store and the
 * real Microsoft identity code against the sandbox, BACKUP_PANEL_HTTP_TIMEOUT_MS' equivalent set
 * to 1.5 s. The progress shows, the screen keeps answering while a request hangs, Esc cancels, and
 * the final message names the cause.
 */

const TIMEOUT_MS = 1500;
const NOW = new Date('2026-11-20T10:00:00Z');
const EXCHANGE_ROLES = ['full_access_as_app', 'Mail.ReadWrite', 'MailboxSettings.ReadWrite', 'User.Read.All'];

let sandbox: Sandbox;
/** The migrated fixture with c-1 on Modern Authentication (certificate, all roles). */
let template: string;
/** The same, with c-1 on an app whose admin consent covers User.Read.All only. */
let fewRolesTemplate: string;

async function prepare(dir: string, roles: readonly string[], verified: boolean): Promise<void> {
  await copyFile(FIXTURE_V1, join(dir, 'store.json'));
  const store = await openStore({ path: join(dir, 'store.json'), now: () => NOW });
  try {
    const certificate = await generateCertificate('CN=backup-panel-hardening-tui', { now: NOW });
    const { appId } = sandbox.registerApp('contoso', { displayName: 'hardening tui', certificatePem: certificate.certificatePem, roles: [...roles] });
    const ctx: ServiceContext = { store, now: () => NOW, auth: async () => createAuth({ endpoint: sandbox.url, now: () => NOW }) };
    const input = { tenantId: sandbox.tenants.contoso.id, clientId: appId, credential: { kind: 'certificate' as const, certificate }, registration: { method: 'manual' as const } };
    if (verified) await reconfigureConnection(ctx, 'c-1', input);
    // An app whose consent was withdrawn after it was saved: stored as it was when it still worked.
    else await saveModernAuth(ctx, 'c-1', input, [{ name: 'Sign-in (token)', status: 'pass', message: 'signed in' }]);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  sandbox = await startSandbox();
  template = await tempDir();
  fewRolesTemplate = await tempDir();
  await prepare(template, EXCHANGE_ROLES, true);
  await prepare(fewRolesTemplate, ['User.Read.All'], false);
});
afterAll(async () => {
  await sandbox.close();
});

let store: Store | undefined;
afterEach(async () => {
  cleanup();
  sandbox.clearFaults();
  await store?.close();
  store = undefined;
});

async function panel(options: { endpoint?: string; from?: string } = {}): Promise<{ screen: Screen; dir: string }> {
  const { dir, store: path } = await copyStoreDir(options.from ?? template);
  store = await openStore({ path, now: () => NOW });
  const auth = createAuth({ endpoint: options.endpoint ?? sandbox.url, timeoutMs: TIMEOUT_MS, now: () => NOW });
  const ctx: ServiceContext = { store, now: () => NOW, auth: async () => auth };
  const screen = await renderSized(<App ctx={ctx} color={false} ascii={false} host="backup01" />, { columns: 100, rows: 30 });
  await screen.press('2');
  await screen.waitFor((f) => f.includes('Manage server connections (6)'));
  return { screen, dir };
}

/** Moves the list cursor to the row of a connection and presses t. */
async function test(screen: Screen, name: string): Promise<void> {
  for (let i = 0; i < 6 && !(screen.frame().split('\n').find((l) => l.startsWith('›')) ?? '').includes(name); i++) await screen.press('j');
  expect(screen.frame().split('\n').find((l) => l.startsWith('›'))).toContain(name);
  await screen.press('t');
}

async function outcome(screen: Screen, timeoutMs = 15_000): Promise<string> {
  const frame = await screen.waitFor((f) => /Test failed at|checks passed|The check passed|Test passed with|Test cancelled|Test failed:/.test(unwrap(f)), timeoutMs);
  expect(terminalActive(frame)).toEqual([]);
  return unwrap(frame);
}

describe('Test on Manage server connections under network faults', () => {
  it('a request that never ends: progress shows, the screen keeps answering, Esc cancels at once, nothing is recorded', async () => {
    const { screen, dir } = await panel();
    sandbox.inject({ host: 'ex01.corp.contoso.com', respond: 'hang', times: Infinity });
    const before = await fingerprint(dir);
    await test(screen, 'ex01.corp.contoso.com');
    await screen.waitFor((f) => f.includes('Running: EWS (Basic)'));
    expect(screen.frame()).toContain("Testing server connection 'ex01.corp.contoso.com'");
    expect(screen.frame()).toContain('Esc cancel');
    // Responsive while the request hangs: a resize re-lays the whole screen out at once…
    await screen.resize(80, 24);
    const narrow = screen.frame();
    expect(narrow.split('\n').every((l) => l.length <= 80)).toBe(true);
    expect(narrow).toContain('Running: EWS (Basic)');
    await screen.resize(100, 30);
    // …a key that means nothing here changes nothing and breaks nothing…
    await screen.press(KEYS.enter, 100);
    expect(screen.frame()).toContain('Running: EWS (Basic)');
    // …and Esc cancels: "cancelled", not the timeout's "did not answer within 1.5 s".
    await screen.press(KEYS.escape);
    const text = await outcome(screen);
    expect(text).toContain('Test cancelled.');
    expect(text).not.toContain('did not answer');
    await screen.press(KEYS.escape);
    expect(screen.frame()).toContain('Manage server connections (6)');
    // A cancelled test is not a failed test: no alert, no save.
    expect(await fingerprint(dir)).toEqual(before);
  });

  interface TuiCase {
    readonly name: string;
    readonly connection: string;
    readonly endpoint?: () => Promise<string>;
    readonly faults?: readonly Fault[];
    readonly from?: () => string;
    readonly check: string;
    readonly says: readonly string[];
  }

  const cases: TuiCase[] = [
    {
      name: 'a request that never ends, not cancelled: ends at the timeout, naming it',
      connection: 'ex01.corp.contoso.com',
      faults: [{ host: 'ex01.corp.contoso.com', respond: 'hang', times: Infinity }],
      check: 'EWS (Basic)',
      says: ['ex01.corp.contoso.com did not answer within 1.5 s.'],
    },
    {
      name: 'connection refused',
      connection: 'ex01.corp.contoso.com',
      endpoint: async () => `http://127.0.0.1:${await closedPort()}`,
      check: 'EWS (Basic)',
      says: ['Could not reach ex01.corp.contoso.com', 'connection refused'],
    },
    {
      name: 'unresolvable host',
      connection: 'ex01.corp.contoso.com',
      endpoint: async () => 'https://nonexistent.invalid:8080',
      check: 'EWS (Basic)',
      says: ['Could not reach ex01.corp.contoso.com (at nonexistent.invalid:8080): host not found', 'DNS'],
    },
    {
      name: 'connection reset mid-response',
      connection: 'admin@contoso',
      faults: [{ host: 'login.microsoftonline.com', respond: 'reset', times: Infinity }],
      check: 'Sign-in (token)',
      says: ['Could not reach login.microsoftonline.com', 'connection reset'],
    },
    {
      name: '429 without Retry-After that does not stop',
      connection: 'admin@contoso',
      faults: [{ host: 'graph.microsoft.com', respond: { status: 429, body: '{}' }, times: Infinity }],
      check: 'Mailbox (Microsoft Graph)',
      says: ['graph.microsoft.com throttled the requests (HTTP 429); gave up after 4 attempts. Try again in a few minutes.'],
    },
    {
      name: '503 that does not stop',
      connection: 'admin@contoso',
      faults: [{ host: 'login.microsoftonline.com', respond: { status: 503, body: '' }, times: Infinity }],
      check: 'Sign-in (token)',
      says: ['login.microsoftonline.com is unavailable (HTTP 503); gave up after 4 attempts.'],
    },
    {
      name: 'malformed JSON from the token endpoint',
      connection: 'admin@contoso',
      faults: [{ host: 'login.microsoftonline.com', respond: { status: 200, body: '<html>captive portal</html>' }, times: Infinity }],
      check: 'Sign-in (token)',
      says: ['login.microsoftonline.com returned a response that is not valid JSON (HTTP 200).'],
    },
    {
      name: 'a token without the required roles',
      connection: 'admin@contoso',
      from: () => fewRolesTemplate,
      check: 'Permissions',
      says: ["The app's tokens lack Mail.ReadWrite (Microsoft Graph)", 'MailboxSettings.Read (Microsoft Graph)', 'Grant admin consent'],
    },
  ];

  for (const c of cases) {
    it(`${c.name}: "${c.check}" fails naming the cause, and the failure is on Bad news`, async () => {
      const { screen } = await panel({ ...(c.endpoint ? { endpoint: await c.endpoint() } : {}), ...(c.from ? { from: c.from() } : {}) });
      for (const fault of c.faults ?? []) sandbox.inject(fault);
      await test(screen, c.connection);
      const text = await outcome(screen);
      expect(text).toContain(`Test failed at "${c.check}". A "Connection test failed" alert was added to Bad news.`);
      const line = text.slice(text.indexOf(`✗ ${c.check}: `));
      for (const words of c.says) expect(line).toContain(words);
      expect(text).not.toMatch(/(Try again in a few minutes\.) \1/);
      await screen.press(KEYS.enter);
      await screen.press('3');
      await screen.waitFor((f) => unwrap(f).includes('Connection test of'));
    });
  }
});
