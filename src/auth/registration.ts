import type { Service } from '../domain/index.js';
import { displayText } from '../domain/display-text.js';
import type { AdminSession, CertificateMaterial, Permission, RegisteredApp, RegistrationProgress, RegistrationStep } from './api.js';
import { M365Error } from './api.js';
import { certificateDerBase64, generateCertificate } from './certificates.js';
import { acquireAppToken } from './client-credentials.js';
import type { AdminToken } from './device-code.js';
import { GraphCallError, GraphClient } from '../m365/graph-client.js';
import type { Resource, ResourceKey } from './permissions.js';
import { EXCHANGE_SCOPE, GRAPH_SCOPE, permissionsFor, resourceOf, sharePointScope } from './permissions.js';
import type { Transport } from '../m365/transport.js';
import { sleep } from '../m365/transport.js';

/**
 * Automatic app registration through Microsoft Graph with the admin's delegated token
 * (microsoft365.md §9.1): certificate → resolve the resource service principals and role ids at run
 * time → POST /applications → POST /servicePrincipals → one appRoleAssignedTo per permission → wait
 * until a client-credential token for each resource carries every role.
 */

export interface RegistrationDeps {
  readonly transport: Transport;
  readonly propagationTimeoutMs: number;
  readonly hostName: string;
  readonly now: Date;
  /** First wait between propagation checks (doubles up to 15 s). */
  readonly propagationBaseDelayMs?: number;
}

export interface RegistrationOptions {
  readonly service: Service;
  readonly displayName: string;
  readonly onProgress: (p: RegistrationProgress) => void;
  readonly signal?: AbortSignal;
  /** SharePoint: https://<tenant>.sharepoint.com (else found through Graph). */
  readonly siteUrl?: string;
}

interface AppRole {
  readonly id: string;
  readonly value: string;
  readonly isEnabled?: boolean;
  readonly allowedMemberTypes?: readonly string[];
}

interface ResolvedResource {
  readonly resource: Resource;
  readonly servicePrincipalId: string;
}

/** Consistency window for Graph writes that follow each other (SP after app, grant after SP). */
const GRAPH_WRITE_RETRY_MS = 60_000;

export async function registerApplication(
  deps: RegistrationDeps,
  session: AdminSession,
  adminToken: AdminToken,
  options: RegistrationOptions,
): Promise<RegisteredApp> {
  const { transport } = deps;
  const graph = new GraphClient(transport, adminToken.accessToken, options.signal);
  const name = displayText(options.displayName, { maxLength: 120 });
  const tenant = displayText(session.tenantId, { maxLength: 80 });
  const report = (step: RegistrationStep, detail: string, done: boolean) => options.onProgress({ step, detail, done });
  const permissions = permissionsFor(options.service);
  let created: { objectId: string; appId: string } | undefined;

  try {
    // 1. Certificate
    report('certificate', 'Creating a certificate (RSA 2048, valid 2 years)', false);
    const certificate = await generateCertificate(`CN=backup-panel-${deps.hostName}`, { now: deps.now });
    report('certificate', `Certificate created (SHA-256 thumbprint ${certificate.thumbprintSha256})`, true);

    // 2. Resolve the resources and their role ids at run time.
    report('resolve-permissions', 'Looking up the permissions in the tenant', false);
    const resolved = await resolvePermissions(graph, permissions);
    report('resolve-permissions', `Found ${permissions.length} permissions in ${resolved.size} APIs`, true);

    // 3. The application
    report('application', `Creating the app registration '${name}'`, false);
    const application = await graph.post<{ id?: string; appId?: string }>('/applications', applicationBody(options.displayName, certificate, permissions));
    if (!application?.id || !application.appId) throw new M365Error('Unknown', 'Microsoft Graph did not return the new application’s id.');
    created = { objectId: application.id, appId: application.appId };
    report('application', `App registration '${name}' created (client ID ${created.appId})`, true);

    // 4. Its service principal (Entra may not know the new app for a few seconds).
    report('service-principal', 'Creating the enterprise application (service principal)', false);
    const appId = created.appId;
    const sp = await retryGraphWrite(() => graph.post<{ id?: string }>('/servicePrincipals', { appId }), options.signal);
    if (!sp?.id) throw new M365Error('Unknown', 'Microsoft Graph did not return the new service principal’s id.');
    const servicePrincipalId = sp.id;
    report('service-principal', 'Enterprise application created', true);

    // 5. Admin consent: one app-role assignment per permission.
    for (const [index, permission] of permissions.entries()) {
      const detail = `Granting ${permission.name} (${index + 1} of ${permissions.length})`;
      report('grant', detail, false);
      const target = resolved.get(resourceOf(permission).key) as ResolvedResource;
      await retryGraphWrite(
        () =>
          graph.post(`/servicePrincipals/${encodeURIComponent(target.servicePrincipalId)}/appRoleAssignedTo`, {
            principalId: servicePrincipalId,
            resourceId: target.servicePrincipalId,
            appRoleId: permission.id,
          }),
        options.signal,
        // Already granted (a retried request that had succeeded): fine. Entra answers that with a
        // plain 400 Request_BadRequest, so its message is the only signal there is.
        (error) => error.status === 409 || (error.status === 400 && /already exists/i.test(error.info.message ?? '')),
      );
      report('grant', detail, true);
    }

    // 6. Wait until Entra issues tokens with every role.
    await waitForEntra(deps, session, { appId, certificate, permissions, signal: options.signal, siteUrl: options.siteUrl, report, name });

    return {
      tenantId: session.tenantId,
      clientId: appId,
      applicationObjectId: created.objectId,
      servicePrincipalId,
      displayName: options.displayName,
      certificate,
      grantedRoles: [...new Set(permissions.map((p) => p.name))],
    };
  } catch (error) {
    throw registrationError(error, { name, tenant, created, session });
  }
}

