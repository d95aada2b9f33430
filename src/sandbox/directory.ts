/**
 * What the tenants hold: users, app registrations, service principals and app-role assignments.
 * One instance per sandbox; everything lives in memory and disappears with it.
 */
import { randomUUID } from 'node:crypto';
import type { ParsedCertificate } from './certificates.js';
import { firstPartyServicePrincipals } from './directory-seed.js';
import { DEFAULT_LAG, Replication, type LagBounds, type Replica } from './replication.js';
import { seedTenants, type SeedTenant, type SeedUser, type TenantName, type TenantSettings } from './tenants.js';
import { CLOUD_HOSTS, EXCHANGE_APP_ID, GRAPH_APP_ID, SHAREPOINT_APP_ID } from './well-known.js';

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
  readonly replica: Replica;
}

export interface KeyCredential {
  readonly keyId: string;
  readonly displayName: string | null;
  readonly type: string;
  readonly usage: string;
  readonly certificate: ParsedCertificate;
  /** When Graph and the token service see the key (replication.ts). */
  readonly replica: Replica;
}

export interface PasswordCredential {
  readonly keyId: string;
  readonly displayName: string | null;
  readonly hint: string;
  readonly secretText: string;
  readonly startDateTime: Date;
  readonly endDateTime: Date;
  readonly replica: Replica;
}

export interface Application {
  readonly objectId: string;
  readonly appId: string;
  readonly tenant: TenantName;
  /** The alternate key of PATCH /applications(uniqueName='…') (immutable once set). */
  readonly uniqueName?: string;
  displayName: string;
  readonly signInAudience: string;
  isFallbackPublicClient: boolean;
  keyCredentials: KeyCredential[];
  passwordCredentials: PasswordCredential[];
  requiredResourceAccess: unknown[];
  readonly createdAt: number;
  readonly replica: Replica;
}

export interface AppRoleAssignment {
  readonly id: string;
  readonly tenant: TenantName;
  readonly appRoleId: string;
  readonly principalId: string;
  readonly resourceId: string;
  readonly createdAt: number;
  readonly replica: Replica;
}

export interface UserRef {
  readonly tenant: TenantState;
  readonly user: SeedUser;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (value: string): boolean => GUID.test(value);

export interface DirectoryOptions {
  /** newAppUnavailableMs: a fixed window for everything new, control API included. */
  readonly fixedMs: number;
  /** Random lag of objects made through Graph; undefined = none. */
  readonly lag: LagBounds | undefined;
}

/** Exchange RBAC for Applications: an app granted "Application Mail.*" roles for some mailboxes only. */
export interface ExchangeScope {
  /** Role values without the "Application " prefix, e.g. Mail.ReadWrite, MailboxSettings.Read. */
  readonly roles: readonly string[];
  /** User principal names in the management scope, or 'all'. */
  readonly mailboxes: readonly string[] | 'all';
}

export class Directory {
  readonly tenants: readonly TenantState[];
  readonly replication: Replication;
  private readonly apps = new Map<string, Application>();
  private readonly servicePrincipals = new Map<string, ServicePrincipal>();
  private readonly assignments: AppRoleAssignment[] = [];
  /** appId → RBAC for Applications grant (held by Exchange, not in the token's roles). */
  private readonly exchangeScopes = new Map<string, ExchangeScope>();

  constructor(
    private readonly clock: () => number,
    options: DirectoryOptions = { fixedMs: 0, lag: DEFAULT_LAG },
  ) {
    this.replication = new Replication(clock, options.fixedMs, options.lag);
    this.tenants = seedTenants();
    for (const t of this.tenants) for (const sp of firstPartyServicePrincipals(t)) this.servicePrincipals.set(sp.id, sp);
  }

  now(): number {
    return this.clock();
  }

  /** Graph reads see it (replication.ts). */
  graphVisible(object: { readonly replica: Replica }): boolean {
    return this.replication.graphVisible(object.replica);
  }

