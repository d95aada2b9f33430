import type { Connection, StoreDocument } from '../../domain/index.js';
import { appCredential, displayText, domainOfUpn, isGuid, jobsUsing, tenantFromSharePointUrl } from '../../domain/index.js';
import type { ServiceContext } from '../context.js';
import { ServiceError } from '../errors.js';

/**
 * A connection keeps its tenant (issue 12 item 5). New settings that point a connection at another
 * tenant would make its jobs back up another organisation's data into the same storages: refused
 * unless confirmed (TUI: a dialog naming the jobs; CLI: --change-tenant).
 *
 * "The same tenant" is decided on directory GUIDs: a tenant may be named by its GUID or by any of
 * its domains, so both sides are resolved through the tenants' OpenID configuration first.
 */

export interface TenantChange {
  /** The tenant the connection belongs to now, as stored (GUID or domain). */
  readonly from: string;
  /** The tenant the new settings name. */
  readonly to: string;
  /** Names of the jobs whose data would then come from the other tenant. */
  readonly jobs: readonly string[];
  /** The two could not be resolved to directory GUIDs: different names, maybe the same tenant. */
  readonly unconfirmed: boolean;
}

/** Refused: the new settings belong to another tenant and the change was not confirmed. */
export class TenantChangeRefused extends ServiceError {
  constructor(
    readonly change: TenantChange,
    connectionName: string,
    confirmWith: string,
  ) {
    const name = displayText(connectionName, { maxLength: 120 });
    const jobs = change.jobs.length ? ` The jobs ${change.jobs.map((j) => `'${displayText(j, { maxLength: 80 })}'`).join(', ')} would then back up data of the other tenant into the same storages.` : ' No job uses it yet.';
    const maybe = change.unconfirmed ? ' (the two names could not be checked against Microsoft Entra ID, so they may be the same tenant)' : '';
    super(
      'refused',
      `Server connection '${name}' belongs to tenant '${displayText(change.from, { maxLength: 80 })}'; the new settings point at tenant '${displayText(change.to, { maxLength: 80 })}'${maybe}.${jobs} Nothing was changed; ${confirmWith} to move it to the other tenant.`,
    );
  }
}

/** The tenant a Microsoft 365 connection belongs to, as far as the store knows (GUID or domain). */
export function tenantOfConnection(connection: Connection): { name: string; directoryId?: string } | undefined {
  if (connection.location !== 'online') return undefined;
  const app = appCredential(connection);
  if (app) return { name: app.tenantId, ...(app.registration?.directoryId ? { directoryId: app.registration.directoryId } : {}) };
  if (connection.credential.kind === 'basic') {
    const domain = domainOfUpn(connection.credential.userName);
    if (domain) return { name: domain };
  }
  if (connection.service === 'sharepoint') {
    const domain = tenantFromSharePointUrl(connection.url);
    if (domain) return { name: domain };
  }
  return undefined;
}

async function directoryId(ctx: ServiceContext, tenant: { name: string; directoryId?: string }, signal?: AbortSignal): Promise<string | undefined> {
  if (tenant.directoryId) return tenant.directoryId.toLowerCase();
  if (isGuid(tenant.name)) return tenant.name.toLowerCase();
  try {
    const auth = await ctx.auth();
    return (await auth.resolveTenant(tenant.name, signal ? { signal } : {})).tenantId;
  } catch {
    return undefined;
  }
}

/**
 * Whether settings naming `newTenant` (a GUID or domain; `newDirectoryId` when already known, e.g.
 * from the admin's sign-in) move the connection to another tenant; undefined when they do not.
 */
export async function tenantChange(
  ctx: ServiceContext,
  doc: Pick<StoreDocument, 'jobs'>,
  connection: Connection,
  newTenant: string,
  options: { readonly newDirectoryId?: string; readonly signal?: AbortSignal } = {},
): Promise<TenantChange | undefined> {
  const old = tenantOfConnection(connection);
  if (!old) return undefined;
  if (old.name.toLowerCase() === newTenant.trim().toLowerCase()) return undefined;
  const [from, to] = await Promise.all([directoryId(ctx, old, options.signal), options.newDirectoryId ? options.newDirectoryId.toLowerCase() : directoryId(ctx, { name: newTenant.trim() }, options.signal)]);
  if (from && to && from === to) return undefined;
  return { from: old.name, to: newTenant.trim(), jobs: jobsUsing(doc.jobs, connection.id).map((j) => j.name), unconfirmed: !from || !to };
}

/** Throws TenantChangeRefused unless the move is allowed. */
export async function assertSameTenant(
  ctx: ServiceContext,
  connection: Connection,
  newTenant: string,
  options: { readonly allowTenantChange?: boolean; readonly newDirectoryId?: string; readonly signal?: AbortSignal; readonly confirmWith?: string } = {},
): Promise<void> {
  if (options.allowTenantChange) return;
  const change = await tenantChange(ctx, ctx.store.current(), connection, newTenant, options);
  if (change) throw new TenantChangeRefused(change, connection.displayName, options.confirmWith ?? 'confirm the change');
}
