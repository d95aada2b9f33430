import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, generateCertificate } from '../../src/auth/index.js';
import { Secret } from '../../src/domain/secret.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { startServer } from '../auth/helpers.js';
import { FIXTURE_V1 } from '../helpers/cli.js';
import { copyStoreDir, sha256, tempDir } from './helpers/files.js';
import { HOSTILE_PIECES, hostileText, terminalActive } from './helpers/hostile.js';
import { run } from './helpers/programs.js';
import { hostileRecord, hostileV1Store, type HostileRecord } from './helpers/v1-store.js';

/**
 * Hostile text in the store and from servers, printed by the CLI (storage-and-secrets.md §8): the
 * output must carry no character a terminal acts on (escape sequences, C0 but line feed, C1, bidi
 * and other format characters, separators, lone surrogates), and --json must still give back the
 * exact stored strings.
 */

const OBSOLETE_TEXT = (name: string) =>
  `Server connection '${name}' needs to be reconfigured to use Modern Authentication (OAuth 2.0) when connecting to Office 365. ` +
  'Otherwise, jobs that use this connection will stop working when Basic Authentication is disabled for your tenant.';

let sandbox: Sandbox;
let env: Record<string, string>;
/** The migrated fixture with c-1 on Modern Authentication, for server-side error bodies. */
let modernTemplate: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = { BACKUP_PANEL_M365_ENDPOINT: sandbox.url, BACKUP_PANEL_HTTP_TIMEOUT_MS: '3000' };
  modernTemplate = await tempDir();
  await copyFile(FIXTURE_V1, join(modernTemplate, 'store.json'));
  const material = await generateCertificate('CN=backup-panel-hostile');
  const { appId } = sandbox.registerApp('contoso', {
    displayName: 'hostile',
    certificatePem: material.certificatePem,
    roles: ['full_access_as_app', 'Mail.ReadWrite', 'MailboxSettings.ReadWrite', 'User.Read.All'],
  });
  const pem = join(await tempDir('bp-hard-creds-'), 'app.pem');
  await writeFile(pem, `${material.certificatePem}\n${material.privateKeyPem.reveal()}`, { mode: 0o600 });
  const saved = await run(['connections', 'reconfigure', 'c-1', '--tenant', 'contoso.onmicrosoft.com', '--client-id', appId, '--certificate', pem, '--store', join(modernTemplate, 'store.json')], { env });
  expect(saved.code, saved.stderr).toBe(0);
});
afterEach(() => sandbox.clearFaults());
afterAll(async () => {
  await sandbox.close();
});

function clean(label: string, text: string): void {
  const offences = terminalActive(text);
  expect(offences, `${label}: ${JSON.stringify(offences.slice(0, 3))}`).toEqual([]);
}

