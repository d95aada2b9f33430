/**
 * What the tenants hold: users, app registrations, service principals and app-role assignments.
 * One instance per sandbox; everything lives in memory and disappears with it.
 */
import { randomUUID } from 'node:crypto';
import type { ParsedCertificate } from './certificates.js';
import { seedTenants, type SeedTenant, type SeedUser, type TenantName, type TenantSettings } from './tenants.js';
import {
  AZURE_CLI_APP_ID,
  EXCHANGE_APP_ID,
  EXCHANGE_APP_ROLES,
  EXCHANGE_RESOURCE,
  GRAPH_APP_ID,
  GRAPH_APP_ROLES,
  GRAPH_CLI_TOOLS_APP_ID,
  GRAPH_RESOURCE,
  MICROSOFT_SERVICES_TENANT_ID,
  SHAREPOINT_APP_ID,
  SHAREPOINT_APP_ROLES,
  type AppRoleDefinition,
} from './well-known.js';

export interface TenantState extends Omit<SeedTenant, 'settings'> {
  readonly settings: TenantSettings;
}

export interface AppRole {
  readonly id: string;
  readonly value: string;
  readonly displayName: string;
  readonly description: string;
  readonly allowedMemberTypes: readonly string[];
  readonly isEnabled: boolean;
  readonly origin: string;
}

export type ResourceKind = 'graph' | 'exchange' | 'sharepoint';

export interface ServicePrincipal {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  readonly tenant: TenantName;
  readonly appRoles: readonly AppRole[];
  /** Microsoft-owned (resource APIs and Microsoft's public clients). */
  readonly firstParty: boolean;
  readonly resource?: ResourceKind;
  readonly appOwnerOrganizationId: string;
  readonly servicePrincipalNames: readonly string[];
  readonly createdAt: number;
}

export interface KeyCredential {
  readonly keyId: string;
  readonly displayName: string | null;
  readonly type: string;
  readonly usage: string;
  readonly certificate: ParsedCertificate;
  /** When the credential was added (for the eventual-consistency window). */
  readonly addedAt: number;
}

export interface PasswordCredential {
  readonly keyId: string;
  readonly displayName: string | null;
  readonly hint: string;
  readonly secretText: string;
  readonly startDateTime: Date;
  readonly endDateTime: Date;
  readonly addedAt: number;
}

export interface Application {
  readonly objectId: string;
  readonly appId: string;
  readonly tenant: TenantName;
  displayName: string;
  readonly signInAudience: string;
  isFallbackPublicClient: boolean;
  keyCredentials: KeyCredential[];
  passwordCredentials: PasswordCredential[];
  requiredResourceAccess: unknown[];
  readonly createdAt: number;
}

export interface AppRoleAssignment {
  readonly id: string;
  readonly tenant: TenantName;
  readonly appRoleId: string;
  readonly principalId: string;
  readonly resourceId: string;
  readonly createdAt: number;
}

export interface UserRef {
  readonly tenant: TenantState;
  readonly user: SeedUser;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (value: string): boolean => GUID.test(value);

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

export class Directory {
  readonly tenants: readonly TenantState[];
  private readonly apps = new Map<string, Application>();
  private readonly servicePrincipals = new Map<string, ServicePrincipal>();
  private readonly assignments: AppRoleAssignment[] = [];

  constructor(
    private readonly clock: () => number,
    /** newAppUnavailableMs: how long new apps, credentials and grants stay invisible to /token. */
    readonly settleMs: number,
  ) {
    this.tenants = seedTenants();
    for (const t of this.tenants) this.seedServicePrincipals(t);
  }

  now(): number {
    return this.clock();
  }

  /** Whether something created at `createdAt` has replicated (Entra is eventually consistent). */
  settled(createdAt: number): boolean {
    return this.clock() - createdAt >= this.settleMs;
  }

  tenant(name: TenantName): TenantState {
    const t = this.tenants.find((x) => x.name === name);
    if (!t) throw new Error(`unknown sandbox tenant '${name}'`);
    return t;
  }

  /** A tenant named the way Entra accepts it in a path: GUID or one of its domains. */
  resolveTenant(segment: string): TenantState | undefined {
    const s = segment.toLowerCase();
    return this.tenants.find((t) => t.id === s || t.domains.includes(s));
  }

  tenantById(id: unknown): TenantState | undefined {
    return typeof id === 'string' ? this.tenants.find((t) => t.id === id.toLowerCase()) : undefined;
  }

  /** The tenant owning a SharePoint Online host (contoso.sharepoint.com or contoso-admin.sharepoint.com). */
  tenantOfSharePointHost(host: string): TenantState | undefined {
    const h = host.toLowerCase();
    return this.tenants.find((t) => t.sharePointHost === h || t.sharePointHost.replace('.', '-admin.') === h);
  }

