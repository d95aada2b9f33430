import type { Cloud, Service } from '../domain/index.js';
import { exchangeScope, graphScope, hostsOf } from '../m365/clouds.js';
import type { Permission } from './api.js';

/**
 * The application permissions the automatic registration grants: least privilege, Microsoft Graph
 * first (backup-data.md §5). EWS in Exchange Online is blocked by default since 2026-10-01 and
 * removed on 2027-04-01, so `full_access_as_app` is granted only when the admin explicitly asks for
 * legacy EWS. The GUIDs are shipped as constants, but registration looks each `appRoles[].value`
 * up on the resource's service principal at run time and fails loudly when it is missing or its id
 * differs.
 */

export type ResourceKey = 'graph' | 'exchange' | 'sharepoint';

export interface Resource {
  readonly key: ResourceKey;
  readonly name: Permission['resource'];
  readonly appId: string;
}

export const RESOURCES: Readonly<Record<ResourceKey, Resource>> = {
  graph: { key: 'graph', name: 'Microsoft Graph', appId: '00000003-0000-0000-c000-000000000000' },
  exchange: { key: 'exchange', name: 'Office 365 Exchange Online', appId: '00000002-0000-0ff1-ce00-000000000000' },
  sharepoint: { key: 'sharepoint', name: 'Office 365 SharePoint Online', appId: '00000003-0000-0ff1-ce00-000000000000' },
};

/** Global-cloud scopes (most tests and messages); per cloud: graphScope(cloud), exchangeScope(cloud). */
export const GRAPH_SCOPE = graphScope('global');
export const EXCHANGE_SCOPE = exchangeScope('global');

/** Delegated scopes of the admin's device-code sign-in (microsoft365.md §9.3), in the tenant's cloud. */
export function adminScopes(cloud: Cloud | undefined): string[] {
  const graph = `https://${hostsOf(cloud).graph}`;
  return [`${graph}/Application.ReadWrite.All`, `${graph}/AppRoleAssignment.ReadWrite.All`];
}
export const ADMIN_SCOPES = adminScopes('global');

/** Microsoft Graph Command Line Tools: a first-party public client that accepts explicit scopes. */
export const DEFAULT_ADMIN_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';

function graph(name: string, id: string, why: string, includedIn: readonly string[] = []): Permission {
  return { resource: RESOURCES.graph.name, resourceAppId: RESOURCES.graph.appId, name, id, why, ...(includedIn.length ? { includedIn } : {}) };
}

const USERS = graph('User.Read.All', 'df021288-bdef-4463-88db-98f22de89214', 'List the users whose mailboxes and sites are backed up.', ['User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']);

const EXCHANGE_PERMISSIONS: readonly Permission[] = [
  graph('Mail.ReadWrite', 'e2a3a72e-5f79-4c64-b1b1-878b674786c9', 'Back up mail in every mailbox and restore it, through Microsoft Graph.'),
  graph('MailboxSettings.Read', '40f97065-369a-49f4-947c-6a255697ae91', 'Read mailbox settings (time zone, folders to skip) for the backup.', ['MailboxSettings.ReadWrite']),
  USERS,
];

/** EWS's only application role; legacy. */
export const LEGACY_EWS_PERMISSION: Permission = {
  resource: RESOURCES.exchange.name,
  resourceAppId: RESOURCES.exchange.appId,
  name: 'full_access_as_app',
  id: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
  why: 'Legacy EWS access to every mailbox: EWS in Exchange Online is blocked by default since 1 Oct 2026 and removed on 1 Apr 2027.',
  legacy: true,
};

const SHAREPOINT_PERMISSIONS: readonly Permission[] = [
  graph('Sites.ReadWrite.All', '9492366f-7969-46a4-8d15-ed1a20078fff', 'Back up document libraries of every site and restore files, through Microsoft Graph.', ['Sites.FullControl.All']),
  USERS,
];

export function permissionsFor(service: Service, options: { readonly legacyEws?: boolean } = {}): readonly Permission[] {
  if (service === 'sharepoint') return SHAREPOINT_PERMISSIONS;
  return options.legacyEws ? [...EXCHANGE_PERMISSIONS, LEGACY_EWS_PERMISSION] : EXCHANGE_PERMISSIONS;
}

/** The permissions of several services at once (one registration serves all of a tenant's connections). */
export function permissionsForAll(services: readonly Service[], options: { readonly legacyEws?: boolean } = {}): Permission[] {
  const all: Permission[] = [];
  for (const service of new Set(services)) {
    for (const p of permissionsFor(service, options)) if (!all.some((q) => q.resourceAppId === p.resourceAppId && q.id === p.id)) all.push(p);
  }
  return all;
}

/** Whether a token's roles satisfy a permission (it or a broader role that includes it). */
export function holds(roles: readonly string[], permission: Permission): boolean {
  return roles.includes(permission.name) || (permission.includedIn ?? []).some((r) => roles.includes(r));
}

export function resourceOf(permission: Permission): Resource {
  const found = Object.values(RESOURCES).find((r) => r.appId === permission.resourceAppId);
  if (!found) throw new Error(`unknown resource ${permission.resourceAppId}`);
  return found;
}

/** EWS's role: legacy, dated (see verify/exchange-online.ts). */
export function isLegacyEwsPermission(permission: Permission): boolean {
  return permission.resourceAppId === RESOURCES.exchange.appId && permission.name === 'full_access_as_app';
}

/** Dates that change what a check concludes (product.md §8). */
export const DATES = {
  /** EWS in Exchange Online: blocked by default from this date (phased disablement). */
  ewsPhasedDisablement: new Date('2026-10-01T00:00:00Z'),
  /** EWS in Exchange Online: removed. */
  ewsRetired: new Date('2027-04-01T00:00:00Z'),
  /** SharePoint Online IDCRL (legacy sign-in): permanently blocked (MC1184649). */
  idcrlBlocked: new Date('2026-05-01T00:00:00Z'),
} as const;

/** https://<tenant>.sharepoint.com/.default for a site URL (or host). */
export function sharePointScope(siteUrl: string): string {
  return `${new URL(siteUrl).origin}/.default`;
}
