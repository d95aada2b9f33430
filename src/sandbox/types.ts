/** The sandbox's public API: what tests, the demo and the CLI code against. */
import type { ThrottleRule } from './data/traffic.js';
import type { Fault } from './faults.js';
import type { LagBounds, LagEvent } from './replication.js';
import type { SandboxMail } from './mail/control-types.js';
import type { SandboxDrives } from './drives/control-types.js';
import type { TenantName } from './tenants.js';
import type { CloudName } from './well-known.js';

export type { Fault, FaultResponse } from './faults.js';
export type { TenantName } from './tenants.js';
export type { LagBounds, LagEvent, LagEventKind } from './replication.js';
export type { CloudName } from './well-known.js';
export type { ThrottleRule } from './data/traffic.js';
export type { MessageChange, NewMessageInput, SandboxFolderInfo, SandboxMail, SandboxMessageInfo } from './mail/control-types.js';
export type { FileContentInput, SandboxDriveInfo, SandboxDriveItemInfo, SandboxDrives } from './drives/control-types.js';

/** What the tenants hold; every item is derived from `seed`, so the same options give the same data. */
export interface SandboxDataOptions {
  /** Default 'backup-panel'. */
  seed?: string;
  /** Mailboxes of contoso holding seeded mail (users are generated beyond its five); default: every mailbox user of both tenants. */
  mailboxes?: number;
  /** Messages per mailbox across its folders; default 24. */
  messages?: number;
  /** Messages of about `largeMessageBytes` per mailbox (in the Inbox); default 1. */
  largeMessages?: number;
  /** Default 3 MiB. */
  largeMessageBytes?: number;
  /** Files per document library; default 24. */
  files?: number;
  /** Files of about `largeFileBytes` per library; default 1. */
  largeFiles?: number;
  /** Default 6 MiB. */
  largeFileBytes?: number;
  /** Concurrent Graph mail requests per mailbox before 429 MailboxConcurrency; default 4, as Exchange Online. */
  mailboxConcurrency?: number;
}

export interface SandboxOptions {
  /** Default 0 (ephemeral); the host is always 127.0.0.1. */
  port?: number;
  /** Approve each device code after this delay as the tenant's Global Administrator; undefined = never. */
  autoApproveAfterMs?: number;
  /** Default 1; MSAL sleeps this many seconds between polls. */
  deviceCodeIntervalSec?: number;
  /** Default 900. */
  deviceCodeExpiresInSec?: number;
  /** A fixed eventual-consistency window for everything new (control API included); default 0. */
  newAppUnavailableMs?: number;
  /**
   * How long objects made through Graph (apps, service principals, keys, grants) stay invisible to
   * Graph reads and the token service, drawn at random within the bounds for each (replication.ts).
   * Default 100–800 ms, like a real tenant but small; false = none.
   */
  lag?: LagBounds | false;
  now?: () => Date;
  /** Mailboxes and document libraries (generated lazily on first use). */
  data?: SandboxDataOptions;
}

export interface SandboxTenantInfo {
  readonly id: string;
  readonly domain: string;
  readonly sharePointUrl: string;
  readonly admin: string;
  /** The national cloud, and its sign-in and Graph hosts. */
  readonly cloud: CloudName;
  readonly loginHost: string;
  readonly graphHost: string;
}

export interface RegisterAppInput {
  /** A GUID chosen by the caller (the demo's ready app is named before the sandbox starts); new otherwise. */
  appId?: string;
  displayName: string;
  /** PEM certificate (a PEM bundle with the private key is fine; only the certificate is kept). */
  certificatePem?: string;
  secret?: string;
  secretExpired?: boolean;
  /**
   * Role values, e.g. ['full_access_as_app', 'Mail.ReadWrite']. A value several APIs define (Sites.*)
   * is granted on each; prefix 'graph:', 'exchange:' or 'sharepoint:' to pick one.
   */
  roles: string[];
  publicClient?: boolean;
  /**
   * Exchange RBAC for Applications: roles (Mail.Read, Mail.ReadWrite, MailboxSettings.Read…) held in
   * Exchange for these mailboxes only; they never appear in the token's roles.
   */
  exchangeScope?: { roles: string[]; mailboxes?: string[] | 'all' };
}

