import { hostname } from 'node:os';
import type { Service } from '../domain/index.js';
import type { Secret } from '../domain/secret.js';
import type { Cloud } from '../domain/connection.js';
import type { AdminSession, AuthApi, CallOptions, CertificateMaterial, CheckResult, Progress, RegisteredApp, RegistrationProgress, VerifyTarget } from './api.js';
import { M365Error } from './api.js';
import type { GenerateOptions } from './certificates.js';
import type { AdminToken } from './device-code.js';
import { parseEndpoint } from '../m365/endpoint.js';
import { DEFAULT_ADMIN_CLIENT_ID, permissionsFor } from './permissions.js';
import type { RetryOptions } from '../m365/transport.js';
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, Transport } from '../m365/transport.js';

/**
 * Microsoft identity for the panel. This module stays light: msal-node, node-forge and the flows
 * are loaded with dynamic `import()` on first use, so that the panel's start-up does not pay for them.
 */

export * from './api.js';
export { permissionsFor } from './permissions.js';
export type { DataAccess, DataResource } from './data-access.js';

export interface AuthOptions {
  /** Endpoint override (contracts §6); default `process.env.BACKUP_PANEL_M365_ENDPOINT`. */
  readonly endpoint?: string;
  /** Public client for the admin's device-code sign-in; default Microsoft Graph Command Line Tools (env BACKUP_PANEL_ADMIN_CLIENT_ID). */
  readonly adminClientId?: string;
  /** Per request; default 30 000 ms (env BACKUP_PANEL_HTTP_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** Retries of 429/503; default 4 attempts, at most 30 s per wait. */
  readonly retry?: Partial<RetryOptions>;
  /** How long to wait for Entra after a registration; default 5 minutes. */
  readonly propagationTimeoutMs?: number;
  /** First wait between propagation checks (doubles up to 15 s); default 1 s. */
  readonly propagationBaseDelayMs?: number;
  /** The date the dated checks are judged at (EWS, legacy SharePoint sign-in, certificate expiry). */
  readonly now?: () => Date;
  /** For fault tests only. */
  readonly fetch?: typeof fetch;
  /** For the generated certificate's subject (CN=backup-panel-<hostName>); default os.hostname(). */
  readonly hostName?: string;
}

export const DEFAULT_PROPAGATION_TIMEOUT_MS = 5 * 60_000;

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n > 0 ? n : undefined;
}

function sessionKey(session: AdminSession): string {
  return `${session.tenantId.toLowerCase()}|${session.userPrincipalName.toLowerCase()}`;
}

/** A self-signed certificate with a new RSA key (see certificates.ts). */
export async function generateCertificate(subject: string, options?: GenerateOptions): Promise<CertificateMaterial> {
  const { generateCertificate: generate } = await import('./certificates.js');
  return generate(subject, options);
}

