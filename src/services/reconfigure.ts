import type { CertificateMaterial, CheckResult, Progress, VerifyTarget } from '../auth/api.js';
import type { AppCertificateCredential, AppSecretCredential, BasicCredential, Cloud, Connection, Secret, StoreDocument } from '../domain/index.js';
import {
  certificateDatesProblem,
  clientIdProblem,
  CONNECTION_SECRET_FIELDS,
  connectionSecretRef,
  displayText,
  mailboxProblem,
  secretExpiryProblem,
  SHAREPOINT_NEEDS_CERTIFICATE,
  tenantProblem,
} from '../domain/index.js';
import type { EditTools } from '../store/api.js';
import type { RevisionGuard } from './alerts.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { findConnection } from './lookup.js';
import { assertUnchanged } from './stale-guard.js';
import { assertSameTenant } from './registration/tenant-guard.js';
import { firstFailure } from './verification.js';

export type AppCredentialInput =
  | { readonly kind: 'certificate'; readonly certificate: CertificateMaterial }
  | { readonly kind: 'secret'; readonly clientSecret: Secret; readonly expiresAt?: string };

/** The Modern Authentication settings for a Microsoft 365 connection (manual or automatic registration). */
export interface ModernAuthInput {
  readonly tenantId: string;
  /** The tenant's national cloud (detected from its OpenID configuration); absent = global. */
  readonly cloud?: Cloud;
  readonly clientId: string;
  readonly credential: AppCredentialInput;
  /** Exchange: mailbox of a licensed user, used to verify access. */
  readonly mailbox?: string;
  readonly registration: {
    readonly method: 'automatic' | 'manual';
    readonly applicationObjectId?: string;
    readonly servicePrincipalId?: string;
    /** Automatic: the alternate key a later run finds the same registration by. */
    readonly uniqueName?: string;
    /** The directory GUID (when the tenant is named by a domain). */
    readonly directoryId?: string;
    /** Automatic: legacy EWS (full_access_as_app) was granted at the admin's request. */
    readonly legacyEws?: boolean;
    readonly registeredBy?: string;
  };
  /**
   * SharePoint only: the legacy half of "modern and legacy". 'keep' moves the old Basic credential
   * there; an explicit account replaces it; absent = none (Microsoft blocked legacy sign-in).
   */
  readonly legacyAccount?: 'keep' | { readonly userName: string; readonly password: Secret };
  /** Within minutes of an automatic registration: verification waits for Entra to catch up. */
  readonly recentlyRegistered?: boolean;
}

export class VerificationFailed extends ServiceError {
  constructor(
    readonly checks: readonly CheckResult[],
    connectionName: string,
  ) {
    const failure = firstFailure(checks);
    // The check's own words, shortened so that "Nothing was saved." always follows; its next step (in the front end's words) comes last.
    const reason = displayText((failure?.next ? failure.detail : undefined) ?? failure?.message ?? '', { maxLength: 400 });
    super('verification-failed', `Verification of '${displayText(connectionName)}' failed at "${failure?.name ?? '?'}": ${reason} Nothing was saved.`, failure?.next);
  }
}

/** Field checks that need no network (domain/field-rules.ts): GUIDs, domains, dates, SharePoint's certificate. */
export function validateModernAuthInput(input: ModernAuthInput, now: Date, connection?: Connection): void {
  if (connection?.service === 'sharepoint' && input.credential.kind === 'secret') throw new ServiceError('bad-input', SHAREPOINT_NEEDS_CERTIFICATE);
  const problem =
    (input.credential.kind === 'secret' && input.credential.expiresAt !== undefined ? secretExpiryProblem(input.credential.expiresAt.slice(0, 10), now.toISOString().slice(0, 10)) : undefined) ??
    tenantProblem(input.tenantId) ??
    clientIdProblem(input.clientId) ??
    (input.credential.kind === 'certificate' ? certificateDatesProblem(input.credential.certificate.notAfter, now) : undefined) ??
    (input.mailbox !== undefined ? mailboxProblem(input.mailbox) : undefined);
  if (problem) throw new ServiceError('bad-input', problem);
}

/**
 * The mailbox used to verify an Exchange Online connection: the one given, else the connection's,
 * else (for an obsolete connection) the account it signed in with, which had a mailbox.
 */
export function mailboxFor(connection: Connection, input: Pick<ModernAuthInput, 'mailbox'>): string | undefined {
  if (connection.service !== 'exchange' || connection.location !== 'online') return undefined;
  return input.mailbox ?? connection.mailbox ?? (connection.credential.kind === 'basic' ? connection.credential.userName : undefined);
}

function legacyOf(connection: Connection): BasicCredential | undefined {
  if (connection.location !== 'online' || connection.service !== 'sharepoint') return undefined;
  if (connection.credential.kind === 'basic') return connection.credential;
  return connection.legacyAccount;
}

