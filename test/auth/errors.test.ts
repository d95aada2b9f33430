import { describe, expect, it } from 'vitest';
import { M365Error } from '../../src/auth/api.js';
import type { EntraErrorBody, FlowContext } from '../../src/auth/errors.js';
import { entraSummary, fromEntra, MANUAL_REGISTRATION_HINT, normaliseMsalError } from '../../src/auth/errors.js';
import { redact, serverText, stripTokens } from '../../src/m365/errors.js';

const cc: FlowContext = { flow: 'client-credentials', tenant: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', resource: 'https://graph.microsoft.com' };
const dc: FlowContext = { flow: 'device-code', tenant: 'organizations', clientId: '14d82eec-204b-4c2f-b7e8-296a70dab67e' };

function body(error: string, code: number, extra: Partial<EntraErrorBody> = {}): EntraErrorBody {
  return { error, error_codes: [code], error_description: `AADSTS${code}: something.\r\nTrace ID: abc\r\nCorrelation ID: def`, status: 400, ...extra };
}

describe('Entra error normalisation (§12)', () => {
  it.each([
    ['invalid_client', 7000215, 'BadCredential', /secret ID was pasted instead of the value/],
    ['invalid_client', 7000222, 'BadCredential', /has expired \(AADSTS7000222\)/],
    ['invalid_client', 700027, 'CertNotRegistered', /certificate .* \(AADSTS700027\)/],
    ['unauthorized_client', 700016, 'AppNotFound', /was not found in tenant 'contoso\.onmicrosoft\.com' \(AADSTS700016\)/],
    ['invalid_grant', 53003, 'ConditionalAccessBlocked', /Conditional Access .*\(AADSTS53003\)/],
    ['invalid_request', 90002, 'Configuration', /Tenant 'contoso\.onmicrosoft\.com' not found \(AADSTS90002\)/],
    ['invalid_resource', 500011, 'Configuration', /resource https:\/\/graph\.microsoft\.com does not exist .*\(AADSTS500011\)/],
    ['invalid_grant', 65001, 'ConsentMissing', /Admin consent .* missing \(AADSTS65001\)/],
    ['invalid_request', 99999, 'Unknown', /AADSTS99999.*something/],
  ] as const)('%s %i → %s', (error, code, category, message) => {
    const result = fromEntra(body(error, code), cc);
    expect(result.category).toBe(category);
    expect(result.aadsts).toBe(code);
    expect(result.message).toMatch(message);
    expect(result.message).not.toMatch(/Trace ID|Correlation ID/);
  });

  it('right after a registration, not-found / bad key / bad secret are PropagationPending', () => {
    for (const code of [700016, 7000215, 700027]) {
      expect(fromEntra(body('invalid_client', code), { ...cc, recentlyRegistered: true }).category).toBe('PropagationPending');
    }
    expect(fromEntra(body('invalid_client', 7000222), { ...cc, recentlyRegistered: true }).category).toBe('BadCredential');
  });

  it('device-code failures name the code and end with the manual-registration hint', () => {
    const notAvailable = fromEntra(body('unauthorized_client', 700016), dc);
    expect(notAvailable.message).toMatch(/^The sign-in app .* is not available in this tenant \(AADSTS700016\)/);
    expect(notAvailable.message.endsWith(MANUAL_REGISTRATION_HINT)).toBe(true);
    const ca = fromEntra(body('invalid_grant', 53003), dc);
    expect(ca.category).toBe('ConditionalAccessBlocked');
    expect(ca.message).toContain('blocks device code sign-in');
    expect(ca.message.endsWith(MANUAL_REGISTRATION_HINT)).toBe(true);
    expect(fromEntra({ error: 'authorization_declined', status: 400 }, dc).category).toBe('DeviceCodeDeclined');
    expect(fromEntra({ error: 'expired_token', error_codes: [70020], status: 400 }, dc).category).toBe('DeviceCodeExpired');
  });

  it('msal errors: by errorCode / errorNo / subError, never by description or instanceof', () => {
    const msalLike = (fields: Record<string, unknown>) => Object.assign(new Error('See https://aka.ms/msal.js.errors'), fields);
    expect(normaliseMsalError(msalLike({ errorCode: 'device_code_polling_cancelled' }), {}, dc).category).toBe('DeviceCodeCancelled');
    expect(normaliseMsalError(msalLike({ errorCode: 'device_code_expired' }), {}, dc).category).toBe('DeviceCodeExpired');
    expect(normaliseMsalError(msalLike({ errorCode: 'missing_tenant_id_error' }), {}, cc).category).toBe('Configuration');
    const server = normaliseMsalError(msalLike({ errorCode: 'invalid_client', errorNo: 7000215, status: 401 }), {}, cc);
    expect([server.category, server.aadsts]).toEqual(['BadCredential', 7000215]);
    const consent = normaliseMsalError(msalLike({ errorCode: 'invalid_grant', errorNo: '65001', subError: 'consent_required' }), {}, cc);
    expect(consent.category).toBe('ConsentMissing');
    // post_request_failed drops the AADSTS code: the captured body supplies it.
    const declined = normaliseMsalError(msalLike({ errorCode: 'post_request_failed', errorMessage: 'invalid_grant' }), { entraError: body('invalid_grant', 53003) }, dc);
    expect([declined.category, declined.aadsts]).toEqual(['ConditionalAccessBlocked', 53003]);
    // A transport failure captured by the network module wins over msal's generic network_error.
    const network = new M365Error('Network', 'Could not reach login.microsoftonline.com: connection refused.');
    expect(normaliseMsalError(msalLike({ errorCode: 'network_error' }), { transportError: network }, cc)).toBe(network);
  });
});

describe('server text', () => {
  it('strips tokens, keys and credentials, escapes control characters and caps the length', () => {
    const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const text = `token ${jwt} header Bearer abc123def456ghi789 key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- \x1b[31mred`;
    const out = serverText(text);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain('abc123def456ghi789');
    expect(out).not.toContain('MIIE');
    expect(out).toContain('\\x1b');
    expect(serverText('word '.repeat(200), 50)).toHaveLength(50);
    expect(stripTokens('Basic Authentication was switched off')).toBe('Basic Authentication was switched off');
  });

  it('redacts known secrets and their base64 form', () => {
    expect(redact('pw=S3cr3t! b64=UzNjcjN0IQ==', ['S3cr3t!'])).toBe('pw=[REDACTED] b64=[REDACTED]');
  });

  it('summarises an Entra description without trace ids', () => {
    expect(entraSummary('AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1\r\nCorrelation ID: 2')).toBe('Invalid client secret provided.');
  });
});
