import { hostname } from 'node:os';
import type { AdminSession, CheckResult, DeviceCodePrompt, Progress, RegisteredApp, RegistrationProgress } from '../../auth/api.js';
import type { Connection } from '../../domain/index.js';
import { displayText, domainOfUpn, tenantFromSharePointUrl } from '../../domain/index.js';
import type { ServiceContext } from '../context.js';
import { ServiceError } from '../errors.js';
import { findConnection } from '../lookup.js';
import type { ModernAuthInput } from '../reconfigure.js';
import { mailboxFor, saveModernAuth, VerificationFailed, verifyModernAuth } from '../reconfigure.js';
import { firstFailure } from '../verification.js';
import { certificatesAfterRotation, tenantApp } from './tenant-app.js';
import { assertSameTenant, tenantOfConnection } from './tenant-guard.js';

/**
 * Automatic registration of a Microsoft 365 connection in one go, for the CLI (`connections
 * reconfigure <conn> --automatic`) and, later, the TUI: device-code sign-in in the connection's
 * tenant (its cloud detected), the admin's roles, the tenant's shared registration reused or
 * created (never a second one), a fresh certificate, verification, save, and the previous
 * certificate retired once the new one is saved. Nothing is saved unless every check passes.
 */

export interface AutomaticOptions {
  readonly signal?: AbortSignal;
  /** Exchange: mailbox of a licensed user to verify with (default: the connection's). */
  readonly mailbox?: string;
  /** Grant legacy EWS (full_access_as_app) as well; EWS in Exchange Online ends on 2027-04-01. */
  readonly legacyEws?: boolean;
  /** The new certificate's lifetime in days (default 365). */
  readonly certificateLifetimeDays?: number;
  /** The app registration's display name (default "backup-panel (<host>)"). */
  readonly displayName?: string;
  /** The admin confirmed moving the connection to another tenant. */
  readonly allowTenantChange?: boolean;
  /** How the front end confirms a tenant change, for the refusal's words. */
  readonly confirmWith?: string;
  readonly onPrompt: (prompt: DeviceCodePrompt) => void;
  /** After sign-in: who signed in and what the account can do (roles summary). */
  readonly onSignedIn?: (session: AdminSession) => void;
  readonly onProgress?: (progress: RegistrationProgress) => void;
  readonly onChecks?: (progress: Progress) => void;
}

export interface AutomaticResult {
  readonly connection: Connection;
  readonly checks: readonly CheckResult[];
  readonly app: RegisteredApp;
  /** Other connections of the tenant that share the registration. */
  readonly sharedWith: readonly string[];
  /** false: the previous certificate could not be removed from the registration (it stays until it expires). */
  readonly pruned: boolean;
}

/** Where to sign in: the connection's tenant (a GUID or domain), or its admin's domain when obsolete. */
export function signInTenant(connection: Connection): string | undefined {
  const known = tenantOfConnection(connection);
  if (known) return known.name;
  if (connection.location === 'online' && connection.service === 'sharepoint') return tenantFromSharePointUrl(connection.url);
  if (connection.location === 'online' && connection.credential.kind === 'basic') return domainOfUpn(connection.credential.userName);
  return undefined;
}

export async function reconfigureAutomatically(ctx: ServiceContext, ref: string, options: AutomaticOptions): Promise<AutomaticResult> {
  const connection = findConnection(ctx.store.current(), ref);
  if (connection.location !== 'online') throw new ServiceError('bad-input', 'On-premises connections keep Basic Authentication; only Microsoft 365 connections use an app registration.');
  const auth = await ctx.auth();
  const signal = options.signal;
  const tenant = signInTenant(connection);
  const session = await auth.signInAdmin({ ...(tenant ? { tenant } : {}), onPrompt: options.onPrompt, ...(signal ? { signal } : {}) });
  try {
    options.onSignedIn?.(session);
    const guard = {
      newDirectoryId: session.tenantId,
      ...(options.allowTenantChange ? { allowTenantChange: true } : {}),
      ...(options.confirmWith ? { confirmWith: options.confirmWith } : {}),
      ...(signal ? { signal } : {}),
    };
    // Before anything is written in the tenant.
    await assertSameTenant(ctx, connection, session.tenantId, guard);
    const shared = tenantApp(ctx.store.current(), connection, session.tenantId, session.cloud);
    const app = await auth.registerApp(session, {
      service: connection.service,
      alsoServes: shared.alsoServes,
      displayName: options.displayName ?? `backup-panel (${hostname()})`,
      keepCertificates: shared.keepCertificates,
      keepSignedIn: true,
      ...(connection.service === 'sharepoint' ? { siteUrl: connection.url } : {}),
      ...(options.legacyEws ? { legacyEws: true } : {}),
      ...(options.certificateLifetimeDays !== undefined ? { certificateLifetimeDays: options.certificateLifetimeDays } : {}),
      ...(signal ? { signal } : {}),
      onProgress: (p) => options.onProgress?.(p),
    });
    const input: ModernAuthInput = {
      tenantId: app.tenantId,
      cloud: app.cloud,
      clientId: app.clientId,
      credential: { kind: 'certificate', certificate: app.certificate },
      ...(options.mailbox ? { mailbox: options.mailbox } : {}),
      registration: {
        method: 'automatic',
        applicationObjectId: app.applicationObjectId,
        servicePrincipalId: app.servicePrincipalId,
        uniqueName: app.uniqueName,
        directoryId: app.tenantId,
        registeredBy: session.userPrincipalName,
        ...(app.legacyEws ? { legacyEws: true } : {}),
      },
      // No legacy account: SharePoint Online's legacy sign-in is blocked since 2026-05-01.
      recentlyRegistered: true,
    };
    if (connection.service === 'exchange' && !mailboxFor(connection, input)) {
      throw new ServiceError('bad-input', `No mailbox is known to verify '${displayText(connection.displayName)}' with; give one (--mailbox user@domain).`);
    }
    const checks = await verifyModernAuth(ctx, connection.id, input, { ...(signal ? { signal } : {}), ...(options.onChecks ? { onProgress: options.onChecks } : {}) });
    if (firstFailure(checks)) throw new VerificationFailed(checks, connection.displayName);
    const saved = await saveModernAuth(ctx, connection.id, input, checks, { basedOn: connection, ...guard });
    // The previous certificate of this connection goes only now that the new one is saved.
    const pruned = await auth
      .pruneCertificates(session, { clientId: app.clientId, keep: certificatesAfterRotation(shared, app.certificate.certificatePem), ...(signal ? { signal } : {}) })
      .then(() => true, () => false);
    return { connection: saved, checks, app, sharedWith: shared.siblings.map((c) => c.displayName), pruned };
  } finally {
    auth.signOutAdmin(session);
  }
}
