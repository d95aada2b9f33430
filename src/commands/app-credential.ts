import type { Service } from '../domain/index.js';
import { SHAREPOINT_NEEDS_CERTIFICATE } from '../domain/index.js';
import type { AppCredentialInput, ServiceContext } from '../services/index.js';
import { readCertificateFile, ServiceError } from '../services/index.js';
import type { Io } from './output.js';
import { printError } from './output.js';
import { readSecretFile } from './secret-input.js';

/** The manual path's credential options, shared by `connections create` and `connections reconfigure`. */
export interface AppCredentialOptions {
  readonly certificate?: string;
  readonly certificatePasswordFile?: string;
  readonly clientSecretFile?: string;
  readonly secretExpires?: string;
}

/**
 * The certificate (with its key) or the client secret, read from files or standard input (`-`),
 * never from arguments. SharePoint takes no secret: refused before the secret is even read.
 */
export async function readAppCredential(ctx: ServiceContext, io: Io, service: Service, opts: AppCredentialOptions): Promise<AppCredentialInput> {
  if (opts.certificate) {
    const { bytes, warning } = await readCertificateFile(opts.certificate);
    if (warning) printError(io, `warning: ${warning}`);
    const password = opts.certificatePasswordFile ? await readSecretFile(opts.certificatePasswordFile, 'certificate password', io.stdin) : undefined;
    const auth = await ctx.auth();
    const certificate = await auth.loadCertificate(bytes, password).catch((error: unknown) => {
      throw new ServiceError('bad-input', error instanceof Error ? error.message : String(error));
    });
    return { kind: 'certificate', certificate };
  }
  if (service === 'sharepoint') throw new ServiceError('bad-input', `${SHAREPOINT_NEEDS_CERTIFICATE} Give --certificate <file>.`);
  const clientSecret = await readSecretFile(opts.clientSecretFile ?? '', 'client secret', io.stdin);
  return { kind: 'secret', clientSecret, ...(opts.secretExpires ? { expiresAt: `${opts.secretExpires}T00:00:00.000Z` } : {}) };
}
