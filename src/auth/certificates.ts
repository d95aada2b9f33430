import { createHash, createPrivateKey, generateKeyPair, randomBytes, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { Secret } from '../domain/secret.js';
import type { CertificateMaterial } from './api.js';
import { M365Error } from './api.js';
import { loadForge } from './lazy.js';

/**
 * Certificates for app-only sign-in: generate a self-signed one (automatic registration), load a PEM
 * (certificate + private key in one file; PKCS#8, PKCS#1 or encrypted) or a PFX/PKCS#12 file,
 * compute the SHA-256 thumbprint, and check what Entra and MSAL need: the key matches, RSA ≥ 2048
 * bits, valid today. Passwords and keys never appear in a message.
 */

export const MIN_KEY_BITS = 2048;
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

const generateKeyPairAsync = promisify(generateKeyPair);

export interface GenerateOptions {
  /** Default: now. */
  readonly now?: Date;
  /** Default: 2048. Tests use 1024 to make a refused certificate. */
  readonly keyBits?: number;
  /** Default: now − 10 minutes (tolerates clock skew). */
  readonly notBefore?: Date;
  /** Default: notBefore + lifetimeDays. */
  readonly notAfter?: Date;
  /** Default 365: tenants with key-lifetime policies often refuse longer-lived certificates. */
  readonly lifetimeDays?: number;
}

/** `CN=x` for a bare name; a DN given as `CN=…, O=…` is kept. */
function subjectAttributes(subject: string): { shortName: string; value: string }[] {
  if (!subject.includes('=')) return [{ shortName: 'CN', value: subject }];
  return subject.split(/,(?=\s*[A-Za-z]+=)/).map((part) => {
    const [name, ...rest] = part.trim().split('=');
    return { shortName: (name ?? 'CN').trim(), value: rest.join('=').trim() };
  });
}

/** A new RSA key (node:crypto) and a self-signed X.509 certificate (SHA-256, node-forge). */
export async function generateCertificate(subject: string, options: GenerateOptions = {}): Promise<CertificateMaterial> {
  const forge = await loadForge();
  const keyBits = options.keyBits ?? MIN_KEY_BITS;
  const now = options.now ?? new Date();
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: keyBits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A positive serial number (first bit cleared), 16 random bytes.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const notBefore = options.notBefore ?? new Date(now.getTime() - 10 * 60_000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + (options.lifetimeDays ?? 365) * DAY_MS);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const attrs = subjectAttributes(subject);
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  return describe(new X509Certificate(certificatePem), createPrivateKey(privateKey), now, { allowInvalidDates: true, allowSmallKey: true });
}

/** Lowercase hex SHA-256 of the DER certificate (Entra's `x5t#S256`). */
export function thumbprintSha256(certificatePem: string): string {
  return createHash('sha256').update(new X509Certificate(certificatePem).raw).digest('hex');
}

/** Base64 of the DER certificate: what Graph's keyCredentials[].key expects. */
export function certificateDerBase64(certificatePem: string): string {
  return new X509Certificate(certificatePem).raw.toString('base64');
}

interface DescribeOptions {
  readonly allowInvalidDates?: boolean;
  readonly allowSmallKey?: boolean;
}

function isoOf(text: string): string {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

function describe(x509: X509Certificate, key: KeyObject, now: Date, options: DescribeOptions = {}): CertificateMaterial {
  const thumbprint = createHash('sha256').update(x509.raw).digest('hex');
  const subject = x509.subject.split('\n').join(', ');
  const label = `certificate '${subject}' (SHA-256 thumbprint ${thumbprint})`;
  if (key.type !== 'private') throw new M365Error('BadCredential', 'The key in the file is not a private key.');
  if (key.asymmetricKeyType !== 'rsa') {
    throw new M365Error('CertNotRegistered', `The ${label} has a ${key.asymmetricKeyType ?? 'non-RSA'} key; Microsoft Entra app sign-in here needs an RSA key of at least ${MIN_KEY_BITS} bits.`);
  }
  if (!x509.checkPrivateKey(key)) {
    throw new M365Error('BadCredential', `The private key does not belong to the ${label} (key mismatch).`, undefined, 'Use the key that was created together with this certificate.');
  }
  const keyBits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (keyBits < MIN_KEY_BITS && !options.allowSmallKey) {
    throw new M365Error('CertNotRegistered', `The certificate used must have a key size of at least ${MIN_KEY_BITS} bits. This one has ${keyBits}.`, undefined, 'Create a new certificate with an RSA key of 2048 bits or more.');
  }
  const notBefore = isoOf(x509.validFrom);
  const notAfter = isoOf(x509.validTo);
  if (!options.allowInvalidDates) {
    if (Date.parse(notAfter) <= now.getTime()) {
      throw new M365Error('BadCredential', `The ${label} expired on ${notAfter.slice(0, 10)}.`, undefined, 'Use a valid certificate (or let automatic registration create a new one).');
    }
    if (Date.parse(notBefore) > now.getTime()) {
      throw new M365Error('BadCredential', `The ${label} is not valid before ${notBefore.replace('T', ' ').slice(0, 16)} UTC.`, undefined, 'Check this machine’s clock, or use a certificate that is valid today.');
    }
  }
  const expiresSoon = Date.parse(notAfter) - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS;
  return {
    certificatePem: x509.toString(),
    privateKeyPem: new Secret(key.export({ type: 'pkcs8', format: 'pem' }).toString()),
    thumbprintSha256: thumbprint,
    subject,
    notBefore,
    notAfter,
    keyBits,
    ...(expiresSoon ? { expiresSoon: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Loading

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

interface PemBlock {
  readonly type: string;
  readonly text: string;
}

function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ type: m[1] ?? '', text: m[0] }));
}

function notACertificateFile(): M365Error {
  return new M365Error('Configuration', 'The file is not a PEM or PFX certificate file.', undefined, 'Give a PEM file with the certificate and its private key, or a PFX (PKCS#12) file with its password.');
}

async function readPrivateKey(block: PemBlock, password: string | undefined): Promise<KeyObject> {
  const encrypted = block.type === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(block.text);
  if (encrypted && (password === undefined || password === '')) {
    throw new M365Error('BadCredential', 'The private key in the PEM file is encrypted; give its password.');
  }
  try {
    return createPrivateKey(encrypted ? { key: block.text, passphrase: password ?? '' } : { key: block.text });
  } catch (error) {
    if (!encrypted) throw unreadableKey(block);
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_OSSL_EVP_UNSUPPORTED') {
      throw new M365Error('Configuration', 'The private key in the PEM file is encrypted with an algorithm this system does not support.', undefined, 'Export it again with AES: openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.pem -out new.pem');
    }
    if (code === 'ERR_OSSL_BAD_DECRYPT' || code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED' || code === 'ERR_MISSING_PASSPHRASE' || code === 'ERR_OSSL_EVP_BAD_DECRYPT') {
      throw wrongPemPassword();
    }
    // A wrong password passes the CBC padding check about once in 256 tries; OpenSSL then fails to
    // decode the garbage and reports "unsupported" instead of "bad decrypt". If the encrypted
    // container itself is intact, the password is what is wrong.
    if (await encryptedContainerIntact(block)) throw wrongPemPassword();
    throw unreadableKey(block);
  }
}

function wrongPemPassword(): M365Error {
  return new M365Error('BadCredential', 'Wrong password for the private key in the PEM file.');
}

function unreadableKey(block: PemBlock): M365Error {
  return new M365Error('Configuration', `The private key in the PEM file (${block.type}) could not be read.`);
}

/** PKCS#8: a well-formed EncryptedPrivateKeyInfo. Legacy "Proc-Type: 4,ENCRYPTED": whole cipher blocks. */
async function encryptedContainerIntact(block: PemBlock): Promise<boolean> {
  const body = block.text
    .split(/\r?\n/)
    .filter((line) => line !== '' && !line.startsWith('-----') && !line.includes(':'))
    .join('');
  const der = Buffer.from(body, 'base64');
  if (block.type !== 'ENCRYPTED PRIVATE KEY') return der.length > 0 && der.length % 8 === 0;
  const forge = await loadForge();
  try {
    // Strict DER; forge also refuses trailing bytes by default.
    const info = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), true);
    const [algorithm, data] = Array.isArray(info.value) ? info.value : [];
    return (
      info.type === forge.asn1.Type.SEQUENCE &&
      algorithm?.type === forge.asn1.Type.SEQUENCE &&
      data?.type === forge.asn1.Type.OCTETSTRING &&
      typeof data.value === 'string' &&
      data.value.length > 0 &&
      data.value.length % 8 === 0
    );
  } catch {
    return false;
  }
}

