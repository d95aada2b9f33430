import { displayText } from '../domain/display-text.js';
import { graphErrorInfo } from '../m365/errors.js';
import { GraphCallError, type GraphClient } from '../m365/graph-client.js';
import { sleep } from '../m365/transport.js';
import type { Permission } from './api.js';
import { M365Error } from './api.js';
import type { Resource, ResourceKey } from './permissions.js';
import { resourceOf } from './permissions.js';

/**
 * The Microsoft Graph calls of a registration, each safe to repeat: lookups by alternate key,
 * upserts (`Prefer: create-if-missing`), grants whose duplicate is accepted. Entra is eventually
 * consistent (a read right after a write may answer 404, a reference to a new object may be refused
 * as "does not exist"), so those answers are retried for a while.
 */

interface AppRole {
  readonly id: string;
  readonly value: string;
  readonly isEnabled?: boolean;
  readonly allowedMemberTypes?: readonly string[];
}

export interface ResolvedResource {
  readonly resource: Resource;
  readonly servicePrincipalId: string;
}

export interface FoundApplication {
  readonly id: string;
  readonly appId: string;
  readonly requiredResourceAccess: readonly RequiredResourceAccess[];
}

export interface RequiredResourceAccess {
  readonly resourceAppId: string;
  readonly resourceAccess: readonly { readonly id: string; readonly type: string }[];
}

export interface Assignment {
  readonly appRoleId: string;
  readonly resourceId: string;
}

/** How long a write keeps being retried while Entra catches up (SP after app, grant after SP). */
export const GRAPH_CONSISTENCY_MS = 60_000;

/** A 404, or a 400 saying a just-created object "does not exist" / is "not a valid application object". */
export function isNotYetReplicated(error: unknown): boolean {
  if (!(error instanceof GraphCallError)) return false;
  if (error.status === 404) return true;
  const message = error.info.message ?? '';
  return error.status === 400 && error.code !== 'Authorization_RequestDenied' && /does not reference a valid application object|does not exist|not a valid reference/i.test(message);
}

/** Repeats `call` while Entra answers "not there yet" (see isNotYetReplicated), up to `windowMs`. */
export async function whileReplicating<T>(call: () => Promise<T>, signal: AbortSignal | undefined, windowMs = GRAPH_CONSISTENCY_MS): Promise<T> {
  const deadline = Date.now() + windowMs;
  let delay = 200;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!isNotYetReplicated(error) || Date.now() + delay > deadline) throw error;
      await sleep(delay / 2 + Math.random() * (delay / 2), signal);
      // Replication usually takes seconds: short steps, capped low, keep the wait close to it.
      delay = Math.min(delay * 2, 2000);
    }
  }
}

