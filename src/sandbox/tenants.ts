/**
 * The seeded tenants. They mirror shared/fixtures/store-v1.json (the demo store): its Microsoft 365
 * connections name admin@contoso.onmicrosoft.com, https://contoso.sharepoint.com and
 * backup@fabrikam.onmicrosoft.com with the passwords below, so the demo can show what happens to
 * exactly those accounts. IDs are fixed so that tests and screenshots stay stable between runs.
 */
import { ROLE, type CloudName } from './well-known.js';

export type TenantName = 'contoso' | 'fabrikam' | 'litware' | 'northwind';
export const TENANT_NAMES: readonly TenantName[] = ['contoso', 'fabrikam', 'litware', 'northwind'];

export interface TenantSettings {
  /** Basic Authentication for EWS and SharePoint (off in every tenant since 2022 / 2026). */
  basicAuth: boolean;
  /** EWS switched off for the tenant (the 2026–2027 retirement). */
  ewsDisabled: boolean;
  deviceCode: 'allowed' | 'conditional-access-blocked';
  /** Entra's "Users can register applications" setting; off here, so only admins can. */
  usersCanRegisterApps: boolean;
  /**
   * Tenant-wide admin consent for the sign-in apps' admin scopes (Application.ReadWrite.All …).
   * Off (the usual first time): a user who may not consent to them is stopped at sign-in with
   * AADSTS65001 ("Need admin approval"); on: anyone signs in, and only the roles decide.
   */
  signInAppConsented: boolean;
}

export interface SeedUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly jobTitle: string | null;
  /** false = unlicensed: no Exchange Online mailbox. */
  readonly hasMailbox: boolean;
  /** For Basic Authentication, which only works when the tenant re-enables it. */
  readonly password: string;
  /** Active directory role template IDs (ROLE.*): what `wids` carries. */
  readonly roles: readonly string[];
  /** Roles eligible in Privileged Identity Management, not activated: absent from `wids`. */
  readonly eligibleRoles?: readonly string[];
  readonly inboxItemCount: number;
}

export interface SeedSite {
  /** '' for the root site collection, else e.g. '/sites/hr'. */
  readonly path: string;
  readonly displayName: string;
  readonly description: string;
  readonly siteId: string;
  readonly webId: string;
  readonly created: string;
}

export interface SeedTenant {
  readonly name: TenantName;
  /** The national cloud the tenant lives in (well-known.ts CLOUD_HOSTS). */
  readonly cloud: CloudName;
  readonly id: string;
  readonly displayName: string;
  readonly initialDomain: string;
  readonly domains: readonly string[];
  /** e.g. contoso.sharepoint.com */
  readonly sharePointHost: string;
  readonly users: readonly SeedUser[];
  readonly sites: readonly SeedSite[];
  /** Object IDs of the first-party service principals in this tenant. */
  readonly servicePrincipalIds: {
    readonly graph: string;
    readonly exchange: string;
    readonly sharePoint: string;
    readonly graphCliTools: string;
    readonly azureCli: string;
  };
  readonly settings: TenantSettings;
}

const defaults = (): TenantSettings => ({
  basicAuth: false,
  ewsDisabled: false,
  deviceCode: 'allowed',
  usersCanRegisterApps: false,
  signInAppConsented: false,
});