describe('hostile names in the store, printed by the CLI', () => {
  it('property: tables are harmless and --json gives back the exact strings (connections, jobs, alerts, test)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileRecord(true), { minLength: 16, maxLength: 24 }), async (records: HostileRecord[]) => {
        const dir = await tempDir();
        const store = join(dir, 'store.json');
        await writeFile(store, hostileV1Store(records), { mode: 0o600 });

        const list = await run(['connections', 'list', '--store', store]);
        expect(list.code, list.stderr).toBe(0);
        clean('connections list', list.stdout + list.stderr);
        const rows = JSON.parse((await run(['connections', 'list', '--json', '--store', store])).stdout) as Array<{ id: string; name: string; usedBy: string[] }>;
        expect(rows.map((r) => r.name)).toEqual(records.map((r) => r.displayName));
        expect(rows.map((r) => r.usedBy)).toEqual(records.map((r) => [r.jobName]));

        const jobs = await run(['jobs', 'list', '--store', store]);
        expect(jobs.code, jobs.stderr).toBe(0);
        clean('jobs list', jobs.stdout + jobs.stderr);
        const jobRows = JSON.parse((await run(['jobs', 'list', '--json', '--store', store])).stdout) as Array<{ name: string }>;
        expect(jobRows.map((j) => j.name)).toEqual(records.map((r) => r.jobName));

        const alerts = await run(['alerts', 'list', '--store', store]);
        expect(alerts.code, alerts.stderr).toBe(0);
        clean('alerts list', alerts.stdout + alerts.stderr);
        const alertRows = JSON.parse((await run(['alerts', 'list', '--json', '--store', store])).stdout) as Array<{ id: string; category: string; message: string }>;
        expect(alertRows.filter((a) => a.category === 'job-failed').map((a) => a.message)).toEqual(records.map((r) => r.alertMessage));
        expect(alertRows.filter((a) => a.category === 'obsolete-connection').map((a) => a.message)).toEqual(
          records.filter((_, i) => i % 2 === 1).map((r) => OBSOLETE_TEXT(r.displayName)),
        );

        // The user name comes back in the verification message (the sandbox rejects it: 401).
        const test = await run(['connections', 'test', 'h0', '--store', store], { env });
        expect(test.code).toBe(1);
        clean('connections test', test.stdout + test.stderr);
        expect(test.stdout).toMatch(/^FAIL {2}EWS \(Basic\): ex01\.corp\.contoso\.com rejected the user name or password of /m);
        // …and its failure, now an alert with the connection's name in it, lists cleanly too.
        const after = await run(['alerts', 'list', '--all', '--store', store]);
        clean('alerts list after test', after.stdout + after.stderr);
        const check = await run(['check', '--store', store]);
        clean('check', check.stdout + check.stderr);
      }),
      { numRuns: 5, endOnFailure: true },
    );
    // ≈50 program runs: a guard against a hang, not a budget (a loaded 2-core machine needs minutes).
  }, 1_200_000);

  it('every hostile piece: the --json output is harmless on a screen and still decodes to the stored text', async () => {
    const records = HOSTILE_PIECES.map((piece, i) => ({ displayName: `n${i}${piece}`, userName: `u${piece}`, jobName: `j${piece}x`, alertMessage: `m${piece}x` }));
    const dir = await tempDir();
    const store = join(dir, 'store.json');
    await writeFile(store, hostileV1Store(records), { mode: 0o600 });
    const decoded: Record<string, unknown> = {};
    for (const args of [['connections', 'list', '--json'], ['jobs', 'list', '--json'], ['alerts', 'list', '--json', '--all']]) {
      const result = await run([...args, '--store', store]);
      expect(result.code).toBe(0);
      clean(args.join(' '), result.stdout);
      decoded[args[0] as string] = JSON.parse(result.stdout);
    }
    expect((decoded.connections as Array<{ name: string }>).map((r) => r.name)).toEqual(records.map((r) => r.displayName));
    expect((decoded.jobs as Array<{ name: string }>).map((r) => r.name)).toEqual(records.map((r) => r.jobName));
    expect((decoded.alerts as Array<{ category: string; message: string }>).filter((a) => a.category === 'job-failed').map((a) => a.message)).toEqual(records.map((r) => r.alertMessage));
  });
});

