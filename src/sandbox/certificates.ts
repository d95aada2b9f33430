/**
 * X.509 handling. Node can read certificates (crypto.X509Certificate) but cannot create them, so the
 * test and demo certificates are built with node-forge around a key made by Node's own generator
 * (forge's pure-JS RSA key generation takes seconds).
 */
import { createHash, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export interface ParsedCertificate {
  readonly der: Buffer;
  /** SHA-1 of the DER, upper-case hex: Graph's `customKeyIdentifier`, the `x5t` header. */
  readonly thumbprintSha1: string;
  /** SHA-256 of the DER, lower-case hex: MSAL's `thumbprintSha256`, the `x5t#S256` header. */
  readonly thumbprintSha256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subject: string;
  readonly publicKey: KeyObject;
}

/** Accepts base64 DER (Graph's keyCredential.key) or PEM text; undefined when it is no certificate. */
export function parseCertificate(input: string | Buffer): ParsedCertificate | undefined {
  try {
    let data: Buffer;
    if (Buffer.isBuffer(input)) {
      data = input;
    } else if (input.includes('-----BEGIN CERTIFICATE-----')) {
      data = Buffer.from(input);
    } else {
      const compact = input.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
      data = Buffer.from(compact, 'base64');
      // Some tools base64-encode the PEM file instead of the DER bytes.
      if (data.subarray(0, 11).toString('latin1') === '-----BEGIN ') data = Buffer.from(data.toString('latin1'));
    }
    const cert = new X509Certificate(data);
    const der = cert.raw;
    return {
      der,
      thumbprintSha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
      thumbprintSha256: createHash('sha256').update(der).digest('hex'),
      notBefore: new Date(cert.validFrom),
      notAfter: new Date(cert.validTo),
      subject: cert.subject,
      publicKey: cert.publicKey,
    };
  } catch {
    return undefined;
  }
}

export interface TestCertificate {
  readonly certificatePem: string;
  /** PKCS#8 PEM ("BEGIN PRIVATE KEY"), the form msal-node's clientCertificate.privateKey expects. */
  readonly privateKeyPem: string;
  /** base64 DER, the form Graph's keyCredential.key expects. */
  readonly derBase64: string;
  readonly thumbprintSha1: string;
  readonly thumbprintSha256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** A self-signed RSA certificate signed with SHA-256, like the ones the panel generates. */
export function createTestCertificate(
  options: { commonName?: string; notBefore?: Date; validDays?: number; keyBits?: number } = {},
): TestCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: options.keyBits ?? 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privatePkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const privatePkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  // A positive serial: a leading 0x00..0x7f byte keeps DER from reading it as negative.
  cert.serialNumber = '01' + forge.util.bytesToHex(forge.random.getBytesSync(15));
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + (options.validDays ?? 365) * 86_400_000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const attrs = [{ name: 'commonName', value: options.commonName ?? 'backup-panel-sandbox' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privatePkcs1), forge.md.sha256.create());

  const certificatePem = forge.pki.certificateToPem(cert);
  const parsed = parseCertificate(certificatePem);
  if (!parsed) throw new Error('node-forge produced a certificate Node cannot read');
  return {
    certificatePem,
    privateKeyPem: privatePkcs8,
    derBase64: parsed.der.toString('base64'),
    thumbprintSha1: parsed.thumbprintSha1,
    thumbprintSha256: parsed.thumbprintSha256,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  };
}
