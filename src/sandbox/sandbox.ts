/** startSandbox: builds the tenants, the token-signing key and the HTTP server, and the control API. */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseCertificate, type ParsedCertificate } from './certificates.js';
import { controlHandler } from './control.js';
import { Directory, type ResourceKind, type ServicePrincipal } from './directory.js';
import { FaultTable } from './faults.js';
import { DEFAULT_DATA, SandboxData } from './data/world.js';
import { mailControl } from './mail/control.js';
import { driveControl } from './drives/control.js';
import { MAILBOXES as ON_PREMISES_MAILBOXES } from './onpremises.js';
import { DeviceCodeStore, SandboxControlError } from './identity/device-code.js';
import { clientDisplayName } from './identity/issue.js';
import { SigningKey } from './jwt.js';
import { DEFAULT_LAG } from './replication.js';
import { createSandboxServer, type ServerParts } from './server.js';
import { CLOUD_HOSTS } from './well-known.js';
import { TENANT_NAMES, type TenantName } from './tenants.js';
import type {
  GrantedAppRole,
  PendingDeviceCode,
  RegisterAppInput,
  RegisteredApp,
  Sandbox,
  SandboxAppInfo,
  SandboxOptions,
  SandboxTenantInfo,
  TenantSettingsInput,
} from './types.js';
import type { World } from './world.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The certificate of a PEM text (a bundle with the private key is fine; only the certificate is kept). */
function certificateOf(pemText: string): ParsedCertificate {
  const pem = typeof pemText === 'string' ? pemText.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0] : undefined;
  const certificate = pem ? parseCertificate(pem) : undefined;
  if (!certificate) throw new SandboxControlError('certificatePem is not a PEM X.509 certificate.', 400);
  return certificate;
}