async function resolvePermissions(graph: GraphClient, permissions: readonly Permission[]): Promise<Map<ResourceKey, ResolvedResource>> {
  const result = new Map<ResourceKey, ResolvedResource>();
  for (const resource of new Set(permissions.map(resourceOf))) {
    let sp: { id?: string; appRoles?: AppRole[] };
    try {
      sp = await graph.get(`/servicePrincipals(appId='${resource.appId}')?$select=id,appRoles`);
    } catch (error) {
      if (error instanceof GraphCallError && error.status === 404) {
        throw new M365Error('Configuration', `${resource.name} (app ID ${resource.appId}) has no service principal in this tenant: the service is not enabled or licensed there.`, undefined, 'Check the tenant’s subscriptions, or use Manual registration.');
      }
      throw error;
    }
    if (!sp?.id) throw new M365Error('Unknown', `Microsoft Graph returned no id for ${resource.name}.`);
    const roles = sp.appRoles ?? [];
    for (const permission of permissions.filter((p) => p.resourceAppId === resource.appId)) {
      const role = roles.find((r) => r.value === permission.name);
      if (!role) {
        throw new M365Error('Configuration', `${resource.name} in this tenant has no application permission '${permission.name}'; nothing was created.`, undefined, 'Report this to the backup-panel maintainers; use Manual registration meanwhile.');
      }
      if (role.id.toLowerCase() !== permission.id.toLowerCase()) {
        throw new M365Error(
          'Configuration',
          `${resource.name}'s permission '${permission.name}' has id ${displayText(role.id, { maxLength: 40 })} in this tenant, not the expected ${permission.id}; nothing was created.`,
          undefined,
          'Report this to the backup-panel maintainers; use Manual registration meanwhile.',
        );
      }
      if (role.isEnabled === false || (role.allowedMemberTypes && !role.allowedMemberTypes.includes('Application'))) {
        throw new M365Error('Configuration', `${resource.name}'s permission '${permission.name}' cannot be granted to an application in this tenant; nothing was created.`);
      }
    }
    result.set(resource.key, { resource, servicePrincipalId: sp.id });
  }
  return result;
}

