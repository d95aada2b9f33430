import type { Cloud, NextStep, Secret, Service } from '../domain/index.js';
import type { ErrorCategory } from '../m365/errors.js';
import type { DataAccess } from './data-access.js';
export type { DataAccess, DataResource } from './data-access.js';

export { M365Error, type ErrorCategory } from '../m365/errors.js';

/**
 * What the rest of the panel may ask of Microsoft identity. msal-node and every HTTP call to
 * Microsoft 365 (or to on-premises servers) live behind this interface, in src/auth/.
 */

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  /** Short name of the check, e.g. "Token", "Roles", "Exchange Online (Graph)". */
  readonly name: string;
  readonly status: CheckStatus;
  /** What was found and, for warn/fail, what to do (in the panel's words). One or two sentences, no secrets. */
  readonly message: string;
  /** The message without its next step, when the step depends on the front end (services' checkMessage puts them together). */
  readonly detail?: string;
  readonly next?: NextStep;
  /** Normalised failure category (see errors.ts), when the check failed on a Microsoft error. */
  readonly category?: ErrorCategory;
  /** AADSTS number when Entra returned one. */
  readonly aadsts?: number;
}



export interface Progress {
  /** The check or step currently running, e.g. "Acquiring token". */
  readonly running?: string;
  /** Checks finished so far, in order. */
  readonly results: readonly CheckResult[];
}

export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly now?: Date;
}

/** A certificate with its private key, ready to sign client assertions. */
export interface CertificateMaterial {
  readonly certificatePem: string;
  readonly privateKeyPem: Secret; // PKCS#8 PEM
  readonly thumbprintSha256: string; // lowercase hex
  readonly subject: string;
  readonly notBefore: string; // ISO
  readonly notAfter: string; // ISO
  /** RSA modulus length; absent when the material was rebuilt from the store (not re-read). */
  readonly keyBits?: number;
  /** Set by loadCertificate/generateCertificate when the certificate expires within 30 days. */
  readonly expiresSoon?: boolean;
}

export type AppSecretMaterial = { readonly kind: 'secret'; readonly clientSecret: Secret };
export type AppCertificateMaterial = { readonly kind: 'certificate'; readonly certificate: CertificateMaterial };

/** What verification needs to know about a connection, with secrets already decrypted. */
export type VerifyTarget =
  | {
      readonly kind: 'online-app';
      readonly service: Service;
      /** The national cloud (default global): its hosts for every request. */
      readonly cloud?: Cloud;
      readonly tenantId: string;
      readonly clientId: string;
      readonly credential: AppSecretMaterial | AppCertificateMaterial;
      /** Exchange: mailbox of a licensed user to read through Graph (and EWS). */
      readonly mailbox?: string;
      /** SharePoint: https://<tenant>.sharepoint.com */
      readonly siteUrl?: string;
      /** SharePoint "modern and legacy": the user name + password kept for the legacy half. */
      readonly legacyAccount?: { readonly userName: string; readonly password: Secret };
      /** Within minutes of an automatic registration: retry while Entra catches up. */
      readonly recentlyRegistered?: boolean;
      /** The app holds legacy EWS (full_access_as_app) at the admin's request: check EWS too. */
      readonly legacyEws?: boolean;
    }
  | {
      readonly kind: 'online-basic';
      readonly service: Service;
      readonly cloud?: Cloud;
      readonly userName: string;
      readonly password: Secret;
      readonly siteUrl?: string;
    }
  | {
      readonly kind: 'onprem-exchange';
      /** Host name, IP or URL; null → Autodiscover from `autodiscoverEmail` or the user name. */
      readonly server: string | null;
      readonly autodiscoverEmail?: string;
      readonly userName: string;
      readonly password: Secret;
    }
  | {
      readonly kind: 'onprem-sharepoint';
      readonly url: string;
      readonly userName: string;
      readonly password: Secret;
    };

export interface DeviceCodePrompt {
  readonly verificationUri: string;
  readonly userCode: string;
  readonly expiresAt: Date;
  /** Entra's own sentence, sanitised by the caller before drawing. */
  readonly message: string;
}

/** Directory roles that matter for registering an app, from the admin token's `wids` claim. */
export type AdminRoleName = 'Global Administrator' | 'Privileged Role Administrator' | 'Application Administrator' | 'Cloud Application Administrator';

/** What the signed-in account can do, read from its token right after sign-in (admin-roles.ts). */
export interface AdminRoles {
  /** The relevant active roles (eligible PIM roles are not in the token until activated). */
  readonly active: readonly AdminRoleName[];
  /** false when the token carried no `wids` claim at all: the roles are unknown, Graph decides. */
  readonly known: boolean;
  /** 'if-allowed': only where "Users can register applications" is on (Privileged Role Administrator alone). */
  readonly canCreateApps: 'yes' | 'if-allowed' | 'no';
  readonly canGrantGraphRoles: boolean;
  /** Exchange and SharePoint app roles (Application / Cloud Application Administrators may). */
  readonly canGrantOtherRoles: boolean;
  /** One or two sentences: what this account can and cannot do, naming the roles. */
  readonly summary: string;
}

