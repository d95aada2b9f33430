/**
 * Compact JWTs: the sandbox signs the access tokens it issues with its own RSA key (so Graph, EWS and
 * SharePoint here can check them like the real services do) and verifies client assertions signed
 * with an app's certificate key.
 */
import { constants, createHash, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export type JsonObject = Record<string, unknown>;

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export interface DecodedJwt {
  readonly header: JsonObject;
  readonly payload: JsonObject;
  readonly signingInput: string;
  readonly signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0] || !parts[1]) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2] ?? '', 'base64url') };
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RS256 (PKCS#1 v1.5) or PS256 (PSS, salt = digest length as RFC 7518 §3.5 and jsonwebtoken use). */
export function verifySignature(alg: 'RS256' | 'PS256', jwt: DecodedJwt, key: KeyObject): boolean {
  try {
    const input = Buffer.from(jwt.signingInput);
    if (alg === 'RS256') return verify('sha256', input, key, jwt.signature);
    return verify(
      'sha256',
      input,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
      jwt.signature,
    );
  } catch {
    return false;
  }
}

/** The sandbox's token-signing key (the stand-in for Entra's published signing keys). */
export class SigningKey {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    const spki = this.publicKey.export({ type: 'spki', format: 'der' });
    this.kid = base64url(createHash('sha1').update(spki).digest());
  }

  sign(payload: JsonObject): string {
    const header = { typ: 'JWT', alg: 'RS256', x5t: this.kid, kid: this.kid };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    return `${input}.${base64url(sign('sha256', Buffer.from(input), this.privateKey))}`;
  }

  /** Signature and header check only; claims are the caller's business. */
  verify(token: string): JsonObject | undefined {
    const jwt = decodeJwt(token);
    if (!jwt || jwt.header.alg !== 'RS256' || jwt.header.kid !== this.kid) return undefined;
    return verifySignature('RS256', jwt, this.publicKey) ? jwt.payload : undefined;
  }

  jwk(): JsonObject {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { kty: 'RSA', use: 'sig', kid: this.kid, x5t: this.kid, n: jwk.n, e: jwk.e };
  }
}

/** An unsigned token (alg "none"): what the id_token may be, since MSAL only decodes it. */
export function unsignedJwt(payload: JsonObject): string {
  return `${base64url(JSON.stringify({ typ: 'JWT', alg: 'none' }))}.${base64url(JSON.stringify(payload))}.`;
}
