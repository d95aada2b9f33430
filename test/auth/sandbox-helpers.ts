import type { AuthApi, CertificateMaterial, CheckResult, DeviceCodePrompt, VerifyTarget } from '../../src/auth/api.js';
import { M365Error } from '../../src/auth/api.js';
import type { AuthOptions } from '../../src/auth/index.js';
import { createAuth, generateCertificate } from '../../src/auth/index.js';
import { Secret } from '../../src/domain/secret.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';

/** Dates for the dated checks: pass `now` explicitly (microsoft365.md §10.1, product.md §8). */
export const NOW = new Date('2026-11-24T12:00:00Z'); // EWS in phased disablement, IDCRL blocked
export const BEFORE_EWS_PHASE_OUT = new Date('2026-09-15T12:00:00Z');
export const BEFORE_IDCRL_BLOCK = new Date('2026-04-15T12:00:00Z');
export const AFTER_EWS_RETIRED = new Date('2027-04-02T12:00:00Z');

export async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ deviceCodeIntervalSec: 1, ...options });
}

export function authFor(sb: Sandbox, options: AuthOptions = {}): AuthApi {
  return createAuth({ endpoint: sb.url, now: () => NOW, propagationBaseDelayMs: 200, hostName: 'host01', retry: { maxAttempts: 3, maxDelayMs: 5000 }, ...options });
}

/** onPrompt that approves the code in the sandbox (as `upn`) shortly after it is shown. */
export function approveAs(sb: Sandbox, upn?: string, prompts: DeviceCodePrompt[] = []): (p: DeviceCodePrompt) => void {
  return (prompt) => {
    prompts.push(prompt);
    setTimeout(() => sb.approveDeviceCode(prompt.userCode, upn), 100);
  };
}

export async function rejectionOf(promise: Promise<unknown>): Promise<M365Error> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof M365Error)) throw error;
    return error;
  }
  throw new Error('expected an M365Error');
}

export const EXCHANGE_ROLES = ['full_access_as_app', 'Mail.ReadWrite', 'MailboxSettings.ReadWrite', 'User.Read.All'];
export const SHAREPOINT_ROLES = ['Sites.FullControl.All', 'User.Read.All'];

export interface TestApp {
  readonly appId: string;
  readonly certificate?: CertificateMaterial;
  readonly secret?: Secret;
}

/** An app registered directly in the sandbox (what an admin would have done by hand). */
export async function sandboxApp(
  sb: Sandbox,
  kind: 'certificate' | 'secret',
  roles: string[],
  options: { secret?: string; tenant?: 'contoso' | 'fabrikam' } = {},
): Promise<TestApp> {
  if (kind === 'certificate') {
    const certificate = await generateCertificate('CN=backup-panel-test', { now: NOW });
    const app = sb.registerApp(options.tenant ?? 'contoso', { displayName: 'backup test (certificate)', certificatePem: certificate.certificatePem, roles });
    return { appId: app.appId, certificate };
  }
  const secret = options.secret ?? `Sbx~${Math.random().toString(36).slice(2)}-secret-value`;
  const app = sb.registerApp(options.tenant ?? 'contoso', { displayName: 'backup test (secret)', secret, roles });
  return { appId: app.appId, secret: new Secret(secret) };
}

export function appTarget(
  sb: Sandbox,
  app: TestApp,
  service: 'exchange' | 'sharepoint',
  extra: Partial<Extract<VerifyTarget, { kind: 'online-app' }>> = {},
): VerifyTarget {
  return {
    kind: 'online-app',
    service,
    tenantId: sb.tenants.contoso.id,
    clientId: app.appId,
    credential: app.certificate ? { kind: 'certificate', certificate: app.certificate } : { kind: 'secret', clientSecret: app.secret as Secret },
    ...(service === 'exchange' ? { mailbox: 'backup@contoso.onmicrosoft.com' } : { siteUrl: sb.tenants.contoso.sharePointUrl }),
    ...extra,
  };
}

export function byName(checks: readonly CheckResult[], name: string): CheckResult {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check named ${name}: ${checks.map((c) => c.name).join(', ')}`);
  return found;
}

export function tokenRequests(sb: Sandbox): number {
  return sb.requests.filter((r) => r.host === 'login.microsoftonline.com' && r.path.endsWith('/oauth2/v2.0/token')).length;
}
