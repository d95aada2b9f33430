import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateMaterial } from '../../src/auth/api.js';
import { M365Error } from '../../src/auth/api.js';
import { createAuth, generateCertificate } from '../../src/auth/index.js';
import { Secret } from '../../src/domain/secret.js';
import { openssl, tempDir } from './helpers.js';

const NOW = new Date('2026-11-24T12:00:00Z');
const DAY = 86_400_000;
const auth = createAuth({ endpoint: 'http://127.0.0.1:9', now: () => NOW });
const tmp = tempDir();
let good: CertificateMaterial;
let other: CertificateMaterial;

function write(name: string, content: string | Buffer): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, content);
  return path;
}

function bytes(name: string): Uint8Array {
  return readFileSync(join(tmp.dir, name));
}

async function refused(file: Uint8Array | string, password?: string): Promise<M365Error> {
  const data = typeof file === 'string' ? Buffer.from(file) : file;
  try {
    await auth.loadCertificate(data, password === undefined ? undefined : new Secret(password));
  } catch (error) {
    expect(error).toBeInstanceOf(M365Error);
    return error as M365Error;
  }
  throw new Error('expected the certificate to be refused');
}

beforeAll(async () => {
  good = await generateCertificate('CN=backup-panel-test', { now: NOW });
  other = await generateCertificate('CN=someone-else', { now: NOW });
  write('cert.pem', good.certificatePem);
  write('key.pem', good.privateKeyPem.reveal());
});
afterAll(() => tmp.cleanup());

