/**
 * In the demo, Microsoft 365 is the loopback sandbox tenant: it is started on first use (only when
 * something talks to Microsoft 365) and approves device-code sign-ins by itself after a few seconds.
 */
export const DEMO_AUTO_APPROVE_MS = 6000;

export interface DemoTenant {
  readonly url: string;
  /** Registers an app in the contoso tenant with the given secret and roles; returns its client id. */
  registerApp(displayName: string, secret: string, roles: readonly string[]): { appId: string };
  close(): Promise<void>;
}

export async function startDemoSandbox(autoApproveAfterMs = DEMO_AUTO_APPROVE_MS): Promise<DemoTenant> {
  const { startSandbox } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({ autoApproveAfterMs });
  return {
    url: sandbox.url,
    registerApp: (displayName, secret, roles) => ({ appId: sandbox.registerApp('contoso', { displayName, secret, roles: [...roles] }).appId }),
    close: () => sandbox.close(),
  };
}