  /** The token service sees it (replication.ts). */
  stsVisible(object: { readonly replica: Replica }): boolean {
    return this.replication.stsVisible(object.replica);
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

  /** The app with this uniqueName in a tenant, as Graph writes see it (replicas may not yet). */
  applicationByUniqueName(tenant: TenantName, uniqueName: string): Application | undefined {
    const key = uniqueName.toLowerCase();
    return [...this.apps.values()].find((a) => a.tenant === tenant && a.uniqueName?.toLowerCase() === key);
  }

  createApplication(
    tenant: TenantName,
    input: {
      /** The control API's choice (the demo names its ready app before the sandbox starts); a new GUID otherwise. */
      appId?: string;
      displayName: string;
      uniqueName?: string;
      signInAudience?: string;
      isFallbackPublicClient?: boolean;
      keyCredentials?: Array<Omit<KeyCredential, 'keyId' | 'replica'> & { keyId?: string }>;
      requiredResourceAccess?: unknown[];
    },
    /** Made by a Graph write: replicas lag (replication.ts). */
    viaGraph = false,
  ): Application {
    const createdAt = this.clock();
    const replica = this.replication.stamp(viaGraph);
    const app: Application = {
      objectId: randomUUID(),
      appId: input.appId?.toLowerCase() ?? randomUUID(),
      tenant,
      ...(input.uniqueName ? { uniqueName: input.uniqueName } : {}),
      displayName: input.displayName,
      signInAudience: input.signInAudience ?? 'AzureADMyOrg',
      isFallbackPublicClient: input.isFallbackPublicClient ?? false,
      keyCredentials: (input.keyCredentials ?? []).map((k) => ({ ...k, keyId: k.keyId ?? randomUUID(), replica: this.replication.stamp(viaGraph) })),
      passwordCredentials: [],
      requiredResourceAccess: input.requiredResourceAccess ?? [],
      createdAt,
      replica,
    };
    this.apps.set(app.appId, app);
    return app;
  }

  /** Replica times of a key added to an existing app now (PATCH keyCredentials). */
  newKeyReplica(viaGraph: boolean): Replica {
    return this.replication.stamp(viaGraph);
  }

  addPassword(app: Application, secretText: string, displayName: string | null, endDateTime: Date, startDateTime?: Date, viaGraph = false): PasswordCredential {
    const now = this.clock();
    const credential: PasswordCredential = {
      keyId: randomUUID(),
      displayName,
      hint: secretText.slice(0, 3),
      secretText,
      startDateTime: startDateTime ?? new Date(now),
      endDateTime,
      replica: this.replication.stamp(viaGraph),
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

  createServicePrincipal(app: Application, viaGraph = false): ServicePrincipal {
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
      replica: this.replication.stamp(viaGraph),
    };
    this.servicePrincipals.set(sp.id, sp);
    return sp;
  }

  private deleteServicePrincipal(sp: ServicePrincipal): void {
    this.servicePrincipals.delete(sp.id);
    this.exchangeScopes.delete(sp.appId);
    for (let i = this.assignments.length - 1; i >= 0; i--) {
      const a = this.assignments[i];
      if (a && (a.principalId === sp.id || a.resourceId === sp.id)) this.assignments.splice(i, 1);
    }
  }

  /** The first-party resource SP a resource URI (or resource appId) names in a tenant. */
  resourceServicePrincipal(tenant: TenantState, resource: string): ServicePrincipal | undefined {
    const r = resource.toLowerCase().replace(/\/+$/, '');
    let kind: ResourceKind | undefined;
    const hosts = CLOUD_HOSTS[tenant.cloud];
    // A resource is named in the tenant's own cloud (https://graph.microsoft.us there), or by appId.
    if (r === `https://${hosts.graph}` || r === GRAPH_APP_ID) kind = 'graph';
    else if (r === `https://${hosts.exchange}` || r === EXCHANGE_APP_ID) kind = 'exchange';
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

  assign(tenant: TenantName, principalId: string, resourceId: string, appRoleId: string, viaGraph = false): AppRoleAssignment {
    const assignment: AppRoleAssignment = {
      // Entra's assignment ids are opaque base64url strings, not GUIDs.
      id: Buffer.from(randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '').slice(0, 16), 'hex').toString('base64url'),
      tenant,
      appRoleId,
      principalId,
      resourceId,
      createdAt: this.clock(),
      replica: this.replication.stamp(viaGraph),
    };
    this.assignments.push(assignment);
    return assignment;
  }

  removeAssignment(id: string): void {
    const i = this.assignments.findIndex((a) => a.id === id);
    if (i >= 0) this.assignments.splice(i, 1);
  }

  /** Role values an app's SP holds on a resource and that /token already sees. */
  stsRoles(principalId: string, resource: ServicePrincipal): string[] {
    const granted = this.assignmentsOf(principalId).filter((a) => a.resourceId === resource.id);
    const seen = granted.filter((a) => this.stsVisible(a));
    if (seen.length < granted.length) this.replication.note('token-roles-missing');
    const values = seen.map((a) => resource.appRoles.find((r) => r.id === a.appRoleId)?.value).filter((v): v is string => typeof v === 'string');
    return [...new Set(values)];
  }

  // ---- Exchange RBAC for Applications -------------------------------------------------------

  scopeInExchange(appId: string, scope: ExchangeScope): void {
    this.exchangeScopes.set(appId.toLowerCase(), scope);
  }

  /** Whether Exchange grants `appId` one of `roles` on the mailbox of `upn` (RBAC for Applications). */
  exchangeGrants(appId: string, roles: readonly string[], upn: string): boolean {
    const scope = this.exchangeScopes.get(appId.toLowerCase());
    if (!scope || !scope.roles.some((r) => roles.some((w) => w.toLowerCase() === r.toLowerCase()))) return false;
    return scope.mailboxes === 'all' || scope.mailboxes.some((m) => m.toLowerCase() === upn.toLowerCase());
  }
}
