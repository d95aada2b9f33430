import { lstat, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeReadyApp } from '../../src/demo/ready-app.js';
import { createTestCertificate } from '../../src/sandbox/certificates.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function demoDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bp-ready-app-'));
  dirs.push(dir);
  return dir;
}

const cert = createTestCertificate({ commonName: 'backup-panel demo ready app' });

describe("the demo's ready app (issue 16 item 1)", () => {
  it('writes its certificate with the key to a new 0600 file in the demo folder and names a client ID', async () => {
    const dir = await demoDir();
    const app = await writeReadyApp(dir, cert);
    expect(app.certificatePath).toBe(join(dir, 'ready-app.pem'));
    expect(app.tenant).toBe('contoso.onmicrosoft.com');
    expect(app.clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(app.newCertificatePath.startsWith(dir)).toBe(true);
    expect((await lstat(app.certificatePath)).mode & 0o777).toBe(0o600);
    const text = await readFile(app.certificatePath, 'utf8');
    expect(text).toContain('-----BEGIN CERTIFICATE-----');
    expect(text).toContain('PRIVATE KEY-----');
  });

  it('never writes through a link or over a file someone put there', async () => {
    const dir = await demoDir();
    const target = join(dir, 'elsewhere');
    await symlink(target, join(dir, 'ready-app.pem'));
    await expect(writeReadyApp(dir, cert)).rejects.toThrow();
    await expect(lstat(target)).rejects.toThrow();
  });
});