export interface AdminSession {
  /** The signed-in admin's UPN (preferred_username). */
  readonly userPrincipalName: string;
  /** Directory (tenant) GUID. */
  readonly tenantId: string;
  /** The tenant's national cloud (detected from its OpenID configuration). */
  readonly cloud: Cloud;
  /** Display only; the token itself never leaves src/auth and is never stored. */
  readonly displayName?: string;
  readonly roles: AdminRoles;
}

/** A tenant as Entra names it: its directory GUID and its national cloud. */
export interface TenantInfo {
  readonly tenantId: string;
  readonly cloud: Cloud;
}

export interface Permission {
  readonly resource: 'Microsoft Graph' | 'Office 365 Exchange Online' | 'Office 365 SharePoint Online';
  readonly resourceAppId: string;
  readonly name: string; // e.g. Mail.ReadWrite
  readonly id: string; // app role GUID
  readonly why: string;
  /** Broader roles that include this one (a token holding one of them needs nothing more). */
  readonly includedIn?: readonly string[];
  /** Legacy EWS: granted only on explicit request, with its end date. */
  readonly legacy?: boolean;
}

export type RegistrationStep =
  | 'certificate'
  | 'resolve-permissions'
  | 'application'
  | 'service-principal'
  | 'grant'
  | 'wait-for-entra';

export interface RegistrationProgress {
  readonly step: RegistrationStep;
  readonly detail: string; // e.g. "Granting full_access_as_app (3 of 6)"
  readonly done: boolean;
}

export interface RegisteredApp {
  readonly tenantId: string; // directory GUID
  readonly cloud: Cloud;
  readonly clientId: string;
  readonly applicationObjectId: string;
  readonly servicePrincipalId: string;
  /** The alternate key that finds this registration again (backup-panel-<host>). */
  readonly uniqueName: string;
  readonly displayName: string;
  readonly certificate: CertificateMaterial;
  readonly grantedRoles: readonly string[];
  /** false: the tenant already held this registration (found by uniqueName) and it was reused. */
  readonly created: boolean;
  readonly legacyEws: boolean;
}

export interface RegisterOptions extends CallOptions {
  readonly service: Service;
  /** Other services the same registration serves (the tenant's other connections): their roles are kept or added. */
  readonly alsoServes?: readonly Service[];
  readonly displayName: string;
  readonly onProgress: (p: RegistrationProgress) => void;
  /** SharePoint: https://<tenant>.sharepoint.com, to check the SharePoint token (else found through Graph). */
  readonly siteUrl?: string;
  /** Certificates (PEM) other connections use with this registration: they stay registered. */
  readonly keepCertificates?: readonly string[];
  /** The generated certificate's lifetime in days (default 365). */
  readonly certificateLifetimeDays?: number;
  /** Grant legacy EWS (full_access_as_app) too: only at the admin's explicit request. */
  readonly legacyEws?: boolean;
  /** Keep the admin's sign-in for later calls (pruneCertificates, removeApp); default: forget it. */
  readonly keepSignedIn?: boolean;
}

export interface AuthApi {
  /** The application permissions the automatic registration grants for a service (least privilege, Graph first). */
  permissionsFor(service: Service, options?: { readonly legacyEws?: boolean }): readonly Permission[];
  /** A tenant's directory GUID and national cloud, from its OpenID configuration (no sign-in). */
  resolveTenant(tenant: string, options?: CallOptions): Promise<TenantInfo>;
  /** Device-code sign-in of a Microsoft 365 admin. Resolves once approved; rejects with M365Error. */
  signInAdmin(options: CallOptions & { readonly tenant?: string; readonly onPrompt: (prompt: DeviceCodePrompt) => void }): Promise<AdminSession>;
  /**
   * Creates or reuses the tenant's app registration (found by its uniqueName; never a second one),
   * adds a fresh certificate and whatever roles are missing, and waits until Entra issues tokens
   * with them. Checks the admin's roles before any write.
   */
  registerApp(session: AdminSession, options: RegisterOptions): Promise<RegisteredApp>;
  /** Leaves only these certificates (PEM) on the registration (after a rotation was saved). Needs keepSignedIn. */
  pruneCertificates(session: AdminSession, options: CallOptions & { readonly clientId: string; readonly keep: readonly string[] }): Promise<void>;
  /** Deletes an app registration (and with it its service principal). Needs an admin sign-in. */
  removeApp(session: AdminSession, options: CallOptions & { readonly clientId: string }): Promise<'removed' | 'not-found'>;
  /** Forgets the admin's token (it is never stored). */
  signOutAdmin(session: AdminSession): void;
  /** Reads a PEM (certificate + key) or PFX file's bytes; checks key match, size ≥ 2048 and dates. */
  loadCertificate(bytes: Uint8Array, password?: Secret, options?: CallOptions): Promise<CertificateMaterial>;
  /** Runs the verification checks for a connection. */
  verify(target: VerifyTarget, options?: CallOptions & { readonly onProgress?: (p: Progress) => void }): Promise<CheckResult[]>;
  /** The backup engine's way to a connection's data: the transport and app-only tokens (data-access.ts); optional so that test doubles of the checks need not offer it. */
  dataAccess?(target: VerifyTarget): Promise<DataAccess>;
}