describe('generateCertificate', () => {
  it('makes an RSA 2048 self-signed SHA-256 certificate valid for 1 year (the default lifetime) with the given subject', () => {
    const text = openssl(['x509', '-in', 'cert.pem', '-noout', '-text'], tmp.dir);
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(text).toContain('Public-Key: (2048 bit)');
    expect(good.subject).toBe('CN=backup-panel-test');
    expect(good.keyBits).toBe(2048);
    expect((Date.parse(good.notAfter) - Date.parse(good.notBefore)) / DAY).toBe(365);
    expect(good.privateKeyPem.reveal()).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(String(good.privateKeyPem)).toBe('[REDACTED]');
  });

  it('computes the SHA-256 thumbprint of the DER certificate (lowercase hex), as openssl does', () => {
    const fingerprint = openssl(['x509', '-in', 'cert.pem', '-noout', '-fingerprint', '-sha256'], tmp.dir);
    const hex = fingerprint.split('=')[1]?.trim().replace(/:/g, '').toLowerCase();
    expect(good.thumbprintSha256).toBe(hex);
    expect(good.thumbprintSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('loadCertificate: PEM', () => {
  it('certificate + PKCS#8 key in one file', async () => {
    const material = await auth.loadCertificate(Buffer.from(good.certificatePem + good.privateKeyPem.reveal()));
    expect(material.thumbprintSha256).toBe(good.thumbprintSha256);
    expect(material.privateKeyPem.reveal()).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(material.notAfter).toBe(new Date(new X509Certificate(good.certificatePem).validTo).toISOString());
    expect(material.expiresSoon).toBeUndefined();
  });

  it('PKCS#1 (BEGIN RSA PRIVATE KEY) key first, then the certificate', async () => {
    const pkcs1 = openssl(['pkey', '-in', 'key.pem', '-traditional'], tmp.dir);
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    const material = await auth.loadCertificate(Buffer.from(pkcs1 + good.certificatePem));
    expect(material.thumbprintSha256).toBe(good.thumbprintSha256);
    expect(material.privateKeyPem.reveal()).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('encrypted PKCS#8 with its password; wrong or missing password refused without echoing it', async () => {
    const encrypted = openssl(['pkcs8', '-topk8', '-in', 'key.pem', '-v2', 'aes-256-cbc', '-passout', 'pass:Pem-Pa55word'], tmp.dir);
    const file = encrypted + good.certificatePem;
    const material = await auth.loadCertificate(Buffer.from(file), new Secret('Pem-Pa55word'));
    expect(material.thumbprintSha256).toBe(good.thumbprintSha256);
    const wrong = await refused(file, 'not-the-Pa55word');
    expect(wrong.message).toBe('Wrong password for the private key in the PEM file.');
    expect(wrong.message).not.toContain('not-the-Pa55word');
    expect((await refused(file)).message).toContain('encrypted; give its password');
  });

  it.each([
    ['PKCS#8 (ENCRYPTED PRIVATE KEY)', ['pkcs8', '-topk8', '-in', 'key.pem', '-v2', 'aes-256-cbc', '-passout', 'pass:Pem-Pa55word']],
    ['traditional (Proc-Type: 4,ENCRYPTED)', ['pkey', '-in', 'key.pem', '-traditional', '-aes256', '-passout', 'pass:Pem-Pa55word']],
  ])('%s: a wrong password that happens to pass the CBC padding check is still named as the wrong password', async (_form, args) => {
    // About one wrong password in 256 decrypts to garbage with valid padding; OpenSSL then says
    // "unsupported" rather than "bad decrypt". Find some such passwords for this key, then load with them.
    const encrypted = openssl(args, tmp.dir);
    await expect(auth.loadCertificate(Buffer.from(encrypted + good.certificatePem), new Secret('Pem-Pa55word'))).resolves.toMatchObject({ thumbprintSha256: good.thumbprintSha256 });
    const lucky: string[] = [];
    for (let i = 0; lucky.length < 3 && i < 20_000; i++) {
      try {
        createPrivateKey({ key: encrypted, passphrase: `guess-${i}` });
      } catch (error) {
        if ((error as { code?: string }).code !== 'ERR_OSSL_BAD_DECRYPT') lucky.push(`guess-${i}`);
      }
    }
    expect(lucky).toHaveLength(3);
    for (const password of lucky) {
      const error = await refused(encrypted + good.certificatePem, password);
      expect(error.category).toBe('BadCredential');
      expect(error.message).toBe('Wrong password for the private key in the PEM file.');
    }
  });

  it('a damaged encrypted key is named as unreadable, not as a wrong password', async () => {
    const encrypted = openssl(['pkcs8', '-topk8', '-in', 'key.pem', '-v2', 'aes-256-cbc', '-passout', 'pass:Pem-Pa55word'], tmp.dir);
    const lines = encrypted.trim().split('\n');
    const truncated = [...lines.slice(0, 8), lines[lines.length - 1]].join('\n') + '\n';
    const error = await refused(truncated + good.certificatePem, 'Pem-Pa55word');
    expect(error.message).toBe('The private key in the PEM file (ENCRYPTED PRIVATE KEY) could not be read.');
  });

  it('a key encrypted with an algorithm OpenSSL 3 dropped (RC2) says so and how to re-export', async () => {
    const legacy = openssl(['pkcs8', '-topk8', '-in', 'key.pem', '-v1', 'PBE-SHA1-RC2-40', '-provider', 'legacy', '-provider', 'default', '-passout', 'pass:Pem-Pa55word'], tmp.dir);
    const error = await refused(legacy + good.certificatePem, 'Pem-Pa55word');
    expect(error.message).toContain('encrypted with an algorithm this system does not support');
    expect(error.hint).toContain('openssl pkcs8 -topk8 -v2 aes-256-cbc');
  });

  it('picks the certificate the key belongs to when the file holds a chain', async () => {
    const material = await auth.loadCertificate(Buffer.from(other.certificatePem + good.certificatePem + good.privateKeyPem.reveal()));
    expect(material.thumbprintSha256).toBe(good.thumbprintSha256);
  });

  it('key mismatch is refused', async () => {
    const error = await refused(good.certificatePem + other.privateKeyPem.reveal());
    expect(error.category).toBe('BadCredential');
    expect(error.message).toContain('does not belong to the certificate');
  });

  it('a certificate without its key, or a key without its certificate, is named', async () => {
    expect((await refused(good.certificatePem)).message).toContain('no private key');
    expect((await refused(good.privateKeyPem.reveal())).message).toContain('no certificate');
  });

  it('a 1024-bit key is refused with the exact sentence', async () => {
    const small = await generateCertificate('CN=small', { now: NOW, keyBits: 1024 });
    const error = await refused(small.certificatePem + small.privateKeyPem.reveal());
    expect(error.message).toContain('The certificate used must have a key size of at least 2048 bits.');
    expect(error.message).toContain('1024');
  });

  it('an expired or not-yet-valid certificate is refused; one expiring within 30 days is flagged', async () => {
    const expired = await generateCertificate('CN=old', { notBefore: new Date(NOW.getTime() - 400 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
    const e1 = await refused(expired.certificatePem + expired.privateKeyPem.reveal());
    expect(e1.message).toMatch(/expired on \d{4}-\d{2}-\d{2}/);
    const future = await generateCertificate('CN=future', { notBefore: new Date(NOW.getTime() + 2 * DAY), notAfter: new Date(NOW.getTime() + 400 * DAY) });
    expect((await refused(future.certificatePem + future.privateKeyPem.reveal())).message).toContain('not valid before');
    const soon = await generateCertificate('CN=soon', { notBefore: new Date(NOW.getTime() - 300 * DAY), notAfter: new Date(NOW.getTime() + 10 * DAY) });
    const loaded = await auth.loadCertificate(Buffer.from(soon.certificatePem + soon.privateKeyPem.reveal()));
    expect(loaded.expiresSoon).toBe(true);
    const later = await generateCertificate('CN=later', { notBefore: new Date(NOW.getTime() - 300 * DAY), notAfter: new Date(NOW.getTime() + 60 * DAY) });
    expect((await auth.loadCertificate(Buffer.from(later.certificatePem + later.privateKeyPem.reveal()))).expiresSoon).toBeUndefined();
  });

  it('an EC key is refused (RSA needed)', async () => {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ec.key', '-out', 'ec.crt', '-days', '30', '-subj', '/CN=ec'], tmp.dir);
    const error = await refused(readFileSync(join(tmp.dir, 'ec.crt'), 'utf8') + readFileSync(join(tmp.dir, 'ec.key'), 'utf8'));
    expect(error.message).toContain('RSA');
  });

  it('a file that is neither PEM nor PFX', async () => {
    const error = await refused('hello, this is not a certificate');
    expect(error.message).toBe('The file is not a PEM or PFX certificate file.');
    expect((await refused(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]))).message).toContain('PEM or PFX');
  });
});

describe('loadCertificate: PFX / PKCS#12 (made by openssl)', () => {
  it('modern OpenSSL 3 PFX (AES-256, PBKDF2) with password', async () => {
    openssl(['pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-out', 'modern.pfx', '-passout', 'pass:Pfx-Pa55word'], tmp.dir);
    const material = await auth.loadCertificate(bytes('modern.pfx'), new Secret('Pfx-Pa55word'));
    expect(material.thumbprintSha256).toBe(good.thumbprintSha256);
    expect(material.privateKeyPem.reveal()).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(material.keyBits).toBe(2048);
  });

  it('legacy 3DES/RC2 PFX (-legacy) with password', async () => {
    openssl(['pkcs12', '-export', '-legacy', '-in', 'cert.pem', '-inkey', 'key.pem', '-out', 'legacy.pfx', '-passout', 'pass:Legacy-Pa55'], tmp.dir);
    const material = await auth.loadCertificate(bytes('legacy.pfx'), new Secret('Legacy-Pa55'));
    expect(material.thumbprintSha256).toBe(good.thumbprintSha256);
  });

  it('a PFX without a password', async () => {
    openssl(['pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-out', 'nopass.pfx', '-passout', 'pass:'], tmp.dir);
    expect((await auth.loadCertificate(bytes('nopass.pfx'))).thumbprintSha256).toBe(good.thumbprintSha256);
  });

  it('wrong PFX password: a clear message that never echoes the password', async () => {
    openssl(['pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-out', 'pw.pfx', '-passout', 'pass:Right-Pa55'], tmp.dir);
    const error = await refused(bytes('pw.pfx'), 'Wrong-Pa55-Canary');
    expect(error.category).toBe('BadCredential');
    expect(error.message).toBe('Wrong password for the PFX file.');
    expect(JSON.stringify({ m: error.message, h: error.hint })).not.toContain('Wrong-Pa55-Canary');
    expect((await refused(bytes('pw.pfx'))).message).toContain('protected by a password');
  });

  it('an expired certificate inside a PFX is refused too', async () => {
    const expired = await generateCertificate('CN=old-pfx', { notBefore: new Date(NOW.getTime() - 400 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
    write('old.crt', expired.certificatePem);
    write('old.key', expired.privateKeyPem.reveal());
    openssl(['pkcs12', '-export', '-in', 'old.crt', '-inkey', 'old.key', '-out', 'old.pfx', '-passout', 'pass:x1'], tmp.dir);
    expect((await refused(bytes('old.pfx'), 'x1')).message).toContain('expired on');
  });
});
