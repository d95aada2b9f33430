/**
 * Confidential-client authentication at /token: a client secret, or a JWT client assertion signed with
 * the private key of a certificate registered on the app (private_key_jwt, RFC 7523).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Application, Directory, TenantState } from '../directory.js';
import type { Reply, RequestContext } from '../http.js';
import { decodeJwt, verifySignature } from '../jwt.js';
import { CLOUD_HOSTS } from '../well-known.js';
import { AADSTS } from './errors.js';

/** Tolerated clock skew for `nbf` (an assertion made on a machine whose clock runs a little ahead). */
const NBF_SKEW_SEC = 300;

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** `appidacr` of the token: '1' = secret, '2' = certificate. */
export type ClientAuthResult = { readonly appidacr: '1' | '2' } | Reply;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Audiences Entra accepts for an assertion: the token endpoint (v2 or v1) of this tenant, named by any
 * of its identifiers. Entra does not care which alias MSAL put in the authority.
 */
function audienceMatches(aud: unknown, directory: Directory, tenant: TenantState): boolean {
  const values = Array.isArray(aud) ? aud : [aud];
  return values.some((value) => {
    if (typeof value !== 'string') return false;
    const m = value.match(/^https:\/\/([^/]+)\/([^/]+)\/oauth2\/(?:v2\.0\/)?token\/?$/i);
    // The token endpoint of the tenant's own cloud.
    return m?.[2] !== undefined && CLOUD_HOSTS[tenant.cloud].login.includes(m[1]?.toLowerCase() ?? '') && directory.resolveTenant(m[2]) === tenant;
  });
}

export function authenticateClient(
  ctx: RequestContext,
  directory: Directory,
  tenant: TenantState,
  app: Application,
): ClientAuthResult {
  const form = ctx.form();
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  const assertionType = form.get('client_assertion_type');
  const now = ctx.now.getTime();

  if (secret !== null && assertion === null) {
    const match = app.passwordCredentials.find((p) => sameSecret(p.secretText, secret));
    if (!match || !directory.stsVisible(match)) {
      if (match) directory.replication.note('token-credential-unknown');
      return AADSTS.invalidSecret(ctx, app.appId);
    }
    if (match.endDateTime.getTime() <= now) return AADSTS.expiredSecret(ctx, app.appId);
    return { appidacr: '1' };
  }
  if (assertion === null) return AADSTS.publicClientRequired(ctx);
  if (assertionType !== JWT_BEARER) return AADSTS.unsupportedAssertionType(ctx, assertionType ?? '');

  const jwt = decodeJwt(assertion);
  if (!jwt) return AADSTS.malformedAssertion(ctx);
  const alg = jwt.header.alg;
  if (alg !== 'RS256' && alg !== 'PS256') return AADSTS.unsupportedAlgorithm(ctx, String(alg));
  const { iss, sub, aud, exp, nbf, jti } = jwt.payload;
  if (iss !== app.appId || sub !== app.appId) return AADSTS.assertionSubject(ctx);

  // x5t#S256 (MSAL with thumbprintSha256) or x5t (SHA-1, the deprecated `thumbprint` option).
  const x5tS256 = typeof jwt.header['x5t#S256'] === 'string' ? Buffer.from(jwt.header['x5t#S256'], 'base64url').toString('hex') : undefined;
  const x5t = typeof jwt.header.x5t === 'string' ? Buffer.from(jwt.header.x5t, 'base64url').toString('hex').toUpperCase() : undefined;
  const shownThumbprint = (x5tS256 ?? x5t ?? '').toUpperCase();
  const key = app.keyCredentials.find((k) => (x5tS256 !== undefined ? k.certificate.thumbprintSha256 === x5tS256 : k.certificate.thumbprintSha1 === x5t));
  if (!key || !directory.stsVisible(key)) {
    if (key) directory.replication.note('token-credential-unknown');
    return AADSTS.keyNotFound(ctx, shownThumbprint, app.appId);
  }
  const { notBefore, notAfter, publicKey } = key.certificate;
  if (notAfter.getTime() <= now) return AADSTS.keyExpired(ctx, shownThumbprint, notBefore, notAfter);
  if (!verifySignature(alg, jwt, publicKey)) return AADSTS.badSignature(ctx, shownThumbprint, notBefore, notAfter);

  if (!audienceMatches(aud, directory, tenant)) return AADSTS.assertionAudience(ctx);
  if (typeof exp !== 'number' || typeof jti !== 'string' || !jti) return AADSTS.malformedAssertion(ctx);
  const nowSec = now / 1000;
  const from = typeof nbf === 'number' ? nbf : exp - 600;
  if (exp <= nowSec || from > nowSec + NBF_SKEW_SEC) return AADSTS.assertionTime(ctx, new Date(from * 1000), new Date(exp * 1000));
  return { appidacr: '2' };
}
