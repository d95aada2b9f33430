import type { Secret, Service } from '../domain/index.js';
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
  /** What was found and, for warn/fail, what to do. One or two sentences, no secrets. */
  readonly message: string;
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
    }
  | {
      readonly kind: 'online-basic';
      readonly service: Service;
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

export interface AdminSession {
  /** The signed-in admin's UPN (preferred_username). */
  readonly userPrincipalName: string;
  readonly tenantId: string;
  /** Display only; the token itself never leaves src/auth and is never stored. */
  readonly displayName?: string;
}

export interface Permission {
  readonly resource: 'Microsoft Graph' | 'Office 365 Exchange Online' | 'Office 365 SharePoint Online';
  readonly resourceAppId: string;
  readonly name: string; // e.g. full_access_as_app
  readonly id: string; // app role GUID
  readonly why: string;
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
  readonly clientId: string;
  readonly applicationObjectId: string;
  readonly servicePrincipalId: string;
  readonly displayName: string;
  readonly certificate: CertificateMaterial;
  readonly grantedRoles: readonly string[];
}

export interface AuthApi {
  /** The application permissions the automatic registration grants for a service. */
  permissionsFor(service: Service): readonly Permission[];
  /** Device-code sign-in of a Microsoft 365 admin. Resolves once approved; rejects with M365Error. */
  signInAdmin(options: CallOptions & { readonly tenant?: string; readonly onPrompt: (prompt: DeviceCodePrompt) => void }): Promise<AdminSession>;
  /** Creates the app registration with a fresh certificate, its service principal and role grants. */
  registerApp(
    session: AdminSession,
    options: CallOptions & {
      readonly service: Service;
      readonly displayName: string;
      readonly onProgress: (p: RegistrationProgress) => void;
      /** SharePoint: https://<tenant>.sharepoint.com, to check the SharePoint token (else found through Graph). */
      readonly siteUrl?: string;
    },
  ): Promise<RegisteredApp>;
  /** Forgets the admin's token (it is never stored). */
  signOutAdmin(session: AdminSession): void;
  /** Reads a PEM (certificate + key) or PFX file's bytes; checks key match, size ≥ 2048 and dates. */
  loadCertificate(bytes: Uint8Array, password?: Secret, options?: CallOptions): Promise<CertificateMaterial>;
  /** Runs the verification checks for a connection. */
  verify(target: VerifyTarget, options?: CallOptions & { readonly onProgress?: (p: Progress) => void }): Promise<CheckResult[]>;
  /** The backup engine's way to a connection's data: the transport and app-only tokens (data-access.ts); optional so that test doubles of the checks need not offer it. */
  dataAccess?(target: VerifyTarget): Promise<DataAccess>;
}