function applicationBody(displayName: string, certificate: CertificateMaterial, permissions: readonly Permission[]): unknown {
  const byResource = new Map<string, { id: string; type: 'Role' }[]>();
  for (const p of permissions) {
    const list = byResource.get(p.resourceAppId) ?? [];
    if (!list.some((r) => r.id === p.id)) list.push({ id: p.id, type: 'Role' });
    byResource.set(p.resourceAppId, list);
  }
  return {
    displayName,
    signInAudience: 'AzureADMyOrg',
    keyCredentials: [
      {
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        displayName: certificate.subject,
        key: certificateDerBase64(certificate.certificatePem),
      },
    ],
    requiredResourceAccess: [...byResource].map(([resourceAppId, resourceAccess]) => ({ resourceAppId, resourceAccess })),
  };
}

/** Retries a Graph write while Entra's directory catches up (400/404 right after a create). */
async function retryGraphWrite<T>(write: () => Promise<T>, signal: AbortSignal | undefined, accept?: (error: GraphCallError) => boolean): Promise<T> {
  const deadline = Date.now() + GRAPH_WRITE_RETRY_MS;
  let delay = 500;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (error instanceof GraphCallError && accept?.(error)) return undefined as T;
      const transient = error instanceof GraphCallError && (error.status === 400 || error.status === 404) && error.code !== 'Authorization_RequestDenied';
      if (!transient || Date.now() + delay > deadline) throw error;
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 8000);
    }
  }
}

interface WaitArgs {
  readonly appId: string;
  readonly certificate: CertificateMaterial;
  readonly permissions: readonly Permission[];
  readonly signal: AbortSignal | undefined;
  readonly siteUrl: string | undefined;
  readonly name: string;
  readonly report: (step: RegistrationStep, detail: string, done: boolean) => void;
}

async function waitForEntra(deps: RegistrationDeps, session: AdminSession, args: WaitArgs): Promise<void> {
  const started = Date.now();
  const deadline = started + deps.propagationTimeoutMs;
  const credential = { kind: 'certificate' as const, certificate: args.certificate };
  const resources = [...new Set(args.permissions.map(resourceOf))].sort((a, b) => (a.key === 'graph' ? -1 : b.key === 'graph' ? 1 : 0));
  const pending = new Set<ResourceKey>(resources.map((r) => r.key));
  let sharePointSite = args.siteUrl;
  let lastReason = '';
  let delay = deps.propagationBaseDelayMs ?? 1000;
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  args.report('wait-for-entra', 'Waiting for Microsoft Entra ID to accept the new app (0 s)', false);
  for (;;) {
    for (const resource of resources) {
      if (!pending.has(resource.key)) continue;
      let scope: string;
      if (resource.key === 'graph') scope = GRAPH_SCOPE;
      else if (resource.key === 'exchange') scope = EXCHANGE_SCOPE;
      else {
        sharePointSite ??= await findSharePointSite(deps.transport, session, args.appId, credential, args.signal);
        if (!sharePointSite) {
          // Cannot name the SharePoint resource yet (Graph not ready): try again next round.
          lastReason = 'the SharePoint address is not known yet';
          continue;
        }
        scope = sharePointScope(sharePointSite);
      }
      const expected = args.permissions.filter((p) => p.resourceAppId === resource.appId).map((p) => p.name);
      try {
        const token = await acquireAppToken(deps.transport, {
          tenantId: session.tenantId,
          clientId: args.appId,
          credential,
          scope,
          recentlyRegistered: true,
          ...(args.signal ? { signal: args.signal } : {}),
        });
        const missing = expected.filter((role) => !token.claims.roles.includes(role));
        if (missing.length === 0) pending.delete(resource.key);
        else lastReason = `the ${resource.name} token does not carry ${missing.join(', ')} yet`;
      } catch (error) {
        if (error instanceof M365Error && error.category === 'PropagationPending') {
          lastReason = `${error.aadsts ? `AADSTS${error.aadsts}` : 'not ready'} for ${resource.name}`;
        } else {
          throw error;
        }
      }
    }
    if (pending.size === 0) {
      args.report('wait-for-entra', `Microsoft Entra ID accepted the new app (${elapsed()})`, true);
      return;
    }
    if (Date.now() + delay > deadline) {
      throw new M365Error(
        'PropagationPending',
        `Microsoft Entra ID did not make the new app '${args.name}' (client ID ${args.appId}) ready within ${Math.round(deps.propagationTimeoutMs / 1000)} s (${lastReason}).`,
        undefined,
        'The app, its certificate and its permissions exist; test the connection again in a few minutes.',
      );
    }
    args.report('wait-for-entra', `Waiting for Microsoft Entra ID to accept the new app (${elapsed()})`, false);
    await sleep(delay / 2 + Math.random() * (delay / 2), args.signal);
    delay = Math.min(delay * 2, 15_000);
  }
}

