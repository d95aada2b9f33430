import { X509Certificate } from 'node:crypto';
import { ROLES_THAT_REGISTER } from '../domain/admin-role-words.js';
import { displayText } from '../domain/display-text.js';
import { graphBase } from '../m365/clouds.js';
import { GraphCallError, GraphClient } from '../m365/graph-client.js';
import type { Transport } from '../m365/transport.js';
import { assertCanRegister, cannotCreateMessage } from './admin-roles.js';
import type { AdminSession, Permission, RegisteredApp, RegisterOptions, RegistrationStep } from './api.js';
import { M365Error } from './api.js';
import { certificateDerBase64, generateCertificate } from './certificates.js';
import type { AdminToken } from './device-code.js';
import { permissionsForAll, resourceOf } from './permissions.js';
import {
  assignmentsOf,
  findApplication,
  findServicePrincipal,
  grant,
  mergedRequiredResourceAccess,
  resolvePermissions,
  upsertApplication,
  upsertServicePrincipal,
  whileReplicating,
} from './registration-graph.js';
import { waitForEntra } from './registration-wait.js';

/**
 * Automatic app registration through Microsoft Graph with the admin's delegated token
 * (microsoft365.md §9.1, made idempotent):
 *
 * 1. look up (reads only): the resource APIs' role ids, the tenant's existing registration by its
 *    uniqueName (`backup-panel-<host>`), its service principal and the roles it already holds;
 * 2. check the admin's roles (`wids`) against what is left to do, before any write;
 * 3. a fresh certificate (lifetime chosen, default 1 year);
 * 4. `PATCH /applications(uniqueName=…)` + `Prefer: create-if-missing` with the new certificate
 *    beside those other connections still use, and the union of the permissions;
 * 5. `PATCH /servicePrincipals(appId=…)` + `Prefer: create-if-missing`;
 * 6. one appRoleAssignedTo per missing role;
 * 7. wait until a client-credential token for each resource carries every role.
 *
 * A retried or repeated run therefore never makes a second app: one registration per tenant serves
 * every connection of that tenant (Exchange and SharePoint), and a re-run rotates the certificate.
 */

export interface RegistrationDeps {
  readonly transport: Transport;
  readonly propagationTimeoutMs: number;
  readonly hostName: string;
  readonly now: Date;
  /** First wait between propagation checks (doubles up to 15 s). */
  readonly propagationBaseDelayMs?: number;
}

export const DEFAULT_CERTIFICATE_LIFETIME_DAYS = 365;

/** backup-panel-<host>: the alternate key of this server's registration in each tenant. */
export function uniqueNameFor(hostName: string): string {
  const host = hostName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `backup-panel-${host || 'host'}`;
}

/** keyCredentials for a PATCH (it replaces the whole list): the new certificate and those still in use. */
function keyCredentials(pems: readonly string[], now: Date): unknown[] {
  const seen = new Set<string>();
  const keys: unknown[] = [];
  for (const pem of pems) {
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(pem);
    } catch {
      continue;
    }
    if (seen.has(x509.fingerprint256) || Date.parse(x509.validTo) <= now.getTime()) continue;
    seen.add(x509.fingerprint256);
    const subject = x509.subject.split('\n').map((part) => part.trim()).filter(Boolean).join(', ');
    keys.push({ type: 'AsymmetricX509Cert', usage: 'Verify', displayName: subject.startsWith('CN=') ? subject : `CN=${subject}`, key: certificateDerBase64(pem) });
  }
  return keys;
}

