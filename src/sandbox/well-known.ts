/**
 * Identifiers Microsoft publishes and clients hard-code: first-party application IDs, app-role GUIDs
 * (microsoft365.md §9.2) and directory-role template IDs. The sandbox must use the real values, or the
 * panel's lookups of `appRoles[].value` by GUID would pass here and fail against a real tenant.
 */

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
export const SHAREPOINT_APP_ID = '00000003-0000-0ff1-ce00-000000000000';
/** Microsoft Graph Command Line Tools: public client, explicit Graph scopes allowed. */
export const GRAPH_CLI_TOOLS_APP_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
/** Microsoft Azure CLI: public client, pre-authorized for `https://graph.microsoft.com/.default` only. */
export const AZURE_CLI_APP_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
/** The tenant that owns Microsoft's first-party applications. */
export const MICROSOFT_SERVICES_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const EXCHANGE_RESOURCE = 'https://outlook.office365.com';

export type CloudName = 'global' | 'usgov' | 'usgovdod' | 'china';

export interface CloudHosts {
  /** Sign-in hosts; the first is the one openid-configuration names. */
  readonly login: readonly string[];
  readonly graph: string;
  readonly exchange: string;
  /** <tenant>.<suffix> is the tenant's SharePoint host. */
  readonly sharePointSuffix: string;
  /** openid-configuration: cloud_instance_name, tenant_region_scope, tenant_region_sub_scope. */
  readonly instance: string;
  readonly regionScope: string;
  readonly regionSubScope: string | null;
}

/** Microsoft's national-cloud endpoint tables (backup-data.md §8; Graph "national cloud deployments"). */
export const CLOUD_HOSTS: Readonly<Record<CloudName, CloudHosts>> = {
  global: {
    login: ['login.microsoftonline.com', 'login.microsoft.com', 'login.windows.net'],
    graph: 'graph.microsoft.com',
    exchange: 'outlook.office365.com',
    sharePointSuffix: 'sharepoint.com',
    instance: 'microsoftonline.com',
    regionScope: 'EU',
    regionSubScope: null,
  },
  usgov: {
    login: ['login.microsoftonline.us'],
    graph: 'graph.microsoft.us',
    exchange: 'outlook.office365.us',
    sharePointSuffix: 'sharepoint.us',
    instance: 'microsoftonline.us',
    regionScope: 'USGov',
    regionSubScope: 'DODCON',
  },
  usgovdod: {
    login: ['login.microsoftonline.us'],
    graph: 'dod-graph.microsoft.us',
    exchange: 'outlook-dod.office365.us',
    sharePointSuffix: 'sharepoint-mil.us',
    instance: 'microsoftonline.us',
    regionScope: 'USGov',
    regionSubScope: 'DOD',
  },
  china: {
    login: ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'],
    graph: 'microsoftgraph.chinacloudapi.cn',
    exchange: 'partner.outlook.cn',
    sharePointSuffix: 'sharepoint.cn',
    instance: 'partner.microsoftonline.cn',
    regionScope: 'AS',
    regionSubScope: null,
  },
};

export const CLOUD_NAMES = Object.keys(CLOUD_HOSTS) as CloudName[];

/** The cloud whose sign-in / Graph / Exchange host this is (undefined: not a Microsoft 365 host). */
export function cloudOfHost(host: string, kind: 'login' | 'graph' | 'exchange'): CloudName | undefined {
  const h = host.toLowerCase();
  return CLOUD_NAMES.find((c) => (kind === 'login' ? CLOUD_HOSTS[c].login.includes(h) : CLOUD_HOSTS[c][kind] === h));
}

export interface AppRoleDefinition {
  readonly id: string;
  readonly value: string;
  readonly displayName: string;
}