describe('hostile text from servers, printed by the CLI', () => {
  it('property: error bodies (token error_description, Graph error.message) and SharePoint site titles', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText({ maxPieces: 10 }), hostileText(), hostileText({ maxPieces: 10, long: true }), async (description, graphMessage, title) => {
        const { store } = await copyStoreDir(modernTemplate);
        // An Entra error whose description is hostile.
        sandbox.inject({
          host: 'login.microsoftonline.com',
          respond: { status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'invalid_client', error_description: `AADSTS7000299: ${description}`, error_codes: [7000299] }) },
        });
        const token = await run(['connections', 'test', 'c-1', '--store', store], { env });
        expect(token.code).toBe(1);
        expect(token.stdout).toMatch(/^FAIL {2}Sign-in \(token\): The app’s credential was rejected/m);
        clean('token error', token.stdout + token.stderr);
        sandbox.clearFaults();

        // A Graph error whose code and message are hostile.
        sandbox.inject({
          host: 'graph.microsoft.com',
          path: /mailFolders/,
          respond: { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: graphMessage.slice(0, 20), message: graphMessage } }) },
        });
        const graph = await run(['connections', 'test', 'c-1', '--json', '--store', store], { env });
        expect(graph.code).toBe(1);
        clean('graph error --json', graph.stdout + graph.stderr);
        const report = JSON.parse(graph.stdout) as { checks: Array<{ name: string; message: string }> };
        expect(report.checks.find((c) => c.name === 'Mailbox (Microsoft Graph)')?.message).toMatch(/^Microsoft Graph refused access/);
        sandbox.clearFaults();

        // An on-premises SharePoint site whose title is hostile.
        sandbox.inject({ host: 'sp.corp.contoso.com', respond: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Title: title }) } });
        const site = await run(['connections', 'test', 'c-4', '--store', store], { env });
        expect(site.code).toBe(0);
        expect(site.stdout).toMatch(/^PASS {2}SharePoint site \(Basic\): Signed in to the site '/m);
        clean('site title', site.stdout + site.stderr);
        // And the recorded alerts (with the Entra text in them) list cleanly.
        const alerts = await run(['alerts', 'list', '--store', store]);
        clean('alerts after server errors', alerts.stdout + alerts.stderr);
      }),
      { numRuns: 6, endOnFailure: true },
    );
    // ≈24 program runs against the sandbox: a guard against a hang, not a budget.
  }, 1_200_000);

  it('property (in process, many runs): no check result ever carries a terminal-active character', async () => {
    const auth = createAuth({ endpoint: sandbox.url, timeoutMs: 3000, retry: { maxAttempts: 1 } });
    const secret = 'Hostile~app-secret-0123456789';
    const { appId } = sandbox.registerApp('contoso', { displayName: 'hostile secret', secret, roles: ['Mail.ReadWrite', 'MailboxSettings.ReadWrite', 'User.Read.All'] });
    const online = {
      kind: 'online-app',
      service: 'exchange',
      tenantId: sandbox.tenants.contoso.id,
      clientId: appId,
      credential: { kind: 'secret', clientSecret: new Secret(secret) },
      mailbox: 'admin@contoso.onmicrosoft.com',
    } as const;
    const json = { 'content-type': 'application/json' };
    await fc.assert(
      fc.asyncProperty(hostileText({ maxPieces: 12, long: true }), fc.constantFrom('title', 'entra', 'graph', 'ews'), async (text, where) => {
        sandbox.clearFaults();
        let target;
        if (where === 'title') {
          sandbox.inject({ host: 'sp.corp.contoso.com', respond: { status: 200, headers: json, body: JSON.stringify({ Title: text }) } });
          target = { kind: 'onprem-sharepoint', url: 'https://sp.corp.contoso.com', userName: text, password: new Secret('S3rv1ce-Backup') } as const;
        } else if (where === 'ews') {
          const fault = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>${text}</faultstring><detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">${text}</e:ResponseCode><e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">${text}</e:Message></detail></s:Fault></s:Body></s:Envelope>`;
          sandbox.inject({ host: 'ex01.corp.contoso.com', respond: { status: 500, headers: { 'content-type': 'text/xml' }, body: fault } });
          target = { kind: 'onprem-exchange', server: 'ex01.corp.contoso.com', userName: text, password: new Secret('S3rv1ce-Backup') } as const;
        } else if (where === 'entra') {
          sandbox.inject({ host: 'login.microsoftonline.com', respond: { status: 400, headers: json, body: JSON.stringify({ error: text, error_description: text, error_codes: [900144], suberror: text }) } });
          target = online;
        } else {
          sandbox.inject({ host: 'graph.microsoft.com', path: /mailFolders/, respond: { status: 403, headers: json, body: JSON.stringify({ error: { code: text, message: text } }) } });
          target = online;
        }
        const checks = await auth.verify(target);
        expect(checks.length).toBeGreaterThan(0);
        for (const check of checks) expect(terminalActive(`${check.name}: ${check.message}`)).toEqual([]);
      }),
      { numRuns: 80 },
    );
  });

  it('invalid UTF-8 in a server body is shown as U+FFFD, never as raw bytes', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // {"Title":"A<ff><fe>B<c3><28><ed><a0><80><1b>]0;x<07>"}: invalid sequences, a surrogate encoded in UTF-8, an OSC
      res.end(Buffer.concat([Buffer.from('{"Title":"A'), Buffer.from([0xff, 0xfe]), Buffer.from('B'), Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('\\u001b]0;x\\u0007"}')]));
    });
    try {
      const { store } = await copyStoreDir(modernTemplate);
      const result = await run(['connections', 'test', 'c-4', '--store', store], { env: { ...env, BACKUP_PANEL_M365_ENDPOINT: server.url } });
      expect(result.code).toBe(0);
      clean('invalid utf-8 body', result.stdout + result.stderr);
      expect(result.stdout).toMatch(/Signed in to the site 'A\uFFFD\uFFFDB\uFFFD\(\uFFFD+\\x1b\]0;x\\x07'/);
    } finally {
      await server.close();
    }
  });
});

describe('invalid UTF-8 in the store file', () => {
  it('is refused with one clear line, monitoring says UNKNOWN, and the file is left byte for byte', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store.json');
    const text = await readFile(FIXTURE_V1, 'utf8');
    // A display name with bytes that are not UTF-8 (a Latin-1 editor saved "Müller" and an ESC).
    const bytes = Buffer.from(text.replace('"displayName": "ex01.corp.contoso.com"', '"displayName": "M\u0000ller"'), 'utf8');
    const at = bytes.indexOf(0);
    bytes[at] = 0xfc;
    await writeFile(store, Buffer.concat([bytes.subarray(0, at + 1), Buffer.from([0x1b, 0x9b]), bytes.subarray(at + 1)]), { mode: 0o600 });
    const before = await sha256(store);
    for (const args of [['connections', 'list'], ['alerts', 'mute', 'job-failed'], ['jobs', 'list', '--json']]) {
      const result = await run([...args, '--store', store]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toEqual([`backup-panel: ${store} is not UTF-8 text (is it the right file?); the file was left unchanged`]);
    }
    const check = await run(['check', '--store', store]);
    expect(check.code).toBe(3);
    expect(check.stdout).toMatch(/^BACKUP-PANEL UNKNOWN - .*is not UTF-8 text/);
    clean('check', check.stdout);
    expect(await sha256(store)).toBe(before);
  });
});
