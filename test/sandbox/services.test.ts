import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports
import { ConfidentialClientApplication } from '@azure/msal-node';
import { createTestCertificate, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { appTokenWithSecret, bearer, call, sandboxNetwork } from './helpers.js';

const EWS = 'https://outlook.office365.com/EWS/Exchange.asmx';
const CHALLENGE =
  'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token",Basic Realm=""';

function getFolder(mailbox?: string, folder = 'msgfolderroot'): string {
  const impersonation = mailbox
    ? `<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>${mailbox}</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>`
    : '';
  return `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">
  <soap:Header><t:RequestServerVersion Version="Exchange2016"/>${impersonation}</soap:Header>
  <soap:Body><m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id="${folder}"/></m:FolderIds></m:GetFolder></soap:Body>
</soap:Envelope>`;
}

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

let s: Sandbox;
const cert = createTestCertificate({ commonName: 'services' });
let ewsToken: string;
let graphOnlyEwsToken: string;
let spCertToken: string;
let spSecretToken: string;

async function certToken(clientId: string, scope: string): Promise<string> {
  const app = new ConfidentialClientApplication({
    auth: {
      clientId,
      authority: `https://login.microsoftonline.com/${s.tenants.contoso.id}`,
      clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem, x5c: cert.certificatePem },
    },
    system: { networkClient: sandboxNetwork(s.url) },
  });
  return (await app.acquireTokenByClientCredential({ scopes: [scope] }))!.accessToken;
}

beforeAll(async () => {
  s = await startSandbox();
  const full = s.registerApp('contoso', { displayName: 'Backup', certificatePem: cert.certificatePem, roles: ['full_access_as_app', 'sharepoint:Sites.FullControl.All'] });
  const graphOnly = s.registerApp('contoso', { displayName: 'Graph only', certificatePem: cert.certificatePem, roles: ['Mail.ReadWrite'] });
  ewsToken = await certToken(full.appId, 'https://outlook.office365.com/.default');
  graphOnlyEwsToken = await certToken(graphOnly.appId, 'https://outlook.office365.com/.default');
  spCertToken = await certToken(full.appId, 'https://contoso.sharepoint.com/.default');
  const secretApp = s.registerApp('contoso', { displayName: 'Secret', secret: 'sec', roles: ['Sites.FullControl.All'] });
  spSecretToken = (await appTokenWithSecret(s, s.tenants.contoso.id, secretApp.appId, 'sec', 'https://contoso.sharepoint.com')).json<{ access_token: string }>().access_token;
});
afterAll(() => s.close());