export const GRAPH_APP_ROLES: readonly AppRoleDefinition[] = [
  { id: 'e2a3a72e-5f79-4c64-b1b1-878b674786c9', value: 'Mail.ReadWrite', displayName: 'Read and write mail in all mailboxes' },
  { id: '810c84a8-4a9e-49e6-bf7d-12d183f40d01', value: 'Mail.Read', displayName: 'Read mail in all mailboxes' },
  { id: '693c5e45-0940-467d-9b8a-1022fb9d42ef', value: 'Mail.ReadBasic.All', displayName: 'Read basic mail in all mailboxes' },
  { id: '6931bccd-447a-43d1-b442-00a195474933', value: 'MailboxSettings.ReadWrite', displayName: 'Read and write all user mailbox settings' },
  { id: '40f97065-369a-49f4-947c-6a255697ae91', value: 'MailboxSettings.Read', displayName: 'Read all user mailbox settings' },
  { id: '76577085-e73d-4f1d-b26a-85fb33892327', value: 'MailboxItem.ImportExport.All', displayName: 'Perform backup and restore for all mailbox items' },
  { id: 'fef87b92-8391-4589-9da7-eb93dab7dc8a', value: 'MailboxFolder.ReadWrite.All', displayName: "Read and write all users' mailbox folders" },
  { id: '7d9f353d-a7bd-4fbb-822a-26d5dd39a3ce', value: 'MailboxItem.Read.All', displayName: "Read all users' mailbox items" },
  { id: 'df021288-bdef-4463-88db-98f22de89214', value: 'User.Read.All', displayName: "Read all users' full profiles" },
  { id: '7ab1d382-f21e-4acd-a863-ba3e13f7da61', value: 'Directory.Read.All', displayName: 'Read directory data' },
  { id: 'a82116e5-55eb-4c41-a434-62fe8a61c773', value: 'Sites.FullControl.All', displayName: 'Have full control of all site collections' },
  { id: '9492366f-7969-46a4-8d15-ed1a20078fff', value: 'Sites.ReadWrite.All', displayName: 'Read and write items in all site collections' },
  { id: '332a536c-c7ef-4017-ab91-336970924f0d', value: 'Sites.Read.All', displayName: 'Read items in all site collections' },
  { id: '883ea226-0bf2-4a8f-9f9d-92c9162a727d', value: 'Sites.Selected', displayName: 'Access selected site collections' },
  { id: '01d4889c-1287-42c6-ac1f-5d1e02578ef6', value: 'Files.Read.All', displayName: 'Read files in all site collections' },
  { id: '75359482-378d-4052-8f01-80520e7db3cd', value: 'Files.ReadWrite.All', displayName: 'Read and write files in all site collections' },
  { id: '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9', value: 'Application.ReadWrite.All', displayName: 'Read and write all applications' },
  { id: '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30', value: 'Application.Read.All', displayName: 'Read all applications' },
  { id: '06b708a9-e830-4db3-a914-8e69da51d44f', value: 'AppRoleAssignment.ReadWrite.All', displayName: 'Manage app permission grants and app role assignments' },
  { id: '5b567255-7703-4780-807c-7be8301ae99b', value: 'Group.Read.All', displayName: 'Read all groups' },
  { id: '498476ce-e0fe-48b0-b801-37ba7e2685c6', value: 'Organization.Read.All', displayName: 'Read organization information' },
];

export const EXCHANGE_APP_ROLES: readonly AppRoleDefinition[] = [
  { id: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40', value: 'full_access_as_app', displayName: 'Use Exchange Web Services with full access to all mailboxes' },
  { id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', value: 'Exchange.ManageAsApp', displayName: 'Manage Exchange As Application' },
];

export const SHAREPOINT_APP_ROLES: readonly AppRoleDefinition[] = [
  { id: '678536fe-1083-478a-9c59-b99265e6b0d3', value: 'Sites.FullControl.All', displayName: 'Have full control of all site collections' },
  { id: 'fbcd29d2-fcca-4405-aded-518d457caae4', value: 'Sites.ReadWrite.All', displayName: 'Read and write items in all site collections' },
  { id: 'd13f72ca-a275-4b96-b789-48ebcc4da984', value: 'Sites.Read.All', displayName: 'Read items in all site collections' },
  { id: '20d37865-089c-4dee-8c41-6967602d4ac8', value: 'Sites.Selected', displayName: 'Access selected site collections' },
];

/**
 * Delegated Graph permissions a public client may ask for by name. Anything else is answered with
 * AADSTS70011, as Entra does for a scope the resource does not expose.
 */
export const GRAPH_DELEGATED_SCOPES: readonly string[] = [
  'User.Read', 'User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All',
  'Directory.Read.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All',
  'Application.Read.All', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All',
  'DelegatedPermissionGrant.ReadWrite.All', 'Organization.Read.All', 'Policy.Read.All',
  'RoleManagement.Read.Directory', 'Group.Read.All', 'Group.ReadWrite.All', 'AuditLog.Read.All',
  'Mail.Read', 'Mail.ReadBasic', 'Mail.ReadWrite', 'Mail.Read.Shared', 'Mail.ReadWrite.Shared',
  'MailboxSettings.Read', 'MailboxSettings.ReadWrite',
  'Sites.Read.All', 'Sites.ReadWrite.All', 'Sites.Manage.All', 'Sites.FullControl.All',
];

/** What Azure CLI gets for `https://graph.microsoft.com/.default` (pre-authorized, microsoft365.md §9.4). */
export const AZURE_CLI_GRAPH_SCOPES: readonly string[] = [
  'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'AuditLog.Read.All',
  'DelegatedPermissionGrant.ReadWrite.All', 'Directory.AccessAsUser.All', 'Group.ReadWrite.All',
  'User.Read.All', 'User.ReadWrite.All',
];

/**
 * Delegated Graph permissions only an administrator may consent to (admin-restricted): a user
 * without a consenting role meets "Need admin approval" (AADSTS65001) at sign-in.
 */
export const ADMIN_RESTRICTED_SCOPES: readonly string[] = [
  'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'Application.Read.All', 'Directory.Read.All',
  'Directory.ReadWrite.All', 'Directory.AccessAsUser.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Policy.Read.All',
  'RoleManagement.Read.Directory', 'User.Read.All', 'User.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', 'AuditLog.Read.All',
  'Sites.FullControl.All', 'Mail.Read.Shared', 'Mail.ReadWrite.Shared',
];

/** Directory role template IDs (the `wids` claim and roleTemplateId in Graph). */
export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  sharePointAdministrator: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  /** Every member user carries this one in `wids`. */
  defaultUser: 'b79fbf4d-3ef9-4689-8143-76b194e85509',
} as const;