/** https://<tenant>.sharepoint.com from Graph's root site, with the new app's Graph token. */
async function findSharePointSite(
  transport: Transport,
  session: AdminSession,
  appId: string,
  credential: { kind: 'certificate'; certificate: CertificateMaterial },
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  try {
    const token = await acquireAppToken(transport, { tenantId: session.tenantId, clientId: appId, credential, scope: GRAPH_SCOPE, recentlyRegistered: true, ...(signal ? { signal } : {}) });
    const root = await new GraphClient(transport, token.accessToken, signal).get<{ webUrl?: string }>('/sites/root?$select=webUrl');
    if (root?.webUrl) return new URL(root.webUrl).origin;
  } catch (error) {
    if (error instanceof M365Error && error.category === 'Cancelled') throw error;
  }
  // Fallback: the tenant's initial domain (admin@contoso.onmicrosoft.com → contoso.sharepoint.com).
  const match = /@([a-z0-9-]+)\.onmicrosoft\.com$/i.exec(session.userPrincipalName);
  return match ? `https://${match[1]?.toLowerCase()}.sharepoint.com` : undefined;
}

function registrationError(
  error: unknown,
  ctx: { name: string; tenant: string; created: { objectId: string; appId: string } | undefined; session: AdminSession },
): M365Error {
  const partial = ctx.created
    ? `The app registration '${ctx.name}' (client ID ${ctx.created.appId}) now exists in Microsoft Entra ID without all its permissions: delete it under App registrations, or grant admin consent to it there and use Manual registration.`
    : `A partial app registration named '${ctx.name}' may now exist in Microsoft Entra ID: if it does, delete it under App registrations, or grant admin consent to it there and use Manual registration.`;
  if (error instanceof GraphCallError) {
    if (error.status === 403) {
      return new M365Error(
        'ConsentMissing',
        `Failed to register '${ctx.name}' with tenant '${ctx.tenant}'. The account that signed in (${displayText(ctx.session.userPrincipalName, { maxLength: 120 })}) lacks the Global Administrator or Privileged Role Administrator role needed to create the app and grant its permissions (Microsoft Graph: ${error.message}).`,
        undefined,
        `${partial} Then sign in with an account that has one of those roles.`,
      );
    }
    if (error.status === 401) {
      return new M365Error('Configuration', `Failed to register '${ctx.name}' with tenant '${ctx.tenant}': Microsoft Graph no longer accepts the admin sign-in (${error.message}).`, undefined, `Sign in again. ${ctx.created ? partial : ''}`.trim());
    }
    return new M365Error('Unknown', `Failed to register '${ctx.name}' with tenant '${ctx.tenant}': Microsoft Graph answered ${error.message}.`, undefined, ctx.created ? partial : 'Try again in a few minutes, or use Manual registration.');
  }
  if (error instanceof M365Error) {
    if (error.category === 'PropagationPending' || !ctx.created) return error;
    return new M365Error(error.category, error.message, error.aadsts, error.hint ? `${error.hint} ${partial}` : partial);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new M365Error('Unknown', `Failed to register '${ctx.name}' with tenant '${ctx.tenant}': ${displayText(message, { maxLength: 200 })}.`, undefined, ctx.created ? partial : undefined);
}
