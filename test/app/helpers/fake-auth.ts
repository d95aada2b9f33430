import type { AuthApi, CheckResult, VerifyTarget } from '../../../src/auth/api.js';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      const error = new Error('The operation was aborted.');
      error.name = 'AbortError';
      reject(error);
    });
  });

/** What the real checks report for each kind of connection (texts modelled on src/auth/verify). */
export function checksFor(target: VerifyTarget): CheckResult[] {
  switch (target.kind) {
    case 'online-basic':
      return [
        {
          name: 'Basic Authentication',
          status: 'fail',
          category: 'BasicAuthDisabled',
          message:
            'Microsoft 365 no longer accepts passwords for this connection: Basic Authentication was switched off for Exchange Online (Oct 2022 – Jan 2023). Reconfigure the connection (Edit) to use Modern Authentication with an app registration and a certificate.',
        },
      ];
    case 'onprem-exchange':
      return target.server
        ? [{ name: 'EWS (Basic)', status: 'pass', message: `EWS at https://${target.server}/EWS/Exchange.asmx accepted the credentials.` }]
        : [
            { name: 'Autodiscover', status: 'pass', message: 'Autodiscover found EWS at https://mail.corp.contoso.com/EWS/Exchange.asmx.' },
            { name: 'EWS (Basic)', status: 'pass', message: 'EWS accepted the credentials.' },
          ];
    case 'onprem-sharepoint':
      return [{ name: 'SharePoint (Basic)', status: 'pass', message: `${target.url} answered with the site title.` }];
    case 'online-app':
      return [
        { name: 'Token', status: 'pass', message: 'Entra issued an app-only token.' },
        { name: 'Microsoft Graph', status: 'pass', message: 'Graph answered.' },
      ];
  }
}

/**
 * An AuthApi whose `verify` reports realistic checks one by one (with progress and cancellation).
 * Used by screen tests until/unless the loopback sandbox is wired in; only `verify` is needed.
 */
export function fakeAuth(options: { stepMs?: number; checks?: (target: VerifyTarget) => CheckResult[] } = {}): AuthApi & { calls: VerifyTarget[] } {
  const calls: VerifyTarget[] = [];
  const unsupported = () => {
    throw new Error('not used by these tests');
  };
  return {
    calls,
    permissionsFor: unsupported,
    resolveTenant: unsupported,
    signInAdmin: unsupported,
    registerApp: unsupported,
    pruneCertificates: unsupported,
    removeApp: unsupported,
    signOutAdmin: unsupported,
    loadCertificate: unsupported,
    async verify(target, callOptions = {}) {
      calls.push(target);
      const all = (options.checks ?? checksFor)(target);
      const done: CheckResult[] = [];
      for (const check of all) {
        callOptions.onProgress?.({ running: check.name, results: [...done] });
        await sleep(options.stepMs ?? 20, callOptions.signal);
        done.push(check);
        callOptions.onProgress?.({ results: [...done] });
      }
      return done;
    },
  };
}
