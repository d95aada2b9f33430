import { exchangeScope, graphBase, graphScope } from '../m365/clouds.js';
import { GraphClient } from '../m365/graph-client.js';
import type { Transport } from '../m365/transport.js';
import { sleep } from '../m365/transport.js';
import type { AdminSession, CertificateMaterial, Permission, RegistrationStep } from './api.js';
import { M365Error } from './api.js';
import { acquireAppToken } from './client-credentials.js';
import type { ResourceKey } from './permissions.js';
import { holds, resourceOf, sharePointScope } from './permissions.js';

/**
 * After a registration: poll with back-off until a client-credential token for each resource is
 * issued with the new certificate and carries every role. Until then Entra answers AADSTS700016
 * (app unknown), AADSTS7000229 (service principal missing), AADSTS700027 (key unknown), or tokens
 * without the new roles: all of them mean "not yet" (errors.ts PROPAGATION_CODES).
 */

export interface WaitDeps {
  readonly transport: Transport;
  readonly propagationTimeoutMs: number;
  readonly propagationBaseDelayMs?: number;
}

export interface WaitArgs {
  readonly appId: string;
  readonly certificate: CertificateMaterial;
  readonly permissions: readonly Permission[];
  readonly signal: AbortSignal | undefined;
  readonly siteUrl: string | undefined;
  readonly name: string;
  readonly report: (step: RegistrationStep, detail: string, done: boolean) => void;
}

export async function waitForEntra(deps: WaitDeps, session: AdminSession, args: WaitArgs): Promise<void> {
  const started = Date.now();
  const deadline = started + deps.propagationTimeoutMs;
  const credential = { kind: 'certificate' as const, certificate: args.certificate };
  const resources = [...new Set(args.permissions.map(resourceOf))].sort((a, b) => (a.key === 'graph' ? -1 : b.key === 'graph' ? 1 : 0));
  const pending = new Set<ResourceKey>(resources.map((r) => r.key));
  let sharePointSite = args.siteUrl;
  let lastReason = '';
  let delay = deps.propagationBaseDelayMs ?? 1000;
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const token = (scope: string) =>
    acquireAppToken(deps.transport, { tenantId: session.tenantId, cloud: session.cloud, clientId: args.appId, credential, scope, recentlyRegistered: true, ...(args.signal ? { signal: args.signal } : {}) });
  args.report('wait-for-entra', 'Waiting for Microsoft Entra ID to accept the new certificate and permissions (0 s)', false);
  for (;;) {
    for (const resource of resources) {
      if (!pending.has(resource.key)) continue;
      let scope: string;
      if (resource.key === 'graph') scope = graphScope(session.cloud);
      else if (resource.key === 'exchange') scope = exchangeScope(session.cloud);
      else {
        sharePointSite ??= await findSharePointSite(deps.transport, session, token);
        if (!sharePointSite) {
          lastReason = 'the SharePoint address is not known yet';
          continue;
        }
        scope = sharePointScope(sharePointSite);
      }
      const expected = args.permissions.filter((p) => p.resourceAppId === resource.appId);
      try {
        const issued = await token(scope);
        const missing = expected.filter((p) => !holds(issued.claims.roles, p)).map((p) => p.name);
        if (missing.length === 0) pending.delete(resource.key);
        else lastReason = `the ${resource.name} token does not carry ${missing.join(', ')} yet`;
      } catch (error) {
        if (!(error instanceof M365Error) || error.category !== 'PropagationPending') throw error;
        lastReason = `${error.aadsts ? `AADSTS${error.aadsts}` : 'not ready'} for ${resource.name}`;
      }
    }
    if (pending.size === 0) {
      args.report('wait-for-entra', `Microsoft Entra ID accepted the new certificate and permissions (${elapsed()})`, true);
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
    args.report('wait-for-entra', `Waiting for Microsoft Entra ID to accept the new certificate and permissions (${elapsed()})`, false);
    await sleep(delay / 2 + Math.random() * (delay / 2), args.signal);
    delay = Math.min(delay * 2, 15_000);
  }
}

/** https://<tenant>.sharepoint.com from Graph's root site, with the new app's Graph token. */
async function findSharePointSite(
  transport: Transport,
  session: AdminSession,
  token: (scope: string) => Promise<{ accessToken: string }>,
): Promise<string | undefined> {
  try {
    const graph = await token(graphScope(session.cloud));
    const root = await new GraphClient(transport, graph.accessToken, undefined, graphBase(session.cloud)).get<{ webUrl?: string }>('/sites/root?$select=webUrl');
    if (root?.webUrl) return new URL(root.webUrl).origin;
  } catch (error) {
    if (error instanceof M365Error && error.category === 'Cancelled') throw error;
  }
  // Fallback: the tenant's initial domain (admin@contoso.onmicrosoft.com → contoso.sharepoint.com).
  const match = /@([a-z0-9-]+)\.onmicrosoft\.com$/i.exec(session.userPrincipalName);
  return match ? `https://${match[1]?.toLowerCase()}.sharepoint.com` : undefined;
}