  findUser(tenant: TenantState, idOrUpn: string): SeedUser | undefined {
    const key = idOrUpn.toLowerCase();
    return tenant.users.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
  }

  findUserAnywhere(upn: string): UserRef | undefined {
    for (const tenant of this.tenants) {
      const user = this.findUser(tenant, upn);
      if (user) return { tenant, user };
    }
    return undefined;
  }

  userById(tenant: TenantState, oid: unknown): SeedUser | undefined {
    return typeof oid === 'string' ? tenant.users.find((u) => u.id === oid) : undefined;
  }

  // ---- applications -------------------------------------------------------------------------

  application(appId: string): Application | undefined {
    return this.apps.get(appId.toLowerCase());
  }

  applicationByObjectId(tenant: TenantName, objectId: string): Application | undefined {
    const id = objectId.toLowerCase();
    return [...this.apps.values()].find((a) => a.tenant === tenant && a.objectId === id);
  }

  applicationsIn(tenant: TenantName): Application[] {
    return [...this.apps.values()].filter((a) => a.tenant === tenant);
  }

  createApplication(
    tenant: TenantName,
    input: {
      displayName: string;
      signInAudience?: string;
      isFallbackPublicClient?: boolean;
      keyCredentials?: Array<Omit<KeyCredential, 'keyId' | 'addedAt'> & { keyId?: string }>;
      requiredResourceAccess?: unknown[];
    },
  ): Application {
    const createdAt = this.clock();
    const app: Application = {
      objectId: randomUUID(),
      appId: randomUUID(),
      tenant,
      displayName: input.displayName,
      signInAudience: input.signInAudience ?? 'AzureADMyOrg',
      isFallbackPublicClient: input.isFallbackPublicClient ?? false,
      keyCredentials: (input.keyCredentials ?? []).map((k) => ({ ...k, keyId: k.keyId ?? randomUUID(), addedAt: createdAt })),
      passwordCredentials: [],
      requiredResourceAccess: input.requiredResourceAccess ?? [],
      createdAt,
    };
    this.apps.set(app.appId, app);
    return app;
  }

  addPassword(app: Application, secretText: string, displayName: string | null, endDateTime: Date, startDateTime?: Date): PasswordCredential {
    const now = this.clock();
    const credential: PasswordCredential = {
      keyId: randomUUID(),
      displayName,
      hint: secretText.slice(0, 3),
      secretText,
      startDateTime: startDateTime ?? new Date(now),
      endDateTime,
      addedAt: now,
    };
    app.passwordCredentials.push(credential);
    return credential;
  }

  /** Deleting an application also deletes its service principal in the home tenant, as in Entra. */
  deleteApplication(app: Application): void {
    this.apps.delete(app.appId);
    const sp = this.servicePrincipalByAppId(app.tenant, app.appId);
    if (sp) this.deleteServicePrincipal(sp);
  }

  // ---- service principals -------------------------------------------------------------------

  servicePrincipal(tenant: TenantName, id: string): ServicePrincipal | undefined {
    const sp = this.servicePrincipals.get(id.toLowerCase());
    return sp && sp.tenant === tenant ? sp : undefined;
  }

  servicePrincipalByAppId(tenant: TenantName, appId: string): ServicePrincipal | undefined {
    const id = appId.toLowerCase();
    return [...this.servicePrincipals.values()].find((sp) => sp.tenant === tenant && sp.appId === id);
  }

  servicePrincipalsIn(tenant: TenantName): ServicePrincipal[] {
    return [...this.servicePrincipals.values()].filter((sp) => sp.tenant === tenant);
  }

  createServicePrincipal(app: Application): ServicePrincipal {
    const tenant = this.tenant(app.tenant);
    const sp: ServicePrincipal = {
      id: randomUUID(),
      appId: app.appId,
      displayName: app.displayName,
      tenant: app.tenant,
      appRoles: [],
      firstParty: false,
      appOwnerOrganizationId: tenant.id,
      servicePrincipalNames: [app.appId],
      createdAt: this.clock(),
    };
    this.servicePrincipals.set(sp.id, sp);
    return sp;
  }

  private deleteServicePrincipal(sp: ServicePrincipal): void {
    this.servicePrincipals.delete(sp.id);
    for (let i = this.assignments.length - 1; i >= 0; i--) {
      const a = this.assignments[i];
      if (a && (a.principalId === sp.id || a.resourceId === sp.id)) this.assignments.splice(i, 1);
    }
  }