async function loadPem(text: string, password: string | undefined, now: Date): Promise<CertificateMaterial> {
  const blocks = pemBlocks(text);
  const certificates = blocks.filter((b) => b.type === 'CERTIFICATE' || b.type === 'TRUSTED CERTIFICATE');
  const keys = blocks.filter((b) => b.type.endsWith('PRIVATE KEY'));
  if (certificates.length === 0 && keys.length === 0) throw notACertificateFile();
  if (certificates.length === 0) throw new M365Error('Configuration', 'The PEM file has a private key but no certificate; put the certificate (-----BEGIN CERTIFICATE-----) and its key in one file.');
  if (keys.length === 0) throw new M365Error('Configuration', 'The PEM file has a certificate but no private key; put the certificate and its private key in one file, or use a PFX file.');
  if (keys.length > 1) throw new M365Error('Configuration', 'The PEM file holds more than one private key; keep only the key of the certificate.');
  const key = await readPrivateKey(keys[0] as PemBlock, password);
  const parsed = certificates.map((b) => {
    try {
      return new X509Certificate(b.text);
    } catch {
      throw new M365Error('Configuration', 'A certificate in the PEM file could not be read.');
    }
  });
  // With a chain in the file, the leaf is the certificate the key belongs to.
  const leaf = parsed.find((c) => key.asymmetricKeyType === 'rsa' && safeCheck(c, key)) ?? (parsed[0] as X509Certificate);
  return describe(leaf, key, now);
}

