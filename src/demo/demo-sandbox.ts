import { READY_APP_NAME, READY_APP_SANDBOX_TENANT, type ReadyApp } from './ready-app.js';

/**
 * In the demo, Microsoft 365 is the loopback sandbox tenant: it is started on first use (only when
 * something talks to Microsoft 365) and approves device-code sign-ins by itself after a few seconds.
 * Its mailboxes and document libraries hold a small realistic dataset (generated lazily from a fixed
 * seed, so every demo shows the same mail and files): enough to back up and restore in seconds.
 */
export const DEMO_AUTO_APPROVE_MS = 6000;

export const DEMO_DATA = { seed: 'backup-panel-demo', messages: 40, largeMessages: 1, largeMessageBytes: 2 * 1024 * 1024, files: 20, largeFiles: 1, largeFileBytes: 4 * 1024 * 1024 } as const;

export interface DemoTenant {
  readonly url: string;
  /** Registers an app in the contoso tenant with the given secret and roles; returns its client id. */
  registerApp(displayName: string, secret: string, roles: readonly string[]): { appId: string };
  /** Registers the ready app (its client ID and certificate chosen beforehand) with the given roles. */
  registerReadyApp(app: ReadyApp, roles: readonly string[]): void;
  /** Adds a public certificate to an app, as the admin would upload it in the Microsoft Entra admin center. */
  addCertificate(appId: string, certificatePem: string): void;
  close(): Promise<void>;
}

export async function startDemoSandbox(autoApproveAfterMs = DEMO_AUTO_APPROVE_MS): Promise<DemoTenant> {
  const { startSandbox } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({ autoApproveAfterMs, data: DEMO_DATA });
  return {
    url: sandbox.url,
    registerApp: (displayName, secret, roles) => ({ appId: sandbox.registerApp('contoso', { displayName, secret, roles: [...roles] }).appId }),
    registerReadyApp: (app, roles) => {
      sandbox.registerApp(READY_APP_SANDBOX_TENANT, { appId: app.clientId, displayName: READY_APP_NAME, certificatePem: app.certificatePem, roles: [...roles] });
    },
    addCertificate: (appId, certificatePem) => sandbox.addCertificate(appId, certificatePem),
    close: () => sandbox.close(),
  };
}