/** The resource APIs' service principals and role ids, checked against the shipped constants. */
export async function resolvePermissions(graph: GraphClient, permissions: readonly Permission[]): Promise<Map<ResourceKey, ResolvedResource>> {
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

const quote = (value: string) => value.replace(/'/g, "''");

/** The app registration with this uniqueName, or undefined (a replica that has not seen it yet also says 404). */
export async function findApplication(graph: GraphClient, uniqueName: string): Promise<FoundApplication | undefined> {
  try {
    const app = await graph.get<{ id?: string; appId?: string; requiredResourceAccess?: RequiredResourceAccess[] }>(
      `/applications(uniqueName='${encodeURIComponent(quote(uniqueName))}')?$select=id,appId,requiredResourceAccess`,
    );
    if (!app?.id || !app.appId) return undefined;
    return { id: app.id, appId: app.appId, requiredResourceAccess: app.requiredResourceAccess ?? [] };
  } catch (error) {
    if (error instanceof GraphCallError && error.status === 404) return undefined;
    throw error;
  }
}

/** The service principal of an app, or undefined. */
export async function findServicePrincipal(graph: GraphClient, appId: string): Promise<{ id: string } | undefined> {
  try {
    const sp = await graph.get<{ id?: string }>(`/servicePrincipals(appId='${encodeURIComponent(appId)}')?$select=id`);
    return sp?.id ? { id: sp.id } : undefined;
  } catch (error) {
    if (error instanceof GraphCallError && error.status === 404) return undefined;
    throw error;
  }
}

export async function assignmentsOf(graph: GraphClient, servicePrincipalId: string): Promise<Assignment[]> {
  const page = await graph.get<{ value?: Assignment[] }>(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignments?$select=appRoleId,resourceId`);
  return (page?.value ?? []).map((a) => ({ appRoleId: String(a.appRoleId).toLowerCase(), resourceId: String(a.resourceId).toLowerCase() }));
}

/** The app's requiredResourceAccess with these permissions added (what the app already lists stays). */
export function mergedRequiredResourceAccess(existing: readonly RequiredResourceAccess[], permissions: readonly Permission[]): RequiredResourceAccess[] {
  const byResource = new Map<string, { id: string; type: string }[]>();
  for (const entry of existing) byResource.set(entry.resourceAppId, entry.resourceAccess.map((a) => ({ id: a.id, type: a.type })));
  for (const p of permissions) {
    const list = byResource.get(p.resourceAppId) ?? [];
    if (!list.some((r) => r.id.toLowerCase() === p.id.toLowerCase() && r.type === 'Role')) list.push({ id: p.id, type: 'Role' });
    byResource.set(p.resourceAppId, list);
  }
  return [...byResource].map(([resourceAppId, resourceAccess]) => ({ resourceAppId, resourceAccess }));
}

/** Upserts the app by uniqueName; its object id and appId whether it was created (201) or updated (204). */
export async function upsertApplication(
  graph: GraphClient,
  uniqueName: string,
  body: Record<string, unknown>,
  known: FoundApplication | undefined,
  signal: AbortSignal | undefined,
): Promise<{ id: string; appId: string; created: boolean }> {
  const path = `/applications(uniqueName='${encodeURIComponent(quote(uniqueName))}')`;
  const response = await graph.raw('PATCH', path, body, { headers: { Prefer: 'create-if-missing' }, idempotent: true });
  if (response.status === 201) {
    const created = JSON.parse(response.text) as { id?: string; appId?: string };
    if (!created.id || !created.appId) throw new M365Error('Unknown', 'Microsoft Graph did not return the new application’s id.');
    return { id: created.id, appId: created.appId, created: true };
  }
  if (response.status === 204) {
    const found =
      known ??
      (await whileReplicating(async () => {
        const app = await findApplication(graph, uniqueName);
        if (!app) throw notFound(path);
        return app;
      }, signal));
    return { id: found.id, appId: found.appId, created: false };
  }
  throw errorOf(response);
}

/** Upserts the app's service principal (its enterprise application); its object id. */
export async function upsertServicePrincipal(graph: GraphClient, appId: string, displayName: string, known: { id: string } | undefined, signal: AbortSignal | undefined): Promise<string> {
  const path = `/servicePrincipals(appId='${encodeURIComponent(appId)}')`;
  return whileReplicating(async () => {
    const response = await graph.raw('PATCH', path, { displayName }, { headers: { Prefer: 'create-if-missing' }, idempotent: true });
    if (response.status === 201) {
      const created = JSON.parse(response.text) as { id?: string };
      if (!created.id) throw new M365Error('Unknown', 'Microsoft Graph did not return the new service principal’s id.');
      return created.id;
    }
    if (response.status === 204) {
      const sp = known ?? (await findServicePrincipal(graph, appId));
      if (!sp) throw notFound(path);
      return sp.id;
    }
    throw errorOf(response);
  }, signal);
}

/**
 * One app-role assignment. Safe to repeat: a duplicate is refused with 400 "already exists", which
 * counts as done, so the POST is flagged idempotent (retried on 429/503).
 */
export async function grant(graph: GraphClient, principalId: string, resourceSpId: string, permission: Permission, signal: AbortSignal | undefined): Promise<void> {
  await whileReplicating(async () => {
    try {
      await graph.request('POST', `/servicePrincipals/${encodeURIComponent(resourceSpId)}/appRoleAssignedTo`, { principalId, resourceId: resourceSpId, appRoleId: permission.id }, { idempotent: true });
    } catch (error) {
      // Entra answers an existing grant with a plain 400 Request_BadRequest: its message is the only signal.
      if (error instanceof GraphCallError && (error.status === 409 || (error.status === 400 && /already exists/i.test(error.info.message ?? '')))) return;
      throw error;
    }
  }, signal);
}

function notFound(path: string): GraphCallError {
  return new GraphCallError({ status: 404, code: 'Request_ResourceNotFound', message: `${path} is not visible yet` }, 'graph', {});
}

function errorOf(response: { status: number; text: string; host: string; headers: Readonly<Record<string, string>> }): GraphCallError {
  return new GraphCallError(graphErrorInfo(response.status, response.text), response.host, response.headers);
}