const RESOURCE_PREFIXES: Record<string, ResourceKind> = { graph: 'graph', exchange: 'exchange', sharepoint: 'sharepoint' };

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? (() => new Date());
  const directory = new Directory(() => now().getTime(), {
    fixedMs: options.newAppUnavailableMs ?? 0,
    lag: options.lag === false ? undefined : (options.lag ?? DEFAULT_LAG),
  });
  const dataOptions = { ...DEFAULT_DATA, ...definedOnly(options.data ?? {}) };
  for (const [name, value] of Object.entries(dataOptions)) {
    if (name !== 'seed' && value !== undefined && !(Number.isInteger(value) && Number(value) >= (name === 'mailboxConcurrency' ? 1 : 0))) {
      throw new Error(`sandbox data option ${name} must be a non-negative integer (got ${String(value)})`);
    }
  }
  const data = new SandboxData(dataOptions, directory, now);
  const world: World = {
    directory,
    data,
    key: new SigningKey(),
    deviceCodes: new DeviceCodeStore(directory, options.autoApproveAfterMs),
    refreshTokens: new Map(),
    deviceCodeIntervalSec: options.deviceCodeIntervalSec ?? 1,
    deviceCodeExpiresInSec: options.deviceCodeExpiresInSec ?? 900,
    now,
  };
  const faults = new FaultTable();
  const requests: ServerParts['requests'] = [];

  const tenants = Object.fromEntries(
    directory.tenants.map((t) => [
      t.name,
      {
        id: t.id,
        domain: t.initialDomain,
        sharePointUrl: `https://${t.sharePointHost}`,
        admin: `admin@${t.initialDomain}`,
        cloud: t.cloud,
        loginHost: CLOUD_HOSTS[t.cloud].login[0] ?? 'login.microsoftonline.com',
        graphHost: CLOUD_HOSTS[t.cloud].graph,
      },
    ]),
  ) as Record<TenantName, SandboxTenantInfo>;

  const resourceSps = (tenant: TenantName): ServicePrincipal[] => directory.servicePrincipalsIn(tenant).filter((sp) => sp.resource !== undefined);

  let url = '';
  let port = 0;
  const sandbox: Sandbox = {
    get url() {
      return url;
    },
    get port() {
      return port;
    },
    tenants,
    requests,
    close: () => close(),
    approveDeviceCode(userCode, upn) {
      world.deviceCodes.approve(userCode, upn);
    },
    declineDeviceCode(userCode) {
      world.deviceCodes.decline(userCode);
    },
    expireDeviceCode(userCode) {
      world.deviceCodes.expire(userCode);
    },
    pendingDeviceCodes(): PendingDeviceCode[] {
      return world.deviceCodes.pending(now().getTime()).map((g) => ({
        userCode: g.userCode,
        clientId: g.clientId,
        tenant: g.tenant?.name ?? g.tenantSegment,
        scopes: [...g.scopes],
      }));
    },
    registerApp(tenantName: TenantName, input: RegisterAppInput): RegisteredApp {
      if (!TENANT_NAMES.includes(tenantName)) throw new SandboxControlError(`Unknown tenant '${String(tenantName)}'.`, 404);
      if (typeof input.displayName !== 'string' || !input.displayName) throw new SandboxControlError('registerApp needs a displayName.', 400);
      const grants: Array<{ sp: ServicePrincipal; roleId: string }> = [];
      for (const role of input.roles ?? []) {
        const [prefix, value] = role.includes(':') ? [role.slice(0, role.indexOf(':')).toLowerCase(), role.slice(role.indexOf(':') + 1)] : [undefined, role];
        const kind = prefix === undefined ? undefined : RESOURCE_PREFIXES[prefix];
        if (prefix !== undefined && !kind) throw new SandboxControlError(`Unknown API '${prefix}' in role '${role}'; use graph:, exchange: or sharepoint:.`, 400);
        const matches = resourceSps(tenantName)
          .filter((sp) => kind === undefined || sp.resource === kind)
          .flatMap((sp) => sp.appRoles.filter((r) => r.value.toLowerCase() === value.toLowerCase()).map((r) => ({ sp, roleId: r.id })));
        if (!matches.length) throw new SandboxControlError(`No API in the tenant defines the app role '${role}'.`, 400);
        grants.push(...matches);
      }
      const certificate = input.certificatePem === undefined ? undefined : certificateOf(input.certificatePem);
      if (input.appId !== undefined) {
        if (typeof input.appId !== 'string' || !GUID.test(input.appId)) throw new SandboxControlError('appId must be a GUID.', 400);
        if (directory.application(input.appId)) throw new SandboxControlError(`An app '${input.appId}' exists already.`, 409);
      }
      const app = directory.createApplication(tenantName, {
        ...(input.appId !== undefined ? { appId: input.appId } : {}),
        displayName: input.displayName,
        isFallbackPublicClient: input.publicClient === true,
        keyCredentials: certificate
          ? [{ displayName: certificate.subject, type: 'AsymmetricX509Cert', usage: 'Verify', certificate }]
          : [],
      });
      if (input.secret !== undefined) {
        const t = now().getTime();
        const year = 365 * 86_400_000;
        directory.addPassword(
          app,
          input.secret,
          'sandbox secret',
          new Date(input.secretExpired ? t - 86_400_000 : t + 2 * year),
          new Date(input.secretExpired ? t - 2 * year : t),
        );
      }
      const sp = directory.createServicePrincipal(app);
      for (const g of grants) {
        const duplicate = directory.assignmentsOf(sp.id).some((a) => a.resourceId === g.sp.id && a.appRoleId === g.roleId);
        if (!duplicate) directory.assign(tenantName, sp.id, g.sp.id, g.roleId);
      }
      if (input.exchangeScope) {
        const { roles, mailboxes } = input.exchangeScope;
        if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) throw new SandboxControlError('exchangeScope.roles must be role values such as Mail.ReadWrite.', 400);
        directory.scopeInExchange(app.appId, { roles: roles.map((r) => r.replace(/^Application\s+/i, '')), mailboxes: mailboxes === 'all' ? 'all' : [...(mailboxes ?? [])] });
      }
      return { appId: app.appId, objectId: app.objectId, servicePrincipalId: sp.id };
    },
    addCertificate(appId: string, certificatePem: string): void {
      const app = directory.application(appId);
      if (!app) throw new SandboxControlError(`No app '${appId}' in the sandbox.`, 404);
      const certificate = certificateOf(certificatePem);
      if (app.keyCredentials.some((k) => k.certificate.thumbprintSha256 === certificate.thumbprintSha256)) return;
      // As an upload in the admin center: not a Graph write, so no replication lag.
      app.keyCredentials.push({ keyId: randomUUID(), displayName: certificate.subject, type: 'AsymmetricX509Cert', usage: 'Verify', certificate, replica: directory.newKeyReplica(false) });
    },
    getApp(appId: string): SandboxAppInfo | undefined {
      const app = directory.application(appId);
      if (!app) return undefined;
      const sp = directory.servicePrincipalByAppId(app.tenant, app.appId);
      const granted: GrantedAppRole[] = [];
      for (const a of sp ? directory.assignmentsOf(sp.id) : []) {
        const resource = directory.servicePrincipal(app.tenant, a.resourceId);
        const role = resource?.appRoles.find((r) => r.id === a.appRoleId);
        if (resource?.resource && role) granted.push({ resource: resource.resource, resourceAppId: resource.appId, value: role.value, id: role.id });
      }
      return {
        tenant: app.tenant,
        displayName: app.displayName,
        ...(app.uniqueName ? { uniqueName: app.uniqueName } : {}),
        objectId: app.objectId,
        certificateThumbprintsSha256: app.keyCredentials.map((k) => k.certificate.thumbprintSha256),
        ...(sp ? { servicePrincipalId: sp.id } : {}),
        grantedRoles: [...new Set(granted.map((g) => g.value))],
        grantedAppRoles: granted,
        publicClient: app.isFallbackPublicClient,
        secretCount: app.passwordCredentials.length,
      };
    },
    setTenant(tenantName: TenantName, settings: TenantSettingsInput) {
      if (!TENANT_NAMES.includes(tenantName)) throw new SandboxControlError(`Unknown tenant '${String(tenantName)}'.`, 404);
      const target = directory.tenant(tenantName).settings;
      if (settings.deviceCode !== undefined && settings.deviceCode !== 'allowed' && settings.deviceCode !== 'conditional-access-blocked') {
        throw new SandboxControlError("deviceCode must be 'allowed' or 'conditional-access-blocked'.", 400);
      }
      if (typeof settings.basicAuth === 'boolean') target.basicAuth = settings.basicAuth;
      if (typeof settings.ewsDisabled === 'boolean') target.ewsDisabled = settings.ewsDisabled;
      if (typeof settings.usersCanRegisterApps === 'boolean') target.usersCanRegisterApps = settings.usersCanRegisterApps;
      if (typeof settings.signInAppConsented === 'boolean') target.signInAppConsented = settings.signInAppConsented;
      if (settings.deviceCode !== undefined) target.deviceCode = settings.deviceCode;
    },
    appsIn(tenantName: TenantName): string[] {
      return directory.applicationsIn(tenantName).map((a) => a.appId);
    },
    get lagEvents() {
      return directory.replication.events;
    },
    inject(fault) {
      faults.add(fault);
    },
    countRequests(kind, since = 0) {
      const matches = (k: string | undefined): boolean => {
        if (k === undefined) return false;
        if (typeof kind === 'string') return k === kind || k.startsWith(`${kind}.`);
        kind.lastIndex = 0;
        return kind.test(k);
      };
      return requests.slice(since).filter((r) => matches(r.kind)).length;
    },
    mail: mailControl(data, directory, ON_PREMISES_MAILBOXES),
    drives: driveControl(data, directory),
    throttle(rule) {
      data.traffic.throttle(rule);
    },
    clearThrottles() {
      data.traffic.clearThrottles();
    },
    clearFaults() {
      faults.clear();
    },
  };

  const { server, shutdown } = createSandboxServer({
    world,
    faults,
    requests,
    control: controlHandler(sandbox, (clientId) => clientDisplayName(world, clientId)),
    admit: (ctx, target) => data.traffic.admit(ctx, target),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      world.deviceCodes.close();
      shutdown();
      data.close();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  }
  return sandbox;
}
