import type { Service } from '../domain/index.js';
import type { Permission } from './api.js';

/**
 * The application permissions the automatic registration grants (GUIDs from microsoft365.md §9.2).
 * The ids are shipped as constants, but registration looks each `appRoles[].value` up on the
 * resource's service principal at run time and fails loudly when it is missing or its id differs.
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

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const EXCHANGE_SCOPE = 'https://outlook.office365.com/.default';

/** Delegated scopes of the admin's device-code sign-in (microsoft365.md §9.3). */
export const ADMIN_SCOPES = [
  'https://graph.microsoft.com/Application.ReadWrite.All',
  'https://graph.microsoft.com/AppRoleAssignment.ReadWrite.All',
] as const;

/** Microsoft Graph Command Line Tools: a first-party public client that accepts explicit scopes. */
export const DEFAULT_ADMIN_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';

function graph(name: string, id: string, why: string): Permission {
  return { resource: RESOURCES.graph.name, resourceAppId: RESOURCES.graph.appId, name, id, why };
}

const EXCHANGE_PERMISSIONS: readonly Permission[] = [
  {
    resource: RESOURCES.exchange.name,
    resourceAppId: RESOURCES.exchange.appId,
    name: 'full_access_as_app',
    id: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
    why: 'EWS access to every mailbox (legacy: EWS in Exchange Online is switched off by 1 April 2027).',
  },
  graph('Mail.ReadWrite', 'e2a3a72e-5f79-4c64-b1b1-878b674786c9', 'Back up and restore mail in every mailbox through Microsoft Graph.'),
  graph('MailboxSettings.ReadWrite', '6931bccd-447a-43d1-b442-00a195474933', 'Back up and restore mailbox settings (rules, automatic replies, time zone).'),
  graph('User.Read.All', 'df021288-bdef-4463-88db-98f22de89214', 'List the users whose mailboxes are backed up.'),
];

const SHAREPOINT_PERMISSIONS: readonly Permission[] = [
  {
    resource: RESOURCES.sharepoint.name,
    resourceAppId: RESOURCES.sharepoint.appId,
    name: 'Sites.FullControl.All',
    id: '678536fe-1083-478a-9c59-b99265e6b0d3',
    why: 'SharePoint REST access to every site collection (app-only; needs the certificate).',
  },
  graph('Sites.FullControl.All', 'a82116e5-55eb-4c41-a434-62fe8a61c773', 'Enumerate, back up and restore site collections through Microsoft Graph.'),
  graph('User.Read.All', 'df021288-bdef-4463-88db-98f22de89214', 'Resolve the users named in site permissions and metadata.'),
];

export function permissionsFor(service: Service): readonly Permission[] {
  return service === 'exchange' ? EXCHANGE_PERMISSIONS : SHAREPOINT_PERMISSIONS;
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
  /** EWS in Exchange Online: phased disablement begins. */
  ewsPhasedDisablement: new Date('2026-10-01T00:00:00Z'),
  /** EWS in Exchange Online: permanently off. */
  ewsRetired: new Date('2027-04-01T00:00:00Z'),
  /** SharePoint Online IDCRL (legacy sign-in): permanently blocked (MC1184649). */
  idcrlBlocked: new Date('2026-05-01T00:00:00Z'),
} as const;

/** https://<tenant>.sharepoint.com/.default for a site URL (or host). */
export function sharePointScope(siteUrl: string): string {
  return `${new URL(siteUrl).origin}/.default`;
}