describe('EWS in Exchange Online', () => {
  it('answers GetFolder for an impersonated mailbox with a full_access_as_app token', async () => {
    const res = await call(s, EWS, {
      method: 'POST',
      headers: { ...bearer(ewsToken), 'content-type': 'text/xml; charset=utf-8', 'x-anchormailbox': 'ceo@contoso.com' },
      body: getFolder('ceo@contoso.com'),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(res.text).toContain('<m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>');
    expect(res.text).toContain('<t:DisplayName>Top of Information Store</t:DisplayName>');
  });

  it('needs ExchangeImpersonation for app-only tokens and an existing mailbox', async () => {
    const none = await call(s, EWS, { method: 'POST', headers: bearer(ewsToken), body: getFolder() });
    expect(none.status).toBe(500);
    expect(none.text).toContain('ErrorInvalidExchangeImpersonationHeaderData');
    const noMailbox = await call(s, EWS, { method: 'POST', headers: { ...bearer(ewsToken), 'x-anchormailbox': 'nomailbox@contoso.onmicrosoft.com' }, body: getFolder('nomailbox@contoso.onmicrosoft.com') });
    expect(noMailbox.status).toBe(500);
    expect(noMailbox.text).toContain('ErrorNonExistentMailbox');
  });

  it('answers 401 for a token without full_access_as_app', async () => {
    const res = await call(s, EWS, { method: 'POST', headers: { ...bearer(graphOnlyEwsToken), 'x-anchormailbox': 'ceo@contoso.com' }, body: getFolder('ceo@contoso.com') });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-ms-diagnostics')).toContain('The token contains not enough scope to make this call.');
  });

  it('answers Basic with 401, the Bearer challenge and no body', async () => {
    const res = await call(s, EWS, { method: 'POST', headers: basic('admin@contoso.onmicrosoft.com', 'Winter2020!'), body: getFolder() });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(CHALLENGE);
    expect(res.text).toBe('');
  });

  it('accepts the fixture password when the tenant has Basic re-enabled', async () => {
    s.setTenant('fabrikam', { basicAuth: true });
    try {
      const ok = await call(s, EWS, { method: 'POST', headers: basic('backup@fabrikam.onmicrosoft.com', 'Fabr1kam#2021'), body: getFolder() });
      expect(ok.status).toBe(200);
      const wrong = await call(s, EWS, { method: 'POST', headers: basic('backup@fabrikam.onmicrosoft.com', 'nope'), body: getFolder() });
      expect(wrong.status).toBe(401);
      // contoso still has Basic off.
      expect((await call(s, EWS, { method: 'POST', headers: basic('admin@contoso.onmicrosoft.com', 'Winter2020!'), body: getFolder() })).status).toBe(401);
    } finally {
      s.setTenant('fabrikam', { basicAuth: false });
    }
  });

  it('answers 403 once EWS is disabled for the tenant', async () => {
    s.setTenant('contoso', { ewsDisabled: true });
    try {
      const res = await call(s, EWS, { method: 'POST', headers: { ...bearer(ewsToken), 'x-anchormailbox': 'ceo@contoso.com' }, body: getFolder('ceo@contoso.com') });
      expect(res.status).toBe(403);
    } finally {
      s.setTenant('contoso', { ewsDisabled: false });
    }
  });
});

describe('SharePoint Online REST', () => {
  it('returns the web for a certificate token with a SharePoint role', async () => {
    const res = await call(s, 'https://contoso.sharepoint.com/_api/web?$select=Title,Url,Id', {
      headers: { ...bearer(spCertToken), accept: 'application/json;odata=nometadata' },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ Title: 'Contoso Portal', Url: 'https://contoso.sharepoint.com', Id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const hr = await call(s, 'https://contoso.sharepoint.com/sites/hr/_api/web', { headers: { ...bearer(spCertToken), accept: 'application/json;odata=nometadata' } });
    expect(hr.json()).toMatchObject({ Title: 'Human Resources', Url: 'https://contoso.sharepoint.com/sites/hr' });
    const site = await call(s, 'https://contoso.sharepoint.com/_api/site', { headers: { ...bearer(spCertToken), accept: 'application/json;odata=nometadata' } });
    expect(site.json()).toMatchObject({ Url: 'https://contoso.sharepoint.com' });
  });

  it('rejects a secret-based app token with "Unsupported app only token."', async () => {
    const res = await call(s, 'https://contoso.sharepoint.com/_api/web', { headers: { ...bearer(spSecretToken), accept: 'application/json;odata=nometadata' } });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ error_description: 'Unsupported app only token.' });
  });

  it('serves the admin host with a token for either SharePoint host of the tenant', async () => {
    const res = await call(s, 'https://contoso-admin.sharepoint.com/_api/web', { headers: { ...bearer(spCertToken), accept: 'application/json;odata=nometadata' } });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ Url: 'https://contoso-admin.sharepoint.com' });
  });

  it('rejects Basic (legacy authentication) and a token for another tenant', async () => {
    const res = await call(s, 'https://contoso.sharepoint.com/_api/web', { headers: basic('admin@contoso.onmicrosoft.com', 'Winter2020!') });
    expect(res.status).toBe(401);
    const fabrikam = await call(s, 'https://fabrikam.sharepoint.com/_api/web', { headers: bearer(spCertToken) });
    expect(fabrikam.status).toBe(401);
  });
});

describe('on-premises servers (Basic Authentication)', () => {
  it('answers EWS GetFolder on ex01 for both account spellings, 401 with NTLM/Negotiate/Basic otherwise', async () => {
    for (const user of ['CORP\\svc-backup', 'svc-backup@corp.contoso.com']) {
      const ok = await call(s, 'https://ex01.corp.contoso.com/EWS/Exchange.asmx', { method: 'POST', headers: basic(user, 'S3rv1ce-Backup'), body: getFolder() });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('MajorVersion="15" MinorVersion="2"');
      expect(ok.text).toContain('ResponseClass="Success"');
    }
    const wrong = await call(s, 'https://ex01.corp.contoso.com/EWS/Exchange.asmx', { method: 'POST', headers: basic('CORP\\svc-backup', 'nope'), body: getFolder() });
    expect(wrong.status).toBe(401);
    const offers = wrong.headers.get('www-authenticate') ?? '';
    expect(offers).toContain('Negotiate');
    expect(offers).toContain('NTLM');
    expect(offers).toContain('Basic realm="ex01.corp.contoso.com"');
  });

  it('answers Autodiscover POX with the EWS URL', async () => {
    const body = `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>svc-backup@corp.contoso.com</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>`;
    const res = await call(s, 'https://autodiscover.corp.contoso.com/autodiscover/autodiscover.xml', {
      method: 'POST',
      headers: { ...basic('svc-backup@corp.contoso.com', 'S3rv1ce-Backup'), 'content-type': 'text/xml' },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<EwsUrl>https://ex01.corp.contoso.com/EWS/Exchange.asmx</EwsUrl>');
    const denied = await call(s, 'https://autodiscover.corp.contoso.com/autodiscover/autodiscover.xml', { method: 'POST', body });
    expect(denied.status).toBe(401);
  });

  it('serves SharePoint Server /_api/web with Basic', async () => {
    const res = await call(s, 'https://sp.corp.contoso.com/_api/web', { headers: { ...basic('CORP\\svc-backup', 'S3rv1ce-Backup'), accept: 'application/json;odata=nometadata' } });
    expect(res.json()).toMatchObject({ Title: 'Corp Intranet', Url: 'https://sp.corp.contoso.com' });
    expect((await call(s, 'https://sp.corp.contoso.com/_api/web')).status).toBe(401);
  });
});
