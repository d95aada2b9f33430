import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { CertificateMaterial } from '../auth/api.js';
import { M365Error } from '../auth/api.js';
import type { Secret } from '../domain/index.js';
import { displayText, FIELD_WORDS } from '../domain/index.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';

/** `~/x` and relative paths as a shell would read them (relative to the working directory). */
export function expandCertificatePath(path: string): string {
  const trimmed = path.trim();
  if (trimmed === '~') return homedir();
  if (trimmed.startsWith('~/')) return resolve(homedir(), trimmed.slice(2));
  return isAbsolute(trimmed) ? trimmed : resolve(trimmed);
}

/** A certificate read from a file, with a warning when the file gives its private key away. */
export type LoadedCertificate = CertificateMaterial & {
  /** The file holds a private key that other users may read: say so (the key is sealed in the store once saved). */
  readonly fileWarning?: string;
};

const MAX_CERTIFICATE_FILE = 1024 * 1024;

/**
 * The bytes of a certificate file, and a warning when it holds a private key other users may read
 * (ssh refuses such a key; here the admin hands it over once, so the file is only flagged). The
 * path is the admin's own choice: it may be a link and belong to anyone.
 */
export async function readCertificateFile(path: string): Promise<{ readonly bytes: Uint8Array; readonly warning?: string }> {
  const shown = displayText(path.trim(), { maxLength: 200 });
  let bytes: Buffer;
  let mode: number;
  try {
    const handle = await open(expandCertificatePath(path), 'r');
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
      if (stat.size > MAX_CERTIFICATE_FILE) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
      mode = stat.mode;
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : code === 'EFBIG' ? 'over 1 MB: not a certificate' : code;
    throw new ServiceError('bad-input', `Cannot read the certificate file '${shown}' (${why}).`);
  }
  // PEM names its key blocks; a PFX (binary, not PEM) is the certificate-with-key format.
  const text = bytes.toString('latin1');
  const holdsKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) || !text.includes('-----BEGIN');
  if (!holdsKey || (mode & 0o044) === 0) return { bytes };
  const who = mode & 0o004 ? 'every user on this machine' : 'its group';
  return {
    bytes,
    warning: `'${shown}' holds a private key that ${who} may read (mode 0${(mode & 0o777).toString(8)}): once saved, the key is sealed in the store; delete the file or run chmod 600 on it.`,
  };
}

/**
 * Reads a certificate file (PEM with certificate + private key, or PFX) for manual registration and
 * checks it: readable, key matches, RSA ≥ 2048 bits, not expired. A certificate expiring within 30
 * days comes back with `expiresSoon` (a warning, not a refusal). Every problem is a
 * ServiceError('bad-input') whose message says what is wrong and what to do; never the password.
 * A file that gives its private key away to other users comes back with `fileWarning`.
 */
export async function loadCertificateFile(ctx: Pick<ServiceContext, 'auth' | 'now'>, path: string, password?: Secret): Promise<LoadedCertificate> {
  const shown = displayText(path.trim(), { maxLength: 200 });
  if (!path.trim()) throw new ServiceError('bad-input', FIELD_WORDS.certificatePath);
  const { bytes, warning } = await readCertificateFile(path);
  const auth = await ctx.auth();
  try {
    const material = await auth.loadCertificate(bytes, password?.isEmpty ? undefined : password, { now: ctx.now() });
    return warning ? { ...material, fileWarning: warning } : material;
  } catch (error) {
    if (error instanceof M365Error) throw new ServiceError('bad-input', error.hint ? `${error.message} ${error.hint}` : error.message);
    throw new ServiceError('bad-input', `The certificate file '${shown}' could not be read: ${displayText(error instanceof Error ? error.message : String(error), { maxLength: 200 })}`);
  }
}

/** What Manual registration's generated certificate comes back with: the material (key sealed at save) and where the public part went. */
export type GeneratedCertificate = CertificateMaterial & { readonly publicFile: string };

/**
 * A new self-signed certificate for Manual registration (issue 16 item 1), made as Automatic
 * registration makes its own (auth: RSA 2048, SHA-256, one year). Only the public certificate is
 * written, to a new file (never over an existing one, never through a link; 0644: it is public) that
 * the admin uploads to the app registration; the private key stays in memory until the connection is
 * saved, where it is sealed in the store like every other secret.
 */
export async function generateCertificateFile(ctx: Pick<ServiceContext, 'now'>, path: string, subject: string): Promise<GeneratedCertificate> {
  const shown = displayText(path.trim(), { maxLength: 200 });
  if (!path.trim()) throw new ServiceError('bad-input', 'Give the path of the file to write the public certificate to, e.g. ~/backup-panel.cer.');
  const { generateCertificate } = await import('../auth/index.js');
  const material = await generateCertificate(subject, { now: ctx.now() });
  const target = expandCertificatePath(path);
  let handle;
  try {
    handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EEXIST' ? 'a file is already there; choose another name' : code === 'ENOENT' ? 'no such folder' : code === 'EACCES' ? 'permission denied' : code === 'ELOOP' ? 'it is a link' : code;
    throw new ServiceError('bad-input', `Cannot write the certificate to '${shown}' (${why}).`);
  }
  try {
    await handle.writeFile(`${material.certificatePem.trim()}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { ...material, publicFile: target };
}
