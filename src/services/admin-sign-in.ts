import type { AdminSession, DeviceCodePrompt, Permission, RegisteredApp, RegistrationProgress } from '../auth/api.js';
import type { Service } from '../domain/index.js';
import type { ServiceContext } from './context.js';
import { keepForTenant } from './registration/tenant-app.js';

/**
 * Automatic registration as the front ends see it: the admin's device-code sign-in, the app
 * registration made with that session, and the permissions it grants (shown before signing in).
 * The TUI and the CLI call these; neither reaches into auth/ itself.
 */
export type { AdminSession, DeviceCodePrompt, Permission, RegisteredApp, RegistrationProgress } from '../auth/api.js';
/** The check and certificate types the front ends draw (they come from the identity layer). */
export type { CertificateMaterial, CheckResult, Progress } from '../auth/api.js';

export async function signInAdmin(
  ctx: Pick<ServiceContext, 'auth'>,
  options: { readonly tenant: string; readonly signal?: AbortSignal; readonly onPrompt: (prompt: DeviceCodePrompt) => void },
): Promise<AdminSession> {
  const auth = await ctx.auth();
  return auth.signInAdmin(options);
}

export async function registerApplication(
  ctx: Pick<ServiceContext, 'auth' | 'store'>,
  session: AdminSession,
  options: {
    readonly service: Service;
    readonly displayName: string;
    readonly siteUrl?: string;
    readonly signal?: AbortSignal;
    readonly onProgress: (progress: RegistrationProgress) => void;
  },
): Promise<RegisteredApp> {
  const auth = await ctx.auth();
  // One registration per tenant: keep the roles and certificates of the tenant's other connections.
  const keep = keepForTenant(ctx.store.current(), session.tenantId, session.cloud);
  return auth.registerApp(session, { ...options, alsoServes: keep.alsoServes, keepCertificates: keep.keepCertificates });
}

/** What automatic registration grants for a service; loads the identity layer on first use. */
export async function registrationPermissions(ctx: Pick<ServiceContext, 'auth'>, service: Service): Promise<readonly Permission[]> {
  const auth = await ctx.auth();
  return auth.permissionsFor(service);
}
