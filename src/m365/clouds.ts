import type { Cloud } from '../domain/connection.js';

/**
 * The hosts of each Microsoft 365 national cloud (contracts §6; backup-data.md §8; Microsoft's
 * "National cloud deployments" page for Graph). Every request of a connection goes to its cloud's
 * hosts; the endpoint override then redirects them all alike.
 *
 * China's sign-in host is login.partner.microsoftonline.cn (login.chinacloudapi.cn is its alias):
 * msal-node carries built-in metadata for it, so sign-in needs no discovery request. DoD's
 * SharePoint suffix is sharepoint-mil.us.
 */

export interface CloudHosts {
  readonly login: string;
  readonly graph: string;
  /** Exchange Online (EWS and its token audience). */
  readonly exchange: string;
  /** <tenant>.<suffix> is a tenant's SharePoint Online host. */
  readonly sharePointSuffix: string;
}

export const CLOUD_HOSTS: Readonly<Record<Cloud, CloudHosts>> = {
  global: { login: 'login.microsoftonline.com', graph: 'graph.microsoft.com', exchange: 'outlook.office365.com', sharePointSuffix: 'sharepoint.com' },
  usgov: { login: 'login.microsoftonline.us', graph: 'graph.microsoft.us', exchange: 'outlook.office365.us', sharePointSuffix: 'sharepoint.us' },
  usgovdod: { login: 'login.microsoftonline.us', graph: 'dod-graph.microsoft.us', exchange: 'outlook-dod.office365.us', sharePointSuffix: 'sharepoint-mil.us' },
  china: { login: 'login.partner.microsoftonline.cn', graph: 'microsoftgraph.chinacloudapi.cn', exchange: 'partner.outlook.cn', sharePointSuffix: 'sharepoint.cn' },
};

export function hostsOf(cloud: Cloud | undefined): CloudHosts {
  return CLOUD_HOSTS[cloud ?? 'global'];
}

/** https://graph.microsoft.us/v1.0 */
export function graphBase(cloud: Cloud | undefined): string {
  return `https://${hostsOf(cloud).graph}/v1.0`;
}

/** https://graph.microsoft.us/.default */
export function graphScope(cloud: Cloud | undefined): string {
  return `https://${hostsOf(cloud).graph}/.default`;
}

/** https://outlook.office365.us/.default */
export function exchangeScope(cloud: Cloud | undefined): string {
  return `https://${hostsOf(cloud).exchange}/.default`;
}

/** https://outlook.office365.us/EWS/Exchange.asmx */
export function ewsUrl(cloud: Cloud | undefined): string {
  return `https://${hostsOf(cloud).exchange}/EWS/Exchange.asmx`;
}

/** https://login.microsoftonline.us/<tenant> */
export function authorityFor(tenant: string, cloud: Cloud | undefined): string {
  return `https://${hostsOf(cloud).login}/${encodeURIComponent(tenant)}`;
}

/**
 * The cloud named by a tenant's OpenID configuration (`cloud_instance_name`,
 * `tenant_region_sub_scope`): microsoftonline.us is GCC High (sub-scope DODCON) or DoD (DOD);
 * GCC Moderate (sub-scope GCC) uses the global hosts. undefined when the document names none we know.
 */
export function cloudFromOpenIdConfiguration(config: { cloud_instance_name?: unknown; tenant_region_sub_scope?: unknown }): Cloud | undefined {
  const instance = typeof config.cloud_instance_name === 'string' ? config.cloud_instance_name.toLowerCase() : '';
  const sub = typeof config.tenant_region_sub_scope === 'string' ? config.tenant_region_sub_scope.toUpperCase() : '';
  if (instance === 'microsoftonline.com') return 'global';
  if (instance === 'microsoftonline.us') return sub === 'DOD' ? 'usgovdod' : 'usgov';
  if (instance === 'partner.microsoftonline.cn' || instance === 'chinacloudapi.cn') return 'china';
  return undefined;
}
