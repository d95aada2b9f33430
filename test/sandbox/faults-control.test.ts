import { readFileSync, statSync, existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSandboxCommand, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, form, GRAPH_CLI, ADMIN_SCOPES } from './helpers.js';

const TOKEN = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token';
const DEVICECODE = 'https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode';

let s: Sandbox;
beforeEach(async () => {
  s = await startSandbox();
});
afterEach(() => s.close());

async function control(path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(`${s.url}${path}`, {
    method: init.method ?? 'GET',
    ...(init.body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

describe('fault injection', () => {
  it('delivers a 429 with Retry-After, then answers normally', async () => {
    s.inject({ host: 'login.microsoftonline.com', path: /\/token$/, respond: { status: 429, headers: { 'Retry-After': '7' }, body: '{"error":"temporarily_unavailable"}' } });
    const first = await call(s, TOKEN, { method: 'POST', ...form({ grant_type: 'client_credentials' }) });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(first.json()).toEqual({ error: 'temporarily_unavailable' });
    const second = await call(s, TOKEN, { method: 'POST', ...form({ grant_type: 'client_credentials' }) });
    expect(second.status).toBe(400);
    expect(s.requests.slice(-2).map((r) => r.status)).toEqual([429, 400]);
  });

  it('serves a malformed body and 503s as often as asked', async () => {
    s.inject({ path: '/v1.0/sites/root', respond: { status: 200, body: '{"id": "contoso.share' } });
    const malformed = await call(s, 'https://graph.microsoft.com/v1.0/sites/root');
    expect(() => malformed.json()).toThrow();
    s.inject({ host: 'graph.microsoft.com', method: 'GET', times: 2, respond: { status: 503 } });
    expect((await call(s, 'https://graph.microsoft.com/v1.0/me')).status).toBe(503);
    expect((await call(s, 'https://graph.microsoft.com/v1.0/me')).status).toBe(503);
    expect((await call(s, 'https://graph.microsoft.com/v1.0/me')).status).toBe(401);
    s.inject({ host: 'graph.microsoft.com', times: Infinity, respond: { status: 503 } });
    for (let i = 0; i < 3; i++) expect((await call(s, 'https://graph.microsoft.com/v1.0/me')).status).toBe(503);
    s.clearFaults();
    expect((await call(s, 'https://graph.microsoft.com/v1.0/me')).status).toBe(401);
  });

  it('hangs a request until the client gives up', async () => {
    s.inject({ host: 'graph.microsoft.com', respond: 'hang' });
    const error = await call(s, 'https://graph.microsoft.com/v1.0/me', { signal: AbortSignal.timeout(300) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(s.requests.at(-1)).toMatchObject({ host: 'graph.microsoft.com', path: '/v1.0/me', status: 0 });
  });

  it('resets the connection in the middle of a response', async () => {
    s.inject({ path: /token/, respond: 'reset' });
    const error = await call(s, TOKEN, { method: 'POST', ...form({ grant_type: 'client_credentials' }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
  });

  it('delays a response and then answers normally', async () => {
    s.inject({ path: /devicecode/, respond: { delayMs: 150 } });
    const started = Date.now();
    const res = await call(s, DEVICECODE, { method: 'POST', ...form({ client_id: GRAPH_CLI, scope: ADMIN_SCOPES }) });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('closes promptly even with a hung request open', async () => {
    s.inject({ respond: 'hang' });
    const pending = call(s, 'https://graph.microsoft.com/v1.0/me').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await s.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('request log', () => {
  it('records method, host, path, grant type and status, never bodies or credentials', async () => {
    await call(s, TOKEN, { method: 'POST', ...form({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'TOPSECRET' }) });
    const entry = s.requests.at(-1);
    expect(entry).toEqual({ method: 'POST', host: 'login.microsoftonline.com', path: '/contoso.onmicrosoft.com/oauth2/v2.0/token', grantType: 'client_credentials', status: 400, kind: 'identity' });
    expect(JSON.stringify(s.requests)).not.toContain('TOPSECRET');
  });
});

describe('routing and control API', () => {
  it('answers 400 without X-Forwarded-Host and 421 for hosts it does not serve', async () => {
    const res = await fetch(`${s.url}/contoso.onmicrosoft.com/oauth2/v2.0/token`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'missing_x_forwarded_host' });
    const unknown = await call(s, 'https://example.com/');
    expect(unknown.status).toBe(421);
  });

  it('approves device codes over HTTP and through the /devicelogin page', async () => {
    const dc = await call(s, DEVICECODE, { method: 'POST', ...form({ client_id: GRAPH_CLI, scope: ADMIN_SCOPES }) });
    const { user_code, device_code } = dc.json<{ user_code: string; device_code: string }>();
    expect((await control('/_sandbox/device-codes')).json()).toEqual([expect.objectContaining({ userCode: user_code, clientId: GRAPH_CLI })]);
    expect((await control(`/_sandbox/device-codes/${user_code}/approve`, { method: 'POST', body: { upn: 'ceo@contoso.com' } })).status).toBe(200);
    const token = await call(s, 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token', {
      method: 'POST',
      ...form({ grant_type: 'device_code', client_id: GRAPH_CLI, device_code }),
    });
    // A user without an admin role may not consent to Application.ReadWrite.All: "Need admin approval".
    expect(token.status).toBe(400);
    expect(token.json()).toMatchObject({ error: 'invalid_grant', error_codes: [65001], suberror: 'consent_required' });
    expect((await control('/_sandbox/device-codes/NOPE1234/approve', { method: 'POST' })).status).toBe(404);

    const dc2 = (await call(s, DEVICECODE, { method: 'POST', ...form({ client_id: GRAPH_CLI, scope: ADMIN_SCOPES }) })).json<{ user_code: string }>();
    const page = await fetch(`${s.url}/devicelogin`);
    expect(await page.text()).toContain(dc2.user_code);
    const approved = await fetch(`${s.url}/devicelogin`, { method: 'POST', ...form({ code: dc2.user_code.toLowerCase(), upn: '', action: 'approve' }) });
    expect(approved.status).toBe(200);
    expect(await approved.text()).toContain('You have signed in to the Microsoft Graph Command Line Tools application on your device.');
    const bad = await fetch(`${s.url}/devicelogin`, { method: 'POST', ...form({ code: 'ZZZZ9999', action: 'approve' }) });
    expect(bad.status).toBe(400);
  });

  it('registers apps, changes tenant settings and injects faults over HTTP', async () => {
    const created = await control('/_sandbox/apps', { method: 'POST', body: { tenant: 'fabrikam', displayName: 'Via HTTP', secret: 'abc', roles: ['Mail.Read'] } });
    expect(created.status).toBe(201);
    const { appId } = created.json() as { appId: string };
    expect((await control(`/_sandbox/apps/${appId}`)).json()).toMatchObject({ tenant: 'fabrikam', grantedRoles: ['Mail.Read'] });
    expect((await control('/_sandbox/apps/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await control('/_sandbox/apps', { method: 'POST', body: { displayName: 'Bad', roles: ['No.Such.Role'] } })).status).toBe(400);

    expect((await control('/_sandbox/tenants/contoso', { method: 'POST', body: { deviceCode: 'conditional-access-blocked' } })).status).toBe(200);
    const blocked = await call(s, 'https://login.microsoftonline.com/contoso.com/oauth2/v2.0/devicecode', { method: 'POST', ...form({ client_id: GRAPH_CLI, scope: ADMIN_SCOPES }) });
    expect(blocked.json()).toMatchObject({ error_codes: [53003] });
    expect((await control('/_sandbox/tenants/tailspin', { method: 'POST', body: {} })).status).toBe(404);

    expect((await control('/_sandbox/faults', { method: 'POST', body: { host: 'graph.microsoft.com', path: { regex: '^/v1\\.0/' }, times: 'Infinity', respond: { status: 502 } } })).status).toBe(201);
    expect((await call(s, 'https://graph.microsoft.com/v1.0/me')).status).toBe(502);
    expect((await call(s, 'https://graph.microsoft.com/v1.0/me')).status).toBe(502);
    expect((await control('/_sandbox/faults', { method: 'DELETE' })).status).toBe(204);
    expect((await call(s, 'https://graph.microsoft.com/v1.0/me')).status).toBe(401);
  });
});

describe('runSandboxCommand', () => {
  it('prints the URL first, pre-registers two apps and keeps their credentials in 0600 files', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const sandbox = await runSandboxCommand({ port: 0, out });
    try {
      const lines = text.split('\n');
      expect(lines[0]).toBe(`Sandbox tenant listening on ${sandbox.url}`);
      expect(text).toContain(`export BACKUP_PANEL_M365_ENDPOINT=${sandbox.url}`);
      expect(text).toContain('admin@contoso.onmicrosoft.com');
      const pemPath = text.match(/certificate \+ private key: (\S+)/)?.[1] ?? '';
      const secretPath = text.match(/secret file: (\S+)/)?.[1] ?? '';
      expect(statSync(pemPath).mode & 0o777).toBe(0o600);
      expect(statSync(secretPath).mode & 0o777).toBe(0o600);
      const secret = readFileSync(secretPath, 'utf8').trim();
      expect(text).not.toContain(secret);
      expect(readFileSync(pemPath, 'utf8')).toMatch(/BEGIN CERTIFICATE[\s\S]+BEGIN PRIVATE KEY/);

      const secretClient = text.match(/secret app\s+client id (\S+)/)?.[1] ?? '';
      expect(sandbox.getApp(secretClient)?.grantedRoles).toContain('full_access_as_app');
      const token = await call(sandbox, TOKEN, {
        method: 'POST',
        ...form({ grant_type: 'client_credentials', client_id: secretClient, client_secret: secret, scope: 'https://outlook.office365.com/.default' }),
      });
      expect(token.status).toBe(200);
      await sandbox.close();
      expect(existsSync(pemPath)).toBe(false);
    } finally {
      await sandbox.close();
    }
  });
});
