import type { DeviceCodeRequest } from '@azure/msal-node';
import { displayText } from '../domain/display-text.js';
import type { AdminSession, DeviceCodePrompt } from './api.js';
import { M365Error } from './api.js';
import type { Cloud } from '../domain/connection.js';
import { authorityFor } from '../m365/clouds.js';
import { adminRoles } from './admin-roles.js';
import { assertTenant } from './client-credentials.js';
import type { Capture, FlowContext } from './errors.js';
import { fromEntra, MANUAL_REGISTRATION_HINT, normaliseMsalError } from './errors.js';
import { loadMsal } from './lazy.js';
import { createMsalNetworkModule } from './msal-network.js';
import { adminScopes } from './permissions.js';
import { decodeTokenClaims } from './token-claims.js';
import type { Transport } from '../m365/transport.js';

/**
 * Admin sign-in by device code (microsoft365.md §3, §5): a fresh PublicClientApplication per sign-in
 * with msal-node's in-memory cache only; the token stays in memory (src/auth/index.ts) until the
 * registration is done or the admin signs out, and is never stored.
 */

export interface AdminToken {
  readonly accessToken: string;
  readonly expiresOn?: Date;
}

export interface DeviceCodeOptions {
  readonly tenant?: string;
  /** The tenant's national cloud (its sign-in host and Graph scopes); default global. */
  readonly cloud?: Cloud;
  readonly signal?: AbortSignal;
  readonly onPrompt: (prompt: DeviceCodePrompt) => void;
}

const SILENT_LOGGER = { loggerCallback: () => undefined, piiLoggingEnabled: false };

function cancelled(): M365Error {
  return new M365Error('DeviceCodeCancelled', `Sign-in cancelled. ${MANUAL_REGISTRATION_HINT}`);
}

export async function signInWithDeviceCode(
  transport: Transport,
  clientId: string,
  options: DeviceCodeOptions,
): Promise<{ session: AdminSession; token: AdminToken }> {
  const tenant = options.tenant?.trim() || 'organizations';
  if (tenant !== 'organizations' && tenant !== 'common') assertTenant(tenant);
  const ctx: FlowContext = { flow: 'device-code', tenant, clientId };
  if (options.signal?.aborted) throw cancelled();
  const msal = await loadMsal();
  const capture: Capture = {};
  // Our own controller also stops a poll in flight when the caller cancels.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const pca = new msal.PublicClientApplication({
    auth: { clientId, authority: authorityFor(tenant, options.cloud) },
    system: { networkClient: createMsalNetworkModule(transport, capture, signal), loggerOptions: SILENT_LOGGER },
  });

  let emptyCallback = false;
  let promptError: unknown;
  // MSAL mutates the request object it is given (Object.assign), so this reference stays live and
  // setting `cancel = true` on it stops polling before the next /token request.
  const request: DeviceCodeRequest = {
    scopes: adminScopes(options.cloud),
    cancel: false,
    deviceCodeCallback: (response) => {
      // When /devicecode itself fails, msal-node calls back with every field undefined and then
      // polls without a device code: stop at once and report the captured error instead.
      if (!response || !response.userCode || !response.verificationUri) {
        emptyCallback = true;
        request.cancel = true;
        return;
      }
      try {
        options.onPrompt({
          verificationUri: response.verificationUri,
          userCode: response.userCode,
          // A wall-clock countdown: the real clock, not the injectable `now` used for dated checks.
          expiresAt: new Date(Date.now() + (Number(response.expiresIn) || 900) * 1000),
          message: displayText(response.message ?? '', { maxLength: 400 }),
        });
      } catch (error) {
        promptError = error;
        request.cancel = true;
      }
    },
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      request.cancel = true;
      stop.abort();
      finish(() => reject(cancelled()));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    pca.acquireTokenByDeviceCode(request).then(
      (result) => {
        if (!result?.accessToken || !result.account) {
          finish(() => reject(new M365Error('Unknown', `Microsoft Entra ID returned no token for the sign-in. ${MANUAL_REGISTRATION_HINT}`)));
          return;
        }
        const account = result.account;
        // The roles, right after sign-in and before any write (admin-roles.ts).
        const claims = decodeTokenClaims(result.accessToken);
        const session: AdminSession = {
          userPrincipalName: account.username,
          tenantId: result.tenantId || account.tenantId,
          cloud: options.cloud ?? 'global',
          ...(account.name ? { displayName: account.name } : {}),
          roles: adminRoles(claims?.wids),
        };
        const token: AdminToken = { accessToken: result.accessToken, ...(result.expiresOn ? { expiresOn: result.expiresOn } : {}) };
        finish(() => resolve({ session, token }));
      },
      (error: unknown) => {
        if (settled) return;
        if (promptError !== undefined) {
          finish(() => reject(promptError));
          return;
        }
        if (emptyCallback) {
          const real = capture.transportError
            ? normaliseMsalError(capture.transportError, capture, ctx)
            : capture.entraError
              ? fromEntra(capture.entraError, ctx)
              : new M365Error('Unknown', `Microsoft Entra ID did not return a sign-in code. ${MANUAL_REGISTRATION_HINT}`);
          finish(() => reject(real));
          return;
        }
        finish(() => reject(normaliseMsalError(error, capture, ctx)));
      },
    );
  });
}