  /** The first-party resource SP a resource URI (or resource appId) names in a tenant. */
  resourceServicePrincipal(tenant: TenantState, resource: string): ServicePrincipal | undefined {
    const r = resource.toLowerCase().replace(/\/+$/, '');
    let kind: ResourceKind | undefined;
    if (r === GRAPH_RESOURCE || r === GRAPH_APP_ID) kind = 'graph';
    else if (r === EXCHANGE_RESOURCE || r === EXCHANGE_APP_ID) kind = 'exchange';
    else if (r === SHAREPOINT_APP_ID) kind = 'sharepoint';
    else if (r.startsWith('https://') && this.tenantOfSharePointHost(r.slice('https://'.length)) === tenant) kind = 'sharepoint';
    if (!kind) return undefined;
    return this.servicePrincipalsIn(tenant.name).find((sp) => sp.resource === kind);
  }

  // ---- app role assignments -----------------------------------------------------------------

  assignmentsTo(resourceId: string): AppRoleAssignment[] {
    return this.assignments.filter((a) => a.resourceId === resourceId);
  }

  assignmentsOf(principalId: string): AppRoleAssignment[] {
    return this.assignments.filter((a) => a.principalId === principalId);
  }

  assignment(id: string): AppRoleAssignment | undefined {
    return this.assignments.find((a) => a.id === id);
  }

  assign(tenant: TenantName, principalId: string, resourceId: string, appRoleId: string): AppRoleAssignment {
    const assignment: AppRoleAssignment = {
      // Entra's assignment ids are opaque base64url strings, not GUIDs.
      id: Buffer.from(randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '').slice(0, 16), 'hex').toString('base64url'),
      tenant,
      appRoleId,
      principalId,
      resourceId,
      createdAt: this.clock(),
    };
    this.assignments.push(assignment);
    return assignment;
  }

  removeAssignment(id: string): void {
    const i = this.assignments.findIndex((a) => a.id === id);
    if (i >= 0) this.assignments.splice(i, 1);
  }

  /** Role values an app's SP holds on a resource and that /token already sees. */
  settledRoles(principalId: string, resource: ServicePrincipal): string[] {
    const values = this.assignmentsOf(principalId)
      .filter((a) => a.resourceId === resource.id && this.settled(a.createdAt))
      .map((a) => resource.appRoles.find((r) => r.id === a.appRoleId)?.value)
      .filter((v): v is string => typeof v === 'string');
    return [...new Set(values)];
  }

  private seedServicePrincipals(t: TenantState): void {
    const createdAt = 0;
    const add = (sp: Omit<ServicePrincipal, 'tenant' | 'firstParty' | 'appOwnerOrganizationId' | 'createdAt'>): void => {
      this.servicePrincipals.set(sp.id, {
        ...sp,
        tenant: t.name,
        firstParty: true,
        appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT_ID,
        createdAt,
      });
    };
    add({
      id: t.servicePrincipalIds.graph,
      appId: GRAPH_APP_ID,
      displayName: 'Microsoft Graph',
      appRoles: toAppRoles(GRAPH_APP_ROLES),
      resource: 'graph',
      servicePrincipalNames: [GRAPH_APP_ID, GRAPH_RESOURCE, 'https://graph.microsoft.com/'],
    });
    add({
      id: t.servicePrincipalIds.exchange,
      appId: EXCHANGE_APP_ID,
      displayName: 'Office 365 Exchange Online',
      appRoles: toAppRoles(EXCHANGE_APP_ROLES),
      resource: 'exchange',
      servicePrincipalNames: [EXCHANGE_APP_ID, EXCHANGE_RESOURCE, 'https://outlook.office.com'],
    });
    add({
      id: t.servicePrincipalIds.sharePoint,
      appId: SHAREPOINT_APP_ID,
      displayName: 'Office 365 SharePoint Online',
      appRoles: toAppRoles(SHAREPOINT_APP_ROLES),
      resource: 'sharepoint',
      servicePrincipalNames: [SHAREPOINT_APP_ID, `https://${t.sharePointHost}`, 'https://microsoft.sharepoint-df.com'],
    });
    add({
      id: t.servicePrincipalIds.graphCliTools,
      appId: GRAPH_CLI_TOOLS_APP_ID,
      displayName: 'Microsoft Graph Command Line Tools',
      appRoles: [],
      servicePrincipalNames: [GRAPH_CLI_TOOLS_APP_ID],
    });
    add({
      id: t.servicePrincipalIds.azureCli,
      appId: AZURE_CLI_APP_ID,
      displayName: 'Microsoft Azure CLI',
      appRoles: [],
      servicePrincipalNames: [AZURE_CLI_APP_ID],
    });
  }
}