/** The verification target the new settings would give the connection. */
export function modernTarget(ctx: Pick<ServiceContext, 'store'>, connection: Connection, input: ModernAuthInput): VerifyTarget {
  if (connection.location !== 'online') throw new ServiceError('bad-input', 'On-premises connections keep Basic Authentication; only Microsoft 365 connections use an app registration.');
  let legacyAccount: { userName: string; password: Secret } | undefined;
  if (input.legacyAccount === 'keep') {
    const old = legacyOf(connection);
    if (old) {
      const field = connection.credential.kind === 'basic' ? CONNECTION_SECRET_FIELDS.password : CONNECTION_SECRET_FIELDS.legacyPassword;
      legacyAccount = { userName: old.userName, password: ctx.store.reveal(old.password, connectionSecretRef(connection.id, field)) };
    }
  } else if (input.legacyAccount) {
    legacyAccount = input.legacyAccount;
  }
  return {
    kind: 'online-app',
    service: connection.service,
    ...(input.cloud && input.cloud !== 'global' ? { cloud: input.cloud } : {}),
    ...(input.registration.legacyEws ? { legacyEws: true } : {}),
    tenantId: input.tenantId,
    clientId: input.clientId,
    credential: input.credential.kind === 'certificate' ? { kind: 'certificate', certificate: input.credential.certificate } : { kind: 'secret', clientSecret: input.credential.clientSecret },
    ...(mailboxFor(connection, input) ? { mailbox: mailboxFor(connection, input) } : {}),
    ...(connection.service === 'sharepoint' ? { siteUrl: connection.url } : {}),
    ...(legacyAccount ? { legacyAccount } : {}),
    ...(input.recentlyRegistered ? { recentlyRegistered: true } : {}),
  };
}

