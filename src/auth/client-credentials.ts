import { X509Certificate } from 'node:crypto';
import type { Configuration } from '@azure/msal-node';
import type { Cloud } from '../domain/connection.js';
import { tenantProblem } from '../domain/field-rules.js';
import { authorityFor } from '../m365/clouds.js';
import type { AppCertificateMaterial, AppSecretMaterial } from './api.js';
import { M365Error } from './api.js';
import type { Capture, FlowContext } from './errors.js';
import { redactError } from '../m365/errors.js';
import { normaliseMsalError } from './errors.js';
import { loadMsal } from './lazy.js';
import { createMsalNetworkModule } from './msal-network.js';
import type { TokenClaims } from './token-claims.js';
import { decodeTokenClaims } from './token-claims.js';
import type { Transport } from '../m365/transport.js';

/**
 * App-only tokens (client credentials) with a certificate or a secret: a fresh
 * ConfidentialClientApplication per call (no cache shared between connections; `skipCache`), a
 * tenant-specific https authority in the tenant's national cloud, and our network module underneath.
 */

export type AppCredentialMaterial = AppSecretMaterial | AppCertificateMaterial;

export interface AppTokenRequest {
  readonly tenantId: string;
  /** The tenant's national cloud (default global). */
  readonly cloud?: Cloud;
  readonly clientId: string;
  readonly credential: AppCredentialMaterial;
  /** e.g. https://graph.microsoft.com/.default */
  readonly scope: string;
  readonly signal?: AbortSignal;
  /** Entra may not know a new app for a while: map not-found / bad-key to PropagationPending. */
  readonly recentlyRegistered?: boolean;
}

export interface AppToken {
  /** Never leaves src/auth; never logged, never in a message. */
  readonly accessToken: string;
  readonly claims: TokenClaims;
  readonly expiresOn?: Date;
}

const SILENT_LOGGER = { loggerCallback: () => undefined, piiLoggingEnabled: false };

/**
 * The x5c header (the certificate chain) only matters for subject-name-and-issuer authentication,
 * which needs a CA-issued certificate; a self-signed certificate is found by its thumbprint alone,
 * so sending it would only enlarge every assertion and show the certificate to every proxy.
 */
export function needsX5c(certificatePem: string): boolean {
  try {
    const certificate = new X509Certificate(certificatePem);
    // Self-signed: issued by itself and signed with its own key (checkIssued would also demand a
    // CA key usage, which an app certificate does not have).
    return !(certificate.issuer === certificate.subject && certificate.verify(certificate.publicKey));
  } catch {
    return false;
  }
}

export function assertTenant(tenant: string): void {
  const problem = tenantProblem(tenant);
  if (problem) throw new M365Error('Configuration', problem);
}

export function secretsOf(credential: AppCredentialMaterial): string[] {
  return credential.kind === 'secret' ? [credential.clientSecret.reveal()] : [credential.certificate.privateKeyPem.reveal()];
}

export async function acquireAppToken(transport: Transport, request: AppTokenRequest): Promise<AppToken> {
  const ctx: FlowContext = {
    flow: 'client-credentials',
    tenant: request.tenantId,
    clientId: request.clientId,
    resource: request.scope.replace(/\/\.default$/, ''),
    ...(request.recentlyRegistered ? { recentlyRegistered: true } : {}),
  };
  const secrets = secretsOf(request.credential);
  assertTenant(request.tenantId);
  const msal = await loadMsal();
  const capture: Capture = {};
  const credential = request.credential;
  const auth: Configuration['auth'] = {
    clientId: request.clientId,
    authority: authorityFor(request.tenantId, request.cloud),
    ...(credential.kind === 'certificate'
      ? {
          clientCertificate: {
            thumbprintSha256: credential.certificate.thumbprintSha256,
            privateKey: credential.certificate.privateKeyPem.reveal(),
            ...(needsX5c(credential.certificate.certificatePem) ? { x5c: credential.certificate.certificatePem } : {}),
          },
        }
      : { clientSecret: credential.clientSecret.reveal() }),
  };
  try {
    const app = new msal.ConfidentialClientApplication({
      auth,
      system: { networkClient: createMsalNetworkModule(transport, capture, request.signal), loggerOptions: SILENT_LOGGER },
    });
    // The region env var of msal-node would send the request to a regional host: not ours.
    const result = await app.acquireTokenByClientCredential({ scopes: [request.scope], skipCache: true, azureRegion: 'DisableMsalForceRegion' });
    if (!result?.accessToken) throw new M365Error('Unknown', 'Microsoft Entra ID returned no access token.');
    const claims = decodeTokenClaims(result.accessToken) ?? { roles: [] };
    return { accessToken: result.accessToken, claims, ...(result.expiresOn ? { expiresOn: result.expiresOn } : {}) };
  } catch (error) {
    if (request.signal?.aborted) throw new M365Error('Cancelled', 'Cancelled.');
    throw redactError(normaliseMsalError(error, capture, ctx), secrets);
  }
}