export async function registerApplication(deps: RegistrationDeps, session: AdminSession, adminToken: AdminToken, options: RegisterOptions): Promise<RegisteredApp> {
  const { transport } = deps;
  const signal = options.signal;
  const graph = new GraphClient(transport, adminToken.accessToken, signal, graphBase(session.cloud));
  const name = displayText(options.displayName, { maxLength: 120 });
  const report = (step: RegistrationStep, detail: string, done: boolean) => options.onProgress({ step, detail, done });
  const legacyEws = options.legacyEws === true;
  const permissions = permissionsForAll([options.service, ...(options.alsoServes ?? [])], { legacyEws });
  const uniqueName = uniqueNameFor(deps.hostName);
  let written: { appId: string } | undefined;

  try {
    // 1. Look up (reads only).
    report('resolve-permissions', 'Looking up the permissions and an existing registration in the tenant', false);
    const resolved = await resolvePermissions(graph, permissions);
    const existing = await findApplication(graph, uniqueName);
    const existingSp = existing ? await findServicePrincipal(graph, existing.appId) : undefined;
    const held = existingSp ? await assignmentsOf(graph, existingSp.id) : [];
    const spOf = (p: Permission) => resolved.get(resourceOf(p).key)?.servicePrincipalId.toLowerCase() ?? '';
    const missing = permissions.filter((p) => !held.some((a) => a.appRoleId === p.id.toLowerCase() && a.resourceId === spOf(p)));
    report(
      'resolve-permissions',
      existing
        ? `Found the app registration '${uniqueName}' (client ID ${existing.appId}); ${missing.length ? `${missing.length} permission${missing.length === 1 ? '' : 's'} to grant` : 'every permission already granted'}`
        : `Found ${permissions.length} permissions in ${resolved.size} API${resolved.size === 1 ? '' : 's'}; no registration '${uniqueName}' yet`,
      true,
    );

    // 2. What the signed-in account may do, before anything is written.
    assertCanRegister(session.roles, session.userPrincipalName, { createOrUpdateApp: true, grants: missing });

    // 3. Certificate.
    const lifetimeDays = options.certificateLifetimeDays ?? DEFAULT_CERTIFICATE_LIFETIME_DAYS;
    report('certificate', `Creating a certificate (RSA 2048, valid ${lifetimeDays} days)`, false);
    const certificate = await generateCertificate(`CN=backup-panel-${deps.hostName}`, { now: deps.now, lifetimeDays });
    report('certificate', `Certificate created (SHA-256 thumbprint ${certificate.thumbprintSha256})`, true);

    // 4. The application (created, or updated with the new certificate and any missing permission).
    report('application', existing ? `Updating the app registration '${name}'` : `Creating the app registration '${name}'`, false);
    const app = await upsertApplication(
      graph,
      uniqueName,
      {
        displayName: options.displayName,
        signInAudience: 'AzureADMyOrg',
        keyCredentials: keyCredentials([certificate.certificatePem, ...(options.keepCertificates ?? [])], deps.now),
        requiredResourceAccess: mergedRequiredResourceAccess(existing?.requiredResourceAccess ?? [], permissions),
      },
      existing,
      signal,
    );
    written = { appId: app.appId };
    report('application', `App registration '${name}' ${app.created ? 'created' : 'reused, with a new certificate'} (client ID ${app.appId})`, true);

    // 5. Its service principal.
    report('service-principal', 'Creating the enterprise application (service principal)', false);
    const servicePrincipalId = await upsertServicePrincipal(graph, app.appId, options.displayName, existingSp, signal);
    report('service-principal', existingSp ? 'Enterprise application found' : 'Enterprise application created', true);

    // 6. Admin consent: one app-role assignment per missing permission.
    for (const [index, permission] of missing.entries()) {
      const detail = `Granting ${permission.name} (${index + 1} of ${missing.length})`;
      report('grant', detail, false);
      await grant(graph, servicePrincipalId, spOf(permission), permission, signal);
      report('grant', detail, true);
    }

    // 7. Wait until Entra issues tokens with every role.
    await waitForEntra(deps, session, { appId: app.appId, certificate, permissions, signal, siteUrl: options.siteUrl, report, name });

    return {
      tenantId: session.tenantId,
      cloud: session.cloud,
      clientId: app.appId,
      applicationObjectId: app.id,
      servicePrincipalId,
      uniqueName,
      displayName: options.displayName,
      certificate,
      grantedRoles: [...new Set(permissions.map((p) => p.name))],
      created: app.created,
      legacyEws,
    };
  } catch (error) {
    throw registrationError(error, { name, session, written });
  }
}