export function createAuth(options: AuthOptions = {}): AuthApi {
  const endpoint = parseEndpoint(options.endpoint ?? process.env.BACKUP_PANEL_M365_ENDPOINT);
  const timeoutMs = options.timeoutMs ?? positiveInt(process.env.BACKUP_PANEL_HTTP_TIMEOUT_MS) ?? DEFAULT_TIMEOUT_MS;
  const adminClientId = options.adminClientId ?? (process.env.BACKUP_PANEL_ADMIN_CLIENT_ID?.trim() || DEFAULT_ADMIN_CLIENT_ID);
  const now = options.now ?? (() => new Date());
  const propagationTimeoutMs = options.propagationTimeoutMs ?? DEFAULT_PROPAGATION_TIMEOUT_MS;
  const transport = new Transport({
    endpoint,
    timeoutMs,
    retry: { ...DEFAULT_RETRY, ...(options.retry ?? {}) },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    now,
  });
  // The admin's delegated token: in memory only, until the registration ends or the admin signs out.
  const adminTokens = new Map<string, AdminToken>();

  /** The admin's token for a session, or the reason there is none. */
  function heldToken(session: AdminSession, what: string): AdminToken {
    const key = sessionKey(session);
    const token = adminTokens.get(key);
    if (!token) throw new M365Error('Configuration', `The Microsoft 365 admin is not signed in (or has signed out); sign in again to ${what}.`);
    if (token.expiresOn && token.expiresOn.getTime() <= Date.now()) {
      adminTokens.delete(key);
      throw new M365Error('Configuration', `The Microsoft 365 admin sign-in has expired; sign in again to ${what}.`);
    }
    return token;
  }

  return {
    permissionsFor: (service: Service, call?: { readonly legacyEws?: boolean }) => permissionsFor(service, call),

    async resolveTenant(tenant, call = {}) {
      const { resolveTenant } = await import('./tenant.js');
      return resolveTenant(transport, tenant, call);
    },

    async signInAdmin(call) {
      const { signInWithDeviceCode } = await import('./device-code.js');
      // A named tenant signs in on its own cloud's hosts (GCC High: login.microsoftonline.us).
      const tenant = call.tenant?.trim();
      let cloud: Cloud = 'global';
      if (tenant && tenant !== 'organizations' && tenant !== 'common') {
        const { resolveTenant } = await import('./tenant.js');
        const { withManualHint } = await import('./errors.js');
        cloud = (await resolveTenant(transport, tenant, call).catch((error: unknown) => Promise.reject(error instanceof M365Error ? withManualHint(error) : error))).cloud;
      }
      const { session, token } = await signInWithDeviceCode(transport, adminClientId, {
        onPrompt: call.onPrompt,
        cloud,
        ...(tenant ? { tenant } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
      });
      adminTokens.set(sessionKey(session), token);
      return session;
    },

    async registerApp(session, call): Promise<RegisteredApp> {
      const token = heldToken(session, 'register the app');
      const { registerApplication } = await import('./registration.js');
      try {
        return await registerApplication(
          {
            transport,
            propagationTimeoutMs,
            hostName: options.hostName ?? hostname(),
            now: call.now ?? now(),
            ...(options.propagationBaseDelayMs !== undefined ? { propagationBaseDelayMs: options.propagationBaseDelayMs } : {}),
          },
          session,
          token,
          { ...call, onProgress: (p: RegistrationProgress) => call.onProgress(p) },
        );
      } finally {
        // The delegated token is not kept any longer than needed, unless the caller still needs it
        // (to retire the old certificate once the connection is saved) and signs out itself.
        if (!call.keepSignedIn) adminTokens.delete(sessionKey(session));
      }
    },

    async pruneCertificates(session, call) {
      const token = heldToken(session, 'update the app registration');
      const { pruneCertificates } = await import('./registration.js');
      await pruneCertificates(transport, session, token, call.clientId, call.keep, call.now ?? now(), call.signal);
    },

    async removeApp(session, call) {
      const token = heldToken(session, 'remove the app registration');
      const { removeApplication } = await import('./registration.js');
      return removeApplication(transport, session, token, call.clientId, call.signal);
    },

    signOutAdmin(session) {
      adminTokens.delete(sessionKey(session));
    },

    async loadCertificate(bytes: Uint8Array, password?: Secret, call?: CallOptions): Promise<CertificateMaterial> {
      const { loadCertificate } = await import('./certificates.js');
      return loadCertificate(bytes, password?.reveal(), call?.now ?? now());
    },

    async dataAccess(target: VerifyTarget) {
      const { createDataAccess } = await import('./data-access.js');
      return createDataAccess(transport, target, now);
    },

    async verify(target: VerifyTarget, call: CallOptions & { readonly onProgress?: (p: Progress) => void } = {}): Promise<CheckResult[]> {
      const { runVerification } = await import('./verify/index.js');
      return runVerification(
        {
          transport,
          now: call.now ?? now(),
          propagationTimeoutMs,
          sensitive: [],
          ...(call.signal ? { signal: call.signal } : {}),
          ...(options.propagationBaseDelayMs !== undefined ? { propagationBaseDelayMs: options.propagationBaseDelayMs } : {}),
        },
        target,
        call.onProgress,
      );
    },
  };
}
