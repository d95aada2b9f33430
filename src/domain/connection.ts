import * as z from 'zod';
import { Guid, IsoInstant, NonEmpty, TenantId } from './primitives.js';
import { SealedSecret } from './sealed.js';

export const SERVICES = ['exchange', 'sharepoint'] as const;
export type Service = (typeof SERVICES)[number];
export const LOCATIONS = ['online', 'onpremises'] as const;
export type Location = (typeof LOCATIONS)[number];

/**
 * The Microsoft 365 national cloud a tenant lives in (contracts §6): `global` (incl. GCC Moderate),
 * `usgov` (GCC High), `usgovdod` (DoD), `china` (21Vianet). Each has its own sign-in, Graph,
 * Exchange and SharePoint hosts; app registrations exist per cloud.
 */
export const CLOUDS = ['global', 'usgov', 'usgovdod', 'china'] as const;
export type Cloud = (typeof CLOUDS)[number];
export const Cloud = z.enum(CLOUDS);

/** User name + password (Basic Authentication). */
export const BasicCredential = z.strictObject({
  kind: z.literal('basic'),
  userName: NonEmpty,
  password: SealedSecret,
});
export type BasicCredential = z.infer<typeof BasicCredential>;

export const CertificateInfo = z.strictObject({
  /** PEM of the public certificate (not secret). */
  pem: z.string().startsWith('-----BEGIN CERTIFICATE-----'),
  /** Hex SHA-256 of the DER certificate, as Entra expects in `x5t#S256`. */
  thumbprintSha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
  subject: z.string(),
  notBefore: IsoInstant,
  notAfter: IsoInstant,
});
export type CertificateInfo = z.infer<typeof CertificateInfo>;

const AppRegistration = {
  tenantId: TenantId,
  clientId: Guid,
  /**
   * How the app registration came to be. The automatic path records the Graph object ids and the
   * app's uniqueName (`backup-panel-<host>`), the key by which a later run finds and reuses the same
   * registration (one per tenant, shared by every connection of the tenant).
   */
  registration: z
    .strictObject({
      method: z.enum(['automatic', 'manual']),
      applicationObjectId: z.string().optional(),
      servicePrincipalId: z.string().optional(),
      uniqueName: z.string().optional(),
      /** The directory (tenant) GUID, when the tenant was given as a domain. */
      directoryId: Guid.optional(),
      /** Legacy EWS (full_access_as_app) was granted at the admin's explicit request. */
      legacyEws: z.boolean().optional(),
      registeredBy: z.string().optional(),
      registeredAt: IsoInstant.optional(),
    })
    .optional(),
};

/** Application (client credentials) with a certificate: the recommended Modern Authentication. */
export const AppCertificateCredential = z.strictObject({
  kind: z.literal('app-certificate'),
  ...AppRegistration,
  certificate: CertificateInfo,
  privateKey: SealedSecret,
});
export type AppCertificateCredential = z.infer<typeof AppCertificateCredential>;

/** Application with a client secret; the admin may give its expiry (Entra does not tell the app). */
export const AppSecretCredential = z.strictObject({
  kind: z.literal('app-secret'),
  ...AppRegistration,
  clientSecret: SealedSecret,
  expiresAt: IsoInstant.optional(),
});
export type AppSecretCredential = z.infer<typeof AppSecretCredential>;

export const OnlineCredential = z.discriminatedUnion('kind', [
  BasicCredential,
  AppCertificateCredential,
  AppSecretCredential,
]);
export type OnlineCredential = z.infer<typeof OnlineCredential>;
export type AppCredential = AppCertificateCredential | AppSecretCredential;

const Common = {
  id: NonEmpty,
  /** "Connection name": assigned from the admin's UPN or a domain name unless given; the admin may rename it (domain/connection-names.ts). */
  displayName: NonEmpty,
  created: IsoInstant,
  modified: IsoInstant.optional(),
  /** Set when the store migration found this Microsoft 365 connection on Basic Authentication. */
  obsoleteSince: IsoInstant.optional(),
};

// Records are loose so that fields written by the previous release (or a newer one) survive.
export const ExchangeOnlineConnection = z.looseObject({
  ...Common,
  service: z.literal('exchange'),
  location: z.literal('online'),
  /** Mailbox of a licensed user, used to verify access (Application details step). */
  mailbox: z.string().optional(),
  /** Absent = global (every connection before national clouds). */
  cloud: Cloud.optional(),
  credential: OnlineCredential,
});

export const ExchangeOnPremisesConnection = z.looseObject({
  ...Common,
  service: z.literal('exchange'),
  location: z.literal('onpremises'),
  /** Host name or IP of the Exchange server; null means Autodiscover. */
  server: z.string().min(1).nullable(),
  /** E-mail address used for Autodiscover when `server` is null. */
  autodiscoverEmail: z.string().optional(),
  credential: BasicCredential,
});

export const SharePointOnlineConnection = z.looseObject({
  ...Common,
  service: z.literal('sharepoint'),
  location: z.literal('online'),
  url: z.url(),
  adminUrl: z.url().optional(),
  /** Absent = global (every connection before national clouds). */
  cloud: Cloud.optional(),
  credential: OnlineCredential,
  /** User name + password kept for the few operations that needed legacy sign-in. */
  legacyAccount: BasicCredential.optional(),
});

export const SharePointOnPremisesConnection = z.looseObject({
  ...Common,
  service: z.literal('sharepoint'),
  location: z.literal('onpremises'),
  url: z.url(),
  credential: BasicCredential,
});

export const Connection = z.discriminatedUnion('service', [
  z.discriminatedUnion('location', [ExchangeOnlineConnection, ExchangeOnPremisesConnection]),
  z.discriminatedUnion('location', [SharePointOnlineConnection, SharePointOnPremisesConnection]),
]);
export type Connection = z.infer<typeof Connection>;
export type ExchangeOnlineConnection = z.infer<typeof ExchangeOnlineConnection>;
export type ExchangeOnPremisesConnection = z.infer<typeof ExchangeOnPremisesConnection>;
export type SharePointOnlineConnection = z.infer<typeof SharePointOnlineConnection>;
export type SharePointOnPremisesConnection = z.infer<typeof SharePointOnPremisesConnection>;
export type OnlineConnection = ExchangeOnlineConnection | SharePointOnlineConnection;
export type OnPremisesConnection = ExchangeOnPremisesConnection | SharePointOnPremisesConnection;
