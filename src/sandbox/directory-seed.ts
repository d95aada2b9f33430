/** The first-party service principals every tenant holds: the resource APIs and Microsoft's public clients. */
import type { AppRole, ServicePrincipal, TenantState } from './directory.js';
import { SEEDED } from './replication.js';
import {
  AZURE_CLI_APP_ID,
  CLOUD_HOSTS,
  EXCHANGE_APP_ID,
  EXCHANGE_APP_ROLES,
  GRAPH_APP_ID,
  GRAPH_APP_ROLES,
  GRAPH_CLI_TOOLS_APP_ID,
  MICROSOFT_SERVICES_TENANT_ID,
  SHAREPOINT_APP_ID,
  SHAREPOINT_APP_ROLES,
  type AppRoleDefinition,
} from './well-known.js';

function toAppRoles(defs: readonly AppRoleDefinition[]): AppRole[] {
  return defs.map((d) => ({
    id: d.id,
    value: d.value,
    displayName: d.displayName,
    description: `Allows the app to ${d.displayName.charAt(0).toLowerCase()}${d.displayName.slice(1)} without a signed-in user.`,
    allowedMemberTypes: ['Application'],
    isEnabled: true,
    origin: 'Application',
  }));
}

export function firstPartyServicePrincipals(t: TenantState): ServicePrincipal[] {
  const hosts = CLOUD_HOSTS[t.cloud];
  const sp = (fields: Omit<ServicePrincipal, 'tenant' | 'firstParty' | 'appOwnerOrganizationId' | 'createdAt' | 'replica'>): ServicePrincipal => ({
    ...fields,
    tenant: t.name,
    firstParty: true,
    appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT_ID,
    createdAt: 0,
    replica: SEEDED,
  });
  return [
    sp({
      id: t.servicePrincipalIds.graph,
      appId: GRAPH_APP_ID,
      displayName: 'Microsoft Graph',
      appRoles: toAppRoles(GRAPH_APP_ROLES),
      resource: 'graph',
      servicePrincipalNames: [GRAPH_APP_ID, `https://${hosts.graph}`, `https://${hosts.graph}/`],
    }),
    sp({
      id: t.servicePrincipalIds.exchange,
      appId: EXCHANGE_APP_ID,
      displayName: 'Office 365 Exchange Online',
      appRoles: toAppRoles(EXCHANGE_APP_ROLES),
      resource: 'exchange',
      servicePrincipalNames: [EXCHANGE_APP_ID, `https://${hosts.exchange}`, ...(t.cloud === 'global' ? ['https://outlook.office.com'] : [])],
    }),
    sp({
      id: t.servicePrincipalIds.sharePoint,
      appId: SHAREPOINT_APP_ID,
      displayName: 'Office 365 SharePoint Online',
      appRoles: toAppRoles(SHAREPOINT_APP_ROLES),
      resource: 'sharepoint',
      servicePrincipalNames: [SHAREPOINT_APP_ID, `https://${t.sharePointHost}`],
    }),
    sp({
      id: t.servicePrincipalIds.graphCliTools,
      appId: GRAPH_CLI_TOOLS_APP_ID,
      displayName: 'Microsoft Graph Command Line Tools',
      appRoles: [],
      servicePrincipalNames: [GRAPH_CLI_TOOLS_APP_ID],
    }),
    sp({
      id: t.servicePrincipalIds.azureCli,
      appId: AZURE_CLI_APP_ID,
      displayName: 'Microsoft Azure CLI',
      appRoles: [],
      servicePrincipalNames: [AZURE_CLI_APP_ID],
    }),
  ];
}
