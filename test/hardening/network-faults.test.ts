import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate } from '../../src/auth/index.js';
import type { Fault, Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { closedPort } from '../auth/helpers.js';
import { FIXTURE_V1 } from '../helpers/cli.js';
import { copyStoreDir, fingerprint, tempDir } from './helpers/files.js';
import { terminalActive } from './helpers/hostile.js';
import { run } from './helpers/programs.js';

/**
 * Network faults as an admin meets them on the command line: `connections test` (exit code and one
 * FAIL line naming the cause) and `connections reconfigure` (exit 1 and not one byte of the store
 * changed), with BACKUP_PANEL_HTTP_TIMEOUT_MS set short. The transport internals (retry arithmetic,
 * error mapping) are proven in test/m365/transport.test.ts; this is what the user sees of them.
 */

const TIMEOUT_MS = 1500;
const EXCHANGE_ROLES = ['full_access_as_app', 'Mail.ReadWrite', 'MailboxSettings.ReadWrite', 'User.Read.All'];

/** One tenant for `connections test`, one for `connections reconfigure`: each case runs both at once, each with its own faults. */
let sandbox: Sandbox;
let other: Sandbox;
/** A migrated fixture store in which c-1 already uses Modern Authentication (certificate, registered in `sandbox`). */
let template: string;
let certFile: string;
let clientId: string;
/** The same certificate registered in `other`. */
let otherClientId: string;

const env = (endpoint: string) => ({ BACKUP_PANEL_M365_ENDPOINT: endpoint, BACKUP_PANEL_HTTP_TIMEOUT_MS: String(TIMEOUT_MS) });
const reconfigureArgs = (store: string, app = clientId) => ['connections', 'reconfigure', 'c-1', '--tenant', 'contoso.onmicrosoft.com', '--client-id', app, '--certificate', certFile, '--store', store];

beforeAll(async () => {
  [sandbox, other] = await Promise.all([startSandbox(), startSandbox()]);
  const creds = await tempDir('bp-hard-creds-');
  const material = await generateCertificate('CN=backup-panel-hardening');
  clientId = sandbox.registerApp('contoso', { displayName: 'hardening', certificatePem: material.certificatePem, roles: EXCHANGE_ROLES }).appId;
  otherClientId = other.registerApp('contoso', { displayName: 'hardening', certificatePem: material.certificatePem, roles: EXCHANGE_ROLES }).appId;
  certFile = join(creds, 'app.pem');
  await writeFile(certFile, `${material.certificatePem.trim()}\n${material.privateKeyPem.reveal().trim()}\n`, { mode: 0o600 });
  template = await tempDir();
  await copyFile(FIXTURE_V1, join(template, 'store.json'));
  const saved = await run(reconfigureArgs(join(template, 'store.json')), { env: env(sandbox.url) });
  expect(saved.stderr).toBe('');
  expect(saved.code).toBe(0);
});

afterEach(() => {
  sandbox.clearFaults();
  other.clearFaults();
});
afterAll(async () => {
  await Promise.all([sandbox.close(), other.close()]);
});

interface NetworkCase {
  readonly name: string;
  /** Where Microsoft 365 is (default: the sandbox). */
  readonly endpoint?: () => Promise<string>;
  readonly faults?: readonly Fault[];
  /** The failing check and what its line must say; undefined = every check passes (the fault was ridden out). */
  readonly fails?: { readonly check: string; readonly says: RegExp };
}

const cases: NetworkCase[] = [
  {
    name: 'connection refused (nothing listens on the port)',
    endpoint: async () => `http://127.0.0.1:${await closedPort()}`,
    fails: { check: 'Sign-in (token)', says: /^Could not reach login\.microsoftonline\.com \(at 127\.0\.0\.1:\d+\): connection refused\. Check the address/ },
  },
  {
    name: 'unresolvable host (DNS)',
    endpoint: async () => 'https://nonexistent.invalid:8080',
    fails: { check: 'Sign-in (token)', says: /^Could not reach login\.microsoftonline\.com \(at nonexistent\.invalid:8080\): host not found\. Check the host name and this machine’s DNS settings\.$/ },
  },
  {
    name: 'connection reset in the middle of the token response',
    faults: [{ host: 'login.microsoftonline.com', respond: 'reset', times: Infinity }],
    fails: { check: 'Sign-in (token)', says: /^Could not reach login\.microsoftonline\.com \(at 127\.0\.0\.1:\d+\): connection reset/ },
  },
  {
    name: 'a token response that never ends',
    faults: [{ host: 'login.microsoftonline.com', respond: 'hang', times: Infinity }],
    fails: { check: 'Sign-in (token)', says: /^login\.microsoftonline\.com did not answer within 1\.5 s\. Check the network path/ },
  },
  {
    name: 'a Microsoft Graph response that never ends',
    faults: [{ host: 'graph.microsoft.com', respond: 'hang', times: Infinity }],
    fails: { check: 'Mailbox (Microsoft Graph)', says: /^graph\.microsoft\.com did not answer within 1\.5 s\./ },
  },
  {
    name: 'malformed JSON from the token endpoint (a proxy answering)',
    faults: [{ host: 'login.microsoftonline.com', respond: { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Proxy login</body></html>' }, times: Infinity }],
    fails: { check: 'Sign-in (token)', says: /^login\.microsoftonline\.com returned a response that is not valid JSON \(HTTP 200\)\. A proxy, firewall or captive portal/ },
  },
  {
    name: 'malformed JSON from Microsoft Graph',
    faults: [{ host: 'graph.microsoft.com', respond: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"value": [{"id": ' }, times: Infinity }],
    fails: { check: 'Mailbox (Microsoft Graph)', says: /could not read the mailbox of admin@contoso\.onmicrosoft\.com: HTTP 200 InvalidJson: the response is not valid JSON/ },
  },
  {
    name: '429 without Retry-After, a burst shorter than the retry budget: backs off and succeeds',
    faults: [{ host: 'graph.microsoft.com', respond: { status: 429, body: '{"error":{"code":"TooManyRequests"}}' }, times: 2 }],
  },
  {
    name: '429 without Retry-After that does not stop: "throttled", gives up',
    faults: [{ host: 'graph.microsoft.com', respond: { status: 429, body: '{"error":{"code":"TooManyRequests"}}' }, times: Infinity }],
    fails: { check: 'Mailbox (Microsoft Graph)', says: /^graph\.microsoft\.com throttled the requests \(HTTP 429\); gave up after 4 attempts\. Try again in a few minutes\.$/ },
  },
  {
    name: '429 with Retry-After: 1, once: waits and succeeds',
    faults: [{ host: 'login.microsoftonline.com', respond: { status: 429, headers: { 'retry-after': '1' }, body: '{}' }, times: 1 }],
  },
  {
    name: '429 with a Retry-After far beyond the cap: gives up at once, naming the wait',
    faults: [{ host: 'login.microsoftonline.com', respond: { status: 429, headers: { 'retry-after': '3600' }, body: '{}' }, times: Infinity }],
    fails: { check: 'Sign-in (token)', says: /^login\.microsoftonline\.com throttled the requests \(HTTP 429\); gave up\. Try again in 3600 s\.$/ },
  },
  {
    name: '503 burst on the token endpoint shorter than the retry budget: backs off and succeeds',
    faults: [{ host: 'login.microsoftonline.com', respond: { status: 503, body: '' }, times: 3 }],
  },
  {
    name: '503 that does not stop: "unavailable", gives up',
    faults: [{ host: 'graph.microsoft.com', respond: { status: 503, body: '' }, times: Infinity }],
    fails: { check: 'Mailbox (Microsoft Graph)', says: /^graph\.microsoft\.com is unavailable \(HTTP 503\); gave up after 4 attempts\. Try again in a few minutes\.$/ },
  },
  {
    name: '500 from Microsoft Graph (not retried: a 500 may have been half done)',
    faults: [{ host: 'graph.microsoft.com', respond: { status: 500, body: '{"error":{"code":"InternalServerError","message":"Something broke."}}' }, times: 1 }],
    fails: { check: 'Mailbox (Microsoft Graph)', says: /could not read the mailbox of admin@contoso\.onmicrosoft\.com: HTTP 500 InternalServerError: Something broke\.$/ },
  },
];

function checkLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^(PASS|WARN|FAIL) {2}/.test(l));
}

describe('network faults on the command line', () => {
  for (const c of cases) {
    it(`${c.name}: connections test and connections reconfigure`, async () => {
      const endpoint = c.endpoint ? await c.endpoint() : undefined;
      const tested = await copyStoreDir(template);
      const reconfigured = await copyStoreDir(template);
      const before = await fingerprint(reconfigured.dir);
      for (const fault of c.faults ?? []) {
        sandbox.inject(fault);
        other.inject(fault);
      }
      const [test, saved] = await Promise.all([
        run(['connections', 'test', 'c-1', '--store', tested.store], { env: env(endpoint ?? sandbox.url) }),
        run(reconfigureArgs(reconfigured.store, otherClientId), { env: env(endpoint ?? other.url) }),
      ]);
      sandbox.clearFaults();
      other.clearFaults();

      // connections test: exit 1 with one FAIL line naming the cause (or a clean pass when the fault is ridden out).
      const lines = checkLines(test.stdout);
      expect(terminalActive(test.stdout + test.stderr)).toEqual([]);
      if (c.fails) {
        expect(test.code, test.stdout + test.stderr).toBe(1);
        const failed = lines.filter((l) => l.startsWith('FAIL'));
        expect(failed, test.stdout).toHaveLength(1);
        const [, message] = /^FAIL {2}(?:[^:]+): (.*)$/.exec(failed[0] ?? '') ?? [];
        expect(failed[0]).toContain(`FAIL  ${c.fails.check}: `);
        expect(message).toMatch(c.fails.says);
        // The failure is on the Bad news card as a "Connection test failed" event naming the cause.
        const alerts = JSON.parse((await run(['alerts', 'list', '--json', '--store', tested.store])).stdout) as Array<{ category: string; connectionId?: string; message: string }>;
        const recorded = alerts.filter((a) => a.category === 'connection-failed' && a.connectionId === 'c-1');
        expect(recorded).toHaveLength(1);
        expect(recorded[0]?.message).toContain(`${c.fails.check}: ${message?.slice(0, 40)}`);
      } else {
        expect(test.code, test.stdout + test.stderr).toBe(0);
        expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
        expect(lines.some((l) => l.startsWith('PASS  Mailbox (Microsoft Graph)'))).toBe(true);
      }

      // connections reconfigure: verification first; a failed check saves nothing at all.
      expect(terminalActive(saved.stdout + saved.stderr)).toEqual([]);
      if (c.fails) {
        expect(saved.code, saved.stdout + saved.stderr).toBe(1);
        expect(saved.stdout).toContain(`FAIL  ${c.fails.check}: `);
        const errors = saved.stderr.trim().split('\n');
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(new RegExp(`^backup-panel: Verification of 'admin@contoso\\.onmicrosoft\\.com' failed at "${c.fails.check.replace(/[()]/g, '\\$&')}": .* Nothing was saved\\.$`));
        expect(await fingerprint(reconfigured.dir)).toEqual(before);
      } else {
        expect(saved.code, saved.stdout + saved.stderr).toBe(0);
        expect(saved.stdout).toContain("Saved: 'admin@contoso.onmicrosoft.com' now uses Modern Authentication.");
      }
    });
  }

  it('a token without the required roles: Permissions fails naming each missing role and "grant admin consent"; nothing saved', async () => {
    const material = await generateCertificate('CN=backup-panel-hardening-few-roles');
    const few = sandbox.registerApp('contoso', { displayName: 'hardening few roles', certificatePem: material.certificatePem, roles: ['User.Read.All'] });
    const file = join(await tempDir('bp-hard-creds-'), 'few.pem');
    await writeFile(file, `${material.certificatePem.trim()}\n${material.privateKeyPem.reveal().trim()}\n`, { mode: 0o600 });
    const { dir, store } = await copyStoreDir(template);
    const before = await fingerprint(dir);
    const result = await run(['connections', 'reconfigure', 'c-1', '--tenant', 'contoso.onmicrosoft.com', '--client-id', few.appId, '--certificate', file, '--store', store], { env: env(sandbox.url) });
    expect(result.code).toBe(1);
    const permissions = checkLines(result.stdout).find((l) => l.startsWith('FAIL  Permissions: '));
    expect(permissions).toBeDefined();
    // Least privilege, Graph first (issue 12 item 4): no EWS role is required any more.
    for (const role of ['Mail.ReadWrite', 'MailboxSettings.Read']) expect(permissions).toContain(role);
    expect(permissions).not.toMatch(/lack[^.]*User\.Read\.All/);
    expect(permissions).toMatch(/Grant admin consent/i);
    expect(result.stderr).toMatch(/failed at "Permissions": .*Grant admin consent.* Nothing was saved\.$/m);
    expect(await fingerprint(dir)).toEqual(before);
  });
});