/** Leaves only `keep` on the registration's keyCredentials (a rotation's old certificate goes). */
export async function pruneCertificates(transport: Transport, session: AdminSession, adminToken: AdminToken, clientId: string, keep: readonly string[], now: Date, signal?: AbortSignal): Promise<void> {
  const graph = new GraphClient(transport, adminToken.accessToken, signal, graphBase(session.cloud));
  const keys = keyCredentials(keep, now);
  if (keys.length === 0) throw new M365Error('Configuration', 'At least one valid certificate must stay on the app registration.');
  await whileReplicating(() => graph.request('PATCH', `/applications(appId='${encodeURIComponent(clientId)}')`, { keyCredentials: keys }, { idempotent: true }), signal);
}

/** Deletes the app registration (its service principal goes with it). */
export async function removeApplication(transport: Transport, session: AdminSession, adminToken: AdminToken, clientId: string, signal?: AbortSignal): Promise<'removed' | 'not-found'> {
  const graph = new GraphClient(transport, adminToken.accessToken, signal, graphBase(session.cloud));
  try {
    await graph.request('DELETE', `/applications(appId='${encodeURIComponent(clientId)}')`);
    return 'removed';
  } catch (error) {
    if (error instanceof GraphCallError && error.status === 404) return 'not-found';
    if (error instanceof GraphCallError && error.status === 403) {
      throw new M365Error('ConsentMissing', `The account that signed in (${displayText(session.userPrincipalName, { maxLength: 120 })}) may not delete app registrations (${error.message}).`, undefined, 'Sign in with Global Administrator or Application Administrator, or delete it in the Microsoft Entra admin center.');
    }
    throw error;
  }
}

function registrationError(error: unknown, ctx: { name: string; session: AdminSession; written: { appId: string } | undefined }): M365Error {
  const tenant = displayText(ctx.session.tenantId, { maxLength: 80 });
  const account = displayText(ctx.session.userPrincipalName, { maxLength: 120 });
  const rerun = ctx.written
    ? `The app registration '${ctx.name}' (client ID ${ctx.written.appId}) exists but is not complete: run Automatic registration again (it continues with the same app), or grant admin consent to it in the Microsoft Entra admin center and use Manual registration.`
    : undefined;
  if (error instanceof GraphCallError) {
    if (error.status === 403) {
      const why = !ctx.written ? cannotCreateMessage(ctx.session.roles) : undefined;
      return new M365Error(
        'ConsentMissing',
        `Failed to register '${ctx.name}' with tenant '${tenant}': Microsoft Graph refused the account that signed in (${account}) (${error.message}).${why ? ` ${why}` : ''}`,
        undefined,
        `${rerun ? `${rerun} ` : ''}Sign in with ${ROLES_THAT_REGISTER}.`,
      );
    }
    if (error.status === 401) {
      return new M365Error('Configuration', `Failed to register '${ctx.name}' with tenant '${tenant}': Microsoft Graph no longer accepts the admin sign-in (${error.message}).`, undefined, `Sign in again. ${rerun ?? ''}`.trim());
    }
    return new M365Error(error.status >= 500 ? 'ServerError' : 'Unknown', `Failed to register '${ctx.name}' with tenant '${tenant}': Microsoft Graph answered ${error.message}.`, undefined, rerun ?? 'Try again in a few minutes, or use Manual registration.');
  }
  if (error instanceof M365Error) {
    if (error.category === 'PropagationPending' || error.category === 'Cancelled' || !rerun) return error;
    return new M365Error(error.category, error.message, error.aadsts, error.hint ? `${error.hint} ${rerun}` : rerun);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new M365Error('Unknown', `Failed to register '${ctx.name}' with tenant '${tenant}': ${displayText(message, { maxLength: 200 })}.`, undefined, rerun);
}
