import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { openFile } from '../fs/index.js';

/**
 * The demo's ready app: an app registration in the sandbox tenant (contoso, where the sample's
 * obsolete Microsoft 365 connections live) with the application permissions Manual registration
 * needs and a certificate, so that a newcomer can try Manual registration without a tenant of their
 * own. Its facts are chosen before the sandbox starts (the sandbox starts on first use), shown on
 * the Application details step, and registered when the sandbox starts.
 */

/** The domain the admin types (the sample's c-1 and c-2 are in it); the sandbox's tenant name below. */
export const READY_APP_TENANT = 'contoso.onmicrosoft.com';
export const READY_APP_SANDBOX_TENANT = 'contoso';
export const READY_APP_NAME = 'backup-panel demo ready app';

export interface ReadyApp {
  readonly tenant: string;
  readonly clientId: string;
  /** The certificate with its private key (PEM, 0600), in the demo folder: what the admin types. */
  readonly certificatePath: string;
  /** Where a certificate the panel generates in the demo is written (the demo folder, removed at exit). */
  readonly newCertificatePath: string;
  /** The public certificate the sandbox registers with the app. */
  readonly certificatePem: string;
}

export interface ReadyAppKey {
  readonly certificatePem: string;
  /** PKCS#8 PEM: written to the 0600 file only, never shown or logged. */
  readonly privateKeyPem: string;
}

/**
 * Writes the ready app's certificate with its key to a new private file in the demo folder (0600,
 * never through a link, never over an existing file) and names the app.
 */
export async function writeReadyApp(dir: string, key: ReadyAppKey): Promise<ReadyApp> {
  const certificatePath = join(dir, 'ready-app.pem');
  const { handle } = await openFile(certificatePath, { access: 'write', create: 'new', mode: 0o600 });
  try {
    await handle.writeFile(`${key.certificatePem.trim()}\n${key.privateKeyPem.trim()}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return {
    tenant: READY_APP_TENANT,
    clientId: randomUUID(),
    certificatePath,
    newCertificatePath: join(dir, 'backup-panel-demo.cer'),
    certificatePem: key.certificatePem,
  };
}