export async function verifyModernAuth(
  ctx: ServiceContext,
  ref: string,
  given: ModernAuthInput,
  options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<readonly CheckResult[]> {
  const connection = findConnection(ctx.store.current(), ref);
  validateModernAuthInput(given, ctx.now(), connection);
  // The tenant's cloud decides every host the checks talk to.
  const input = await withTenantInfo(ctx, given, options.signal);
  const auth = await ctx.auth();
  return auth.verify(modernTarget(ctx, connection, input), {
    now: ctx.now(),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

function sealedCredential(connectionId: string, input: ModernAuthInput, tools: EditTools): AppCertificateCredential | AppSecretCredential {
  const registration = { ...input.registration, registeredAt: tools.now.toISOString() };
  if (input.credential.kind === 'certificate') {
    const c = input.credential.certificate;
    return {
      kind: 'app-certificate',
      tenantId: input.tenantId,
      clientId: input.clientId,
      registration,
      certificate: { pem: c.certificatePem, thumbprintSha256: c.thumbprintSha256, subject: c.subject, notBefore: c.notBefore, notAfter: c.notAfter },
      privateKey: tools.seal(c.privateKeyPem.reveal(), connectionSecretRef(connectionId, CONNECTION_SECRET_FIELDS.privateKey)),
    };
  }
  return {
    kind: 'app-secret',
    tenantId: input.tenantId,
    clientId: input.clientId,
    registration,
    clientSecret: tools.seal(input.credential.clientSecret.reveal(), connectionSecretRef(connectionId, CONNECTION_SECRET_FIELDS.clientSecret)),
    ...(input.credential.expiresAt ? { expiresAt: input.credential.expiresAt } : {}),
  };
}

/**
 * Replaces a Microsoft 365 connection's credential with the verified Modern Authentication settings.
 * Keeps id, name and every job; the old password leaves the store (unless kept as SharePoint's
 * legacy account); the obsolete alert disappears with the Basic credential.
 */
export async function saveModernAuth(
  ctx: ServiceContext,
  connectionId: string,
  given: ModernAuthInput,
  checks: readonly CheckResult[],
  guard: RevisionGuard & {
    readonly displayName?: string;
    readonly basedOn?: Connection;
    /** The admin confirmed that the connection moves to another tenant (else such a save is refused). */
    readonly allowTenantChange?: boolean;
    /** How the front end confirms a tenant change, for the refusal's words (CLI: "add --change-tenant"). */
    readonly confirmWith?: string;
  } = {},
): Promise<Connection> {
  const failure = firstFailure(checks);
  if (checks.length === 0 || failure) {
    throw new ServiceError('verification-failed', 'The settings were not verified (a check failed or none ran); nothing was saved.');
  }
  const before = ctx.store.current().connections.find((c) => c.id === connectionId);
  validateModernAuthInput(given, ctx.now(), before);
  const input = await withTenantInfo(ctx, given);
  if (before) {
    await assertSameTenant(ctx, before, input.tenantId, {
      ...(guard.allowTenantChange ? { allowTenantChange: true } : {}),
      ...(input.registration.directoryId ? { newDirectoryId: input.registration.directoryId } : {}),
      ...(guard.confirmWith ? { confirmWith: guard.confirmWith } : {}),
    });
  }
  return ctx.store.update(
    (draft: StoreDocument, tools) => {
      const index = draft.connections.findIndex((c) => c.id === connectionId);
      const current = draft.connections[index];
      if (!current) throw new ServiceError('bad-input', `Server connection '${displayText(connectionId)}' no longer exists (another session deleted it); nothing was saved.`);
      assertUnchanged(current, guard.basedOn, `Server connection '${displayText(current.displayName)}'`);
      if (current.location !== 'online') throw new ServiceError('bad-input', 'On-premises connections keep Basic Authentication.');
      const wasObsolete = current.credential.kind === 'basic';
      let legacyAccount: BasicCredential | undefined;
      if (current.service === 'sharepoint') {
        const target = modernTarget(ctx, current, input);
        if (target.kind === 'online-app' && target.legacyAccount) {
          legacyAccount = {
            kind: 'basic',
            userName: target.legacyAccount.userName,
            password: tools.seal(target.legacyAccount.password.reveal(), connectionSecretRef(current.id, CONNECTION_SECRET_FIELDS.legacyPassword)),
          };
        }
      }
      const { obsoleteSince: _obsoleteSince, legacyAccount: _oldLegacy, cloud: _oldCloud, ...rest } = current as Connection & { legacyAccount?: unknown; obsoleteSince?: string; cloud?: Cloud };
      const next = {
        ...rest,
        ...(input.cloud && input.cloud !== 'global' ? { cloud: input.cloud } : {}),
        ...(guard.displayName ? { displayName: guard.displayName } : {}),
        credential: sealedCredential(current.id, input, tools),
        modified: tools.now.toISOString(),
        ...(mailboxFor(current, input) ? { mailbox: mailboxFor(current, input) } : {}),
        ...(legacyAccount ? { legacyAccount } : {}),
      } as Connection;
      draft.connections[index] = next;
      return {
        change: {
          action: 'connection.reconfigure',
          entity: { type: 'connection', id: current.id },
          fields: ['credential', ...(legacyAccount ? ['legacyAccount'] : []), ...(input.mailbox ? ['mailbox'] : [])],
          details: {
            from: wasObsolete ? 'basic' : current.credential.kind,
            to: next.location === 'online' ? next.credential.kind : '',
            method: input.registration.method,
            tenant: input.tenantId,
            clientId: input.clientId,
            ...(input.cloud && input.cloud !== 'global' ? { cloud: input.cloud } : {}),
          },
        },
        result: next,
      };
    },
    guard.expectRevision === undefined ? {} : { expectRevision: guard.expectRevision },
  );
}

/**
 * Manual reconfiguration in one go (the CLI): field checks and the tenant rule first, the tenant's
 * cloud and directory GUID from its OpenID configuration, then verify, and save only if no check
 * failed.
 */
export async function reconfigureConnection(
  ctx: ServiceContext,
  ref: string,
  given: ModernAuthInput,
  options: { signal?: AbortSignal; onProgress?: (p: Progress) => void; allowTenantChange?: boolean; confirmWith?: string } = {},
): Promise<{ connection: Connection; checks: readonly CheckResult[] }> {
  const before = findConnection(ctx.store.current(), ref);
  if (before.location !== 'online') throw new ServiceError('bad-input', 'On-premises connections keep Basic Authentication; only Microsoft 365 connections use an app registration.');
  validateModernAuthInput(given, ctx.now(), before);
  const input = await withTenantInfo(ctx, given, options.signal);
  const guard = {
    ...(options.allowTenantChange ? { allowTenantChange: true } : {}),
    ...(input.registration.directoryId ? { newDirectoryId: input.registration.directoryId } : {}),
    ...(options.confirmWith ? { confirmWith: options.confirmWith } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  await assertSameTenant(ctx, before, input.tenantId, guard);
  const checks = await verifyModernAuth(ctx, before.id, input, options);
  if (firstFailure(checks)) throw new VerificationFailed(checks, before.displayName);
  const connection = await saveModernAuth(ctx, before.id, input, checks, { basedOn: before, ...guard });
  return { connection, checks };
}

/**
 * The input with the tenant's cloud and directory GUID, read from its OpenID configuration. When
 * Entra cannot be asked, the input stays as given and the verification says what is wrong.
 */
export async function withTenantInfo(ctx: ServiceContext, input: ModernAuthInput, signal?: AbortSignal): Promise<ModernAuthInput> {
  if (input.cloud && input.registration.directoryId) return input;
  try {
    const auth = await ctx.auth();
    const info = await auth.resolveTenant(input.tenantId, signal ? { signal } : {});
    return { ...input, cloud: input.cloud ?? info.cloud, registration: { ...input.registration, directoryId: input.registration.directoryId ?? info.tenantId } };
  } catch {
    return input;
  }
}
