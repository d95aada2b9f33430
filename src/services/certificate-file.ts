import { readFile } from 'node:fs/promises';
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

/**
 * Reads a certificate file (PEM with certificate + private key, or PFX) for manual registration and
 * checks it: readable, key matches, RSA ≥ 2048 bits, not expired. A certificate expiring within 30
 * days comes back with `expiresSoon` (a warning, not a refusal). Every problem is a
 * ServiceError('bad-input') whose message says what is wrong and what to do; never the password.
 */
export async function loadCertificateFile(ctx: Pick<ServiceContext, 'auth' | 'now'>, path: string, password?: Secret): Promise<CertificateMaterial> {
  const shown = displayText(path.trim(), { maxLength: 200 });
  if (!path.trim()) throw new ServiceError('bad-input', FIELD_WORDS.certificatePath);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(expandCertificatePath(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : code;
    throw new ServiceError('bad-input', `Cannot read the certificate file '${shown}' (${why}).`);
  }
  const auth = await ctx.auth();
  try {
    return await auth.loadCertificate(bytes, password?.isEmpty ? undefined : password, { now: ctx.now() });
  } catch (error) {
    if (error instanceof M365Error) throw new ServiceError('bad-input', error.hint ? `${error.message} ${error.hint}` : error.message);
    throw new ServiceError('bad-input', `The certificate file '${shown}' could not be read: ${displayText(error instanceof Error ? error.message : String(error), { maxLength: 200 })}`);
  }
}