export function seedTenants(): SeedTenant[] {
  return [
    {
      name: 'contoso',
      cloud: 'global',
      id: '6b0d3a57-8f3e-4c1a-9b2d-5e7f1a2c3d4e',
      displayName: 'Contoso',
      initialDomain: 'contoso.onmicrosoft.com',
      domains: ['contoso.onmicrosoft.com', 'contoso.com'],
      sharePointHost: 'contoso.sharepoint.com',
      users: [
        {
          id: 'a1c2e3f4-0001-4b5c-8d9e-0a1b2c3d4e01',
          userPrincipalName: 'admin@contoso.onmicrosoft.com',
          displayName: 'Contoso Administrator',
          givenName: 'Contoso',
          surname: 'Administrator',
          jobTitle: 'IT Administrator',
          hasMailbox: true,
          password: 'Winter2020!',
          roles: [ROLE.globalAdministrator],
          inboxItemCount: 1284,
        },
        {
          id: 'a1c2e3f4-0002-4b5c-8d9e-0a1b2c3d4e02',
          userPrincipalName: 'backup@contoso.onmicrosoft.com',
          displayName: 'Backup Service',
          givenName: null,
          surname: null,
          jobTitle: null,
          hasMailbox: true,
          password: 'Backup#Contoso1',
          roles: [],
          inboxItemCount: 17,
        },
        {
          id: 'a1c2e3f4-0003-4b5c-8d9e-0a1b2c3d4e03',
          userPrincipalName: 'ceo@contoso.com',
          displayName: 'Megan Bowen',
          givenName: 'Megan',
          surname: 'Bowen',
          jobTitle: 'Chief Executive Officer',
          hasMailbox: true,
          password: 'Ceo#Contoso1',
          roles: [],
          inboxItemCount: 5321,
        },
        {
          id: 'a1c2e3f4-0004-4b5c-8d9e-0a1b2c3d4e04',
          userPrincipalName: 'nomailbox@contoso.onmicrosoft.com',
          displayName: 'Unlicensed User',
          givenName: 'Unlicensed',
          surname: 'User',
          jobTitle: null,
          hasMailbox: false,
          password: 'NoMailbox#1',
          roles: [],
          inboxItemCount: 0,
        },
        {
          id: 'a1c2e3f4-0005-4b5c-8d9e-0a1b2c3d4e05',
          userPrincipalName: 'helpdesk@contoso.onmicrosoft.com',
          displayName: 'Helpdesk',
          givenName: null,
          surname: null,
          jobTitle: 'Helpdesk',
          hasMailbox: true,
          password: 'Helpdesk#1',
          roles: [],
          inboxItemCount: 88,
        },
        {
          id: 'a1c2e3f4-0006-4b5c-8d9e-0a1b2c3d4e06',
          userPrincipalName: 'appadmin@contoso.onmicrosoft.com',
          displayName: 'Application Administrator',
          givenName: null,
          surname: null,
          jobTitle: 'Cloud Application Administrator',
          hasMailbox: true,
          password: 'AppAdmin#1',
          roles: [ROLE.cloudApplicationAdministrator],
          inboxItemCount: 5,
        },
      ],
      sites: [
        {
          path: '',
          displayName: 'Contoso Portal',
          description: 'Company intranet',
          siteId: '3f1e6c2a-5b7d-4e8f-9a0b-1c2d3e4f5a60',
          webId: '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c20',
          created: '2019-03-12T08:30:00Z',
        },
        {
          path: '/sites/hr',
          displayName: 'Human Resources',
          description: 'Policies, forms and onboarding',
          siteId: '4a2f7d3b-6c8e-4f90-8b1c-2d3e4f5a6b71',
          webId: '9b8c7d6e-5f4a-4b2c-8d9e-8f7a6b5c4d31',
          created: '2019-05-02T10:00:00Z',
        },
        {
          path: '/sites/finance',
          displayName: 'Finance',
          description: 'Budgets and reporting',
          siteId: '5b3a8e4c-7d9f-4a01-9c2d-3e4f5a6b7c82',
          webId: 'ac9d8e7f-6a5b-4c3d-9e0f-9a8b7c6d5e42',
          created: '2019-05-02T10:05:00Z',
        },
        {
          path: '/sites/projects',
          displayName: 'Projects',
          description: 'Project team sites',
          siteId: '6c4b9f5d-8e0a-4b12-8d3e-4f5a6b7c8d93',
          webId: 'bd0e9f8a-7b6c-4d4e-8f1a-0b9c8d7e6f53',
          created: '2020-01-20T09:00:00Z',
        },
      ],
      servicePrincipalIds: {
        graph: 'c0a1b2c3-1111-4d5e-8f90-a1b2c3d4e5f1',
        exchange: 'c0a1b2c3-2222-4d5e-8f90-a1b2c3d4e5f2',
        sharePoint: 'c0a1b2c3-3333-4d5e-8f90-a1b2c3d4e5f3',
        graphCliTools: 'c0a1b2c3-4444-4d5e-8f90-a1b2c3d4e5f4',
        azureCli: 'c0a1b2c3-5555-4d5e-8f90-a1b2c3d4e5f5',
      },
      settings: defaults(),
    },
    {
      name: 'fabrikam',
      cloud: 'global',
      id: 'c3a9e1f4-2b7d-4d58-8a6e-0f9b1c2d3e4a',
      displayName: 'Fabrikam',
      initialDomain: 'fabrikam.onmicrosoft.com',
      domains: ['fabrikam.onmicrosoft.com'],
      sharePointHost: 'fabrikam.sharepoint.com',
      users: [
        {
          id: 'b2d3f4a5-0001-4c6d-9e0f-1b2c3d4e5f01',
          userPrincipalName: 'admin@fabrikam.onmicrosoft.com',
          displayName: 'Fabrikam Administrator',
          givenName: 'Fabrikam',
          surname: 'Administrator',
          jobTitle: 'IT Administrator',
          hasMailbox: true,
          password: 'Fabr1kam!Admin',
          roles: [ROLE.globalAdministrator],
          inboxItemCount: 342,
        },
        {
          id: 'b2d3f4a5-0002-4c6d-9e0f-1b2c3d4e5f02',
          userPrincipalName: 'backup@fabrikam.onmicrosoft.com',
          displayName: 'Fabrikam Backup',
          givenName: null,
          surname: null,
          jobTitle: null,
          hasMailbox: true,
          password: 'Fabr1kam#2021',
          roles: [],
          inboxItemCount: 9,
        },
      ],
      sites: [
        {
          path: '',
          displayName: 'Fabrikam Intranet',
          description: 'Fabrikam home',
          siteId: '7d5c0a6e-9f1b-4c23-9e4f-5a6b7c8d9ea4',
          webId: 'ce1f0a9b-8c7d-4e5f-9a2b-1c0d9e8f7a64',
          created: '2020-09-01T12:00:00Z',
        },
        {
          path: '/sites/operations',
          displayName: 'Operations',
          description: 'Plant operations',
          siteId: '8e6d1b7f-0a2c-4d34-8f5a-6b7c8d9eafb5',
          webId: 'df2a1b0c-9d8e-4f6a-8b3c-2d1e0f9a8b75',
          created: '2020-09-01T12:10:00Z',
        },
      ],
      servicePrincipalIds: {
        graph: 'd1b2c3d4-1111-4e5f-9a01-b2c3d4e5f6a1',
        exchange: 'd1b2c3d4-2222-4e5f-9a01-b2c3d4e5f6a2',
        sharePoint: 'd1b2c3d4-3333-4e5f-9a01-b2c3d4e5f6a3',
        graphCliTools: 'd1b2c3d4-4444-4e5f-9a01-b2c3d4e5f6a4',
        azureCli: 'd1b2c3d4-5555-4e5f-9a01-b2c3d4e5f6a5',
      },
      settings: defaults(),
    },
    {
      // One user per directory-role combination that matters for registering an app (issue 12).
      name: 'litware',
      cloud: 'global',
      id: 'f7a8b9c0-4d5e-4f60-9b71-8c9d0e1f2a3b',
      displayName: 'Litware',
      initialDomain: 'litware.onmicrosoft.com',
      domains: ['litware.onmicrosoft.com'],
      sharePointHost: 'litware.sharepoint.com',
      users: [
        roleUser('d4f5a6b7-0001-4e8f-9a12-3d4e5f6a7b01', 'admin@litware.onmicrosoft.com', 'Global Administrator', [ROLE.globalAdministrator]),
        roleUser('d4f5a6b7-0002-4e8f-9a12-3d4e5f6a7b02', 'appadmin@litware.onmicrosoft.com', 'Cloud Application Administrator', [ROLE.cloudApplicationAdministrator]),
        roleUser('d4f5a6b7-0003-4e8f-9a12-3d4e5f6a7b03', 'applicationadmin@litware.onmicrosoft.com', 'Application Administrator', [ROLE.applicationAdministrator]),
        roleUser('d4f5a6b7-0004-4e8f-9a12-3d4e5f6a7b04', 'praadmin@litware.onmicrosoft.com', 'Privileged Role Administrator', [ROLE.privilegedRoleAdministrator]),
        roleUser('d4f5a6b7-0005-4e8f-9a12-3d4e5f6a7b05', 'appandpra@litware.onmicrosoft.com', 'Application and Privileged Role Administrator', [ROLE.applicationAdministrator, ROLE.privilegedRoleAdministrator]),
        roleUser('d4f5a6b7-0006-4e8f-9a12-3d4e5f6a7b06', 'pim@litware.onmicrosoft.com', 'Eligible Global Administrator', [], [ROLE.globalAdministrator]),
        roleUser('d4f5a6b7-0007-4e8f-9a12-3d4e5f6a7b07', 'helpdesk@litware.onmicrosoft.com', 'Helpdesk', []),
      ],
      sites: [
        {
          path: '',
          displayName: 'Litware Home',
          description: 'Litware home',
          siteId: 'a0b1c2d3-2e3f-4a56-8b7c-9d0e1f2a3b4c',
          webId: 'b1c2d3e4-3f4a-4b67-9c8d-0e1f2a3b4c5d',
          created: '2022-05-01T12:00:00Z',
        },
      ],
      servicePrincipalIds: {
        graph: 'f3d4e5f6-1111-4a7b-9c23-d4e5f6a7b8c1',
        exchange: 'f3d4e5f6-2222-4a7b-9c23-d4e5f6a7b8c2',
        sharePoint: 'f3d4e5f6-3333-4a7b-9c23-d4e5f6a7b8c3',
        graphCliTools: 'f3d4e5f6-4444-4a7b-9c23-d4e5f6a7b8c4',
        azureCli: 'f3d4e5f6-5555-4a7b-9c23-d4e5f6a7b8c5',
      },
      settings: defaults(),
    },
    {
      // A US Government (GCC High) tenant: its own sign-in, Graph, Exchange and SharePoint hosts.
      name: 'northwind',
      cloud: 'usgov',
      id: 'e5f6a7b8-3c4d-4e5f-8a6b-7c8d9e0f1a2b',
      displayName: 'Northwind Traders (GCC High)',
      initialDomain: 'northwindgov.onmicrosoft.us',
      domains: ['northwindgov.onmicrosoft.us', 'northwind.gov'],
      sharePointHost: 'northwindgov.sharepoint.us',
      users: [
        {
          id: 'c3e4a5b6-0001-4d7e-8f01-2c3d4e5f6a01',
          userPrincipalName: 'admin@northwindgov.onmicrosoft.us',
          displayName: 'Northwind Administrator',
          givenName: 'Northwind',
          surname: 'Administrator',
          jobTitle: 'IT Administrator',
          hasMailbox: true,
          password: 'N0rthw1nd!Gov',
          roles: [ROLE.globalAdministrator],
          inboxItemCount: 211,
        },
        roleUser('c3e4a5b6-0002-4d7e-8f01-2c3d4e5f6a02', 'backup@northwindgov.onmicrosoft.us', 'Northwind Backup', []),
      ],
      sites: [
        {
          path: '',
          displayName: 'Northwind Portal',
          description: 'Northwind home',
          siteId: '9f7e2c8a-1b3d-4e45-9a6b-7c8d9e0fa1b6',
          webId: 'e03b2c1d-0e9f-4a7b-8c4d-3e2f1a0b9c86',
          created: '2021-02-01T12:00:00Z',
        },
      ],
      servicePrincipalIds: {
        graph: 'e2c3d4e5-1111-4f6a-8b12-c3d4e5f6a7b1',
        exchange: 'e2c3d4e5-2222-4f6a-8b12-c3d4e5f6a7b2',
        sharePoint: 'e2c3d4e5-3333-4f6a-8b12-c3d4e5f6a7b3',
        graphCliTools: 'e2c3d4e5-4444-4f6a-8b12-c3d4e5f6a7b4',
        azureCli: 'e2c3d4e5-5555-4f6a-8b12-c3d4e5f6a7b5',
      },
      settings: defaults(),
    },
  ];
}

/** A mailbox user who only signs in by device code (no Basic password worth knowing). */
function roleUser(id: string, upn: string, displayName: string, roles: readonly string[], eligibleRoles: readonly string[] = []): SeedUser {
  return {
    id,
    userPrincipalName: upn,
    displayName,
    givenName: null,
    surname: null,
    jobTitle: displayName,
    hasMailbox: true,
    password: `${id.slice(0, 8)}#Sandbox1`,
    roles,
    ...(eligibleRoles.length ? { eligibleRoles } : {}),
    inboxItemCount: 3,
  };
}