export interface RegisteredApp {
  readonly appId: string;
  readonly objectId: string;
  readonly servicePrincipalId: string;
}

export interface GrantedAppRole {
  readonly resource: 'graph' | 'exchange' | 'sharepoint';
  readonly resourceAppId: string;
  readonly value: string;
  readonly id: string;
}

export interface SandboxAppInfo {
  readonly tenant: string;
  readonly displayName: string;
  readonly uniqueName?: string;
  readonly objectId: string;
  readonly certificateThumbprintsSha256: string[];
  readonly servicePrincipalId?: string;
  /** Role values granted on any resource (deduplicated). */
  readonly grantedRoles: string[];
  /** The same grants with the resource each is on. */
  readonly grantedAppRoles: GrantedAppRole[];
  readonly publicClient: boolean;
  readonly secretCount: number;
}

export interface TenantSettingsInput {
  basicAuth?: boolean;
  ewsDisabled?: boolean;
  deviceCode?: 'allowed' | 'conditional-access-blocked';
  /** Entra's "Users can register applications" (default false in the seed). */
  usersCanRegisterApps?: boolean;
  /** Tenant-wide admin consent for the sign-in apps' admin scopes (default false: no-role users meet AADSTS65001). */
  signInAppConsented?: boolean;
}

export interface PendingDeviceCode {
  readonly userCode: string;
  readonly clientId: string;
  /** 'contoso' / 'fabrikam', or the path segment ('organizations', 'common') until someone signs in. */
  readonly tenant: string;
  readonly scopes: string[];
}

export interface SandboxRequestRecord {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly grantType?: string;
  /** What the request asks for, e.g. 'mail.messages.delta', 'mail.mime', 'drive.download', 'ews.GetItem'. */
  readonly kind?: string;
  /** HTTP status sent; 0 while pending or when the connection was hung or reset by a fault. */
  readonly status: number;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly tenants: Readonly<Record<TenantName, SandboxTenantInfo>>;
  close(): Promise<void>;
  approveDeviceCode(userCode: string, upn?: string): void;
  declineDeviceCode(userCode: string): void;
  expireDeviceCode(userCode: string): void;
  pendingDeviceCodes(): PendingDeviceCode[];
  registerApp(tenant: TenantName, app: RegisterAppInput): RegisteredApp;
  getApp(appId: string): SandboxAppInfo | undefined;
  /** Adds a PEM certificate to an app's key credentials, as an admin uploads one in the Entra admin center. */
  addCertificate(appId: string, certificatePem: string): void;
  setTenant(tenant: TenantName, settings: TenantSettingsInput): void;
  /** The appIds of every app registration in a tenant (to count them). */
  appsIn(tenant: TenantName): string[];
  /** Each refusal the replication lag caused (AADSTS700016 / 7000229, Graph 404s…), oldest first. */
  readonly lagEvents: ReadonlyArray<LagEvent>;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Every Microsoft 365 / on-premises request seen; never bodies or authorization headers. */
  readonly requests: ReadonlyArray<SandboxRequestRecord>;
  /**
   * Requests of a kind since index `since` of `requests`: a string matches that kind and its
   * sub-kinds ('mail' counts 'mail.mime'…), a RegExp matches kinds.
   */
  countRequests(kind: string | RegExp, since?: number): number;
  /** Mailboxes: read back, change behind the API's back, expire sync state, hold requests. */
  readonly mail: SandboxMail;
  /** Document libraries: read back, change behind the API's back, expire delta tokens. */
  readonly drives: SandboxDrives;
  /** Throttles the next matching requests (429/503 with Retry-After; ErrorServerBusy for EWS). */
  throttle(rule: ThrottleRule): void;
  clearThrottles(): void;
}
