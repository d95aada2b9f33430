/**
 * Which directory roles may do what (grant-admin-consent docs, microsoft365.md §9.3): registering apps
 * needs an application-admin role (the tenants here have "Users can register applications" off);
 * granting Microsoft Graph app roles needs Global or Privileged Role Administrator; other APIs' roles
 * may also be granted by (Cloud) Application Administrators.
 */
import { ROLE } from '../well-known.js';
import type { GraphCaller } from './common.js';

const APP_ADMINS = [ROLE.globalAdministrator, ROLE.applicationAdministrator, ROLE.cloudApplicationAdministrator];
const GRAPH_GRANTERS = [ROLE.globalAdministrator, ROLE.privilegedRoleAdministrator];
const OTHER_GRANTERS = [...GRAPH_GRANTERS, ROLE.applicationAdministrator, ROLE.cloudApplicationAdministrator];

const has = (caller: GraphCaller, roles: readonly string[]): boolean =>
  caller.claims.idtyp === 'app' || (caller.user?.roles.some((r) => roles.includes(r)) ?? false);

export const mayRegisterApps = (caller: GraphCaller): boolean =>
  caller.tenant.settings.usersCanRegisterApps || has(caller, APP_ADMINS);

export const mayGrantAppRole = (caller: GraphCaller, graphResource: boolean): boolean =>
  has(caller, graphResource ? GRAPH_GRANTERS : OTHER_GRANTERS);
