import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, generateCertificate } from '../../src/auth/index.js';
import { loadCertificateFile, readCertificateFile } from '../../src/services/index.js';

/** Issue 11, item 7: a private-key bundle other users may read is flagged when it is handed over. */

const NOW = new Date('2026-11-24T12:00:00Z');
let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bp-cert-file-'));
  const generated = await generateCertificate('backup-panel test', { now: NOW });
  bundle = generated.certificatePem + generated.privateKeyPem.reveal();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a certificate file with its private key', () => {
  it('readable by others (0644, 0666, 0640): a warning naming the file, the mode and the fix', async () => {
    for (const [mode, who] of [[0o644, 'every user on this machine'], [0o666, 'every user on this machine'], [0o640, 'its group']] as const) {
      const path = join(dir, `bundle-${mode.toString(8)}.pem`);
      await writeFile(path, bundle);
      await chmod(path, mode);
      const { warning } = await readCertificateFile(path);
      expect(warning).toBe(`'${path}' holds a private key that ${who} may read (mode 0${mode.toString(8)}): once saved, the key is sealed in the store; delete the file or run chmod 600 on it.`);
      const material = await loadCertificateFile({ auth: async () => createAuth({ endpoint: 'http://127.0.0.1:9', now: () => NOW }), now: () => NOW }, path);
      expect(material.fileWarning).toBe(warning);
      expect(material.thumbprintSha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('private (0600), or a certificate without a key: no warning', async () => {
    const path = join(dir, 'private.pem');
    await writeFile(path, bundle, { mode: 0o600 });
    expect((await readCertificateFile(path)).warning).toBeUndefined();
    const certOnly = join(dir, 'cert-only.pem');
    await writeFile(certOnly, bundle.slice(0, bundle.indexOf('-----BEGIN PRIVATE KEY')));
    await chmod(certOnly, 0o644);
    expect((await readCertificateFile(certOnly)).warning).toBeUndefined();
  });
});