function safeCheck(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

async function loadPfx(der: Buffer, password: string | undefined, now: Date): Promise<CertificateMaterial> {
  const forge = await loadForge();
  let asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), { strict: false } as never);
  } catch {
    throw notACertificateFile();
  }
  let p12;
  const attempts = password === undefined || password === '' ? ['', undefined] : [password];
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, attempt as string);
      break;
    } catch (error) {
      lastError = error;
    }
  }
  if (!p12) {
    const message = lastError instanceof Error ? lastError.message : '';
    if (/^Cannot read PKCS#12 PFX/.test(message)) throw notACertificateFile();
    if (/password|MAC|decrypt|Invalid/i.test(message)) {
      throw new M365Error(
        'BadCredential',
        password === undefined || password === '' ? 'The PFX file is protected by a password; give its password.' : 'Wrong password for the PFX file.',
      );
    }
    if (/PKCS#12|PFX|ContentInfo|Unsupported|OID/i.test(message)) {
      throw new M365Error('Configuration', 'The PFX file could not be read (unsupported encryption or key type); export it again, or give a PEM file.');
    }
    throw notACertificateFile();
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  if (certBags.length === 0) throw new M365Error('Configuration', 'The PFX file holds no certificate.');
  if (keyBags.length === 0) throw new M365Error('Configuration', 'The PFX file holds no private key; export it again with the private key.');
  const bag = keyBags[0];
  let key: KeyObject;
  if (bag?.key) {
    key = createPrivateKey(forge.pki.privateKeyToPem(bag.key));
  } else if (bag?.asn1) {
    key = createPrivateKey({ key: Buffer.from(forge.asn1.toDer(bag.asn1).getBytes(), 'binary'), format: 'der', type: 'pkcs8' });
  } else {
    throw new M365Error('Configuration', 'The private key in the PFX file could not be read.');
  }
  const certs = certBags.flatMap((b) => (b.cert ? [new X509Certificate(forge.pki.certificateToPem(b.cert))] : []));
  if (certs.length === 0) throw new M365Error('Configuration', 'The certificate in the PFX file could not be read (is it RSA?).');
  const leaf = certs.find((c) => safeCheck(c, key)) ?? (certs[0] as X509Certificate);
  return describe(leaf, key, now);
}

/**
 * Reads a PEM (certificate + private key) or PFX/PKCS#12 file's bytes and checks it. Also accepts a
 * PFX pasted as base64 text. Rejects with an M365Error whose message never contains the password.
 */
export async function loadCertificate(bytes: Uint8Array, password: string | undefined, now: Date): Promise<CertificateMaterial> {
  const buffer = Buffer.from(bytes);
  const text = buffer.toString('utf8');
  if (text.includes('-----BEGIN ')) return loadPem(text, password, now);
  if (buffer[0] === 0x30) return loadPfx(buffer, password, now);
  const compact = text.replace(/\s+/g, '');
  if (compact.length > 64 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    const decoded = Buffer.from(compact, 'base64');
    if (decoded[0] === 0x30) return loadPfx(decoded, password, now);
  }
  throw notACertificateFile();
}
