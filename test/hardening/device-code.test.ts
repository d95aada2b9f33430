import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceCodePrompt } from '../../src/auth/api.js';
import { M365Error } from '../../src/auth/api.js';
import { MANUAL_REGISTRATION_HINT } from '../../src/auth/errors.js';
import { createAuth } from '../../src/auth/index.js';
import type { Fault, Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { terminalActive } from './helpers/hostile.js';

/**
 * The device-code contract (product.md §5, microsoft365.md §12): whatever ends the admin's sign-in
 * short — declined, expired, cancelled, /devicecode refused (AADSTS700016, Conditional Access
 * AADSTS53003) or the network failing under it — the message names the cause and ends with the way
 * out, Manual registration. test/auth/device-code.test.ts covers most rows one by one; this table
 * holds them all to the same contract, including cancel and the transport failures it lacks.
 */

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ deviceCodeIntervalSec: 1 });
});
afterEach(() => {
  sandbox.clearFaults();
  sandbox.setTenant('contoso', { deviceCode: 'allowed' });
});
afterAll(async () => {
  await sandbox.close();
});

interface SignInCase {
  readonly name: string;
  readonly category: M365Error['category'];
  readonly aadsts?: number;
  /** Words the message must contain before the hint. */
  readonly says: RegExp;
  readonly setup?: () => void;
  readonly faults?: readonly Fault[];
  readonly adminClientId?: string;
  /** What happens once the code is shown. */
  readonly onPrompt?: (prompt: DeviceCodePrompt, abort: () => void) => void;
}

const cases: SignInCase[] = [
  { name: 'declined in the browser', category: 'DeviceCodeDeclined', says: /declined/i, onPrompt: (p) => setTimeout(() => sandbox.declineDeviceCode(p.userCode), 100) },
  { name: 'expired before anyone signed in', category: 'DeviceCodeExpired', says: /expired/i, onPrompt: (p) => setTimeout(() => sandbox.expireDeviceCode(p.userCode), 100) },
  { name: 'cancelled by the admin (Esc)', category: 'DeviceCodeCancelled', says: /^Sign-in cancelled\./, onPrompt: (_p, abort) => setTimeout(abort, 100) },
  {
    name: '/devicecode refused: the sign-in app is unknown (AADSTS700016)',
    category: 'AppNotFound',
    aadsts: 700016,
    says: /AADSTS700016/,
    adminClientId: '0b0e5c1e-1111-4222-8333-944455556666',
  },
  {
    name: '/devicecode refused by Conditional Access (AADSTS53003)',
    category: 'ConditionalAccessBlocked',
    aadsts: 53003,
    says: /Conditional Access.*AADSTS53003|AADSTS53003.*Conditional Access/,
    setup: () => sandbox.setTenant('contoso', { deviceCode: 'conditional-access-blocked' }),
  },
  {
    name: '/devicecode never answers',
    category: 'Timeout',
    says: /^login\.microsoftonline\.com did not answer within 1\.5 s\./,
    faults: [{ host: 'login.microsoftonline.com', path: /\/devicecode$/, respond: 'hang', times: Infinity }],
  },
  {
    name: '/devicecode answers with a proxy page instead of JSON',
    category: 'Network',
    says: /not valid JSON/,
    faults: [{ host: 'login.microsoftonline.com', path: /\/devicecode$/, respond: { status: 200, body: '<html>Sign in to the proxy</html>' }, times: Infinity }],
  },
  {
    name: '/devicecode unavailable (503, every attempt)',
    category: 'Throttled',
    says: /unavailable \(HTTP 503\); gave up after \d+ attempts/,
    faults: [{ host: 'login.microsoftonline.com', path: /\/devicecode$/, respond: { status: 503, body: '' }, times: Infinity }],
  },
  {
    name: 'the connection is reset while polling /token',
    category: 'Network',
    says: /connection reset/,
    faults: [{ host: 'login.microsoftonline.com', path: /\/token$/, respond: 'reset', times: Infinity }],
  },
];

describe('every way the admin sign-in can fail ends with the manual-registration hint', () => {
  for (const c of cases) {
    it(c.name, async () => {
      c.setup?.();
      for (const fault of c.faults ?? []) sandbox.inject(fault);
      const controller = new AbortController();
      const auth = createAuth({ endpoint: sandbox.url, timeoutMs: 1500, retry: { maxAttempts: 2, baseDelayMs: 50 }, ...(c.adminClientId ? { adminClientId: c.adminClientId } : {}) });
      const error = await auth
        .signInAdmin({ tenant: sandbox.tenants.contoso.domain, signal: controller.signal, onPrompt: (p) => c.onPrompt?.(p, () => controller.abort()) })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(M365Error);
      const m = error as M365Error;
      expect(m.category).toBe(c.category);
      if (c.aadsts !== undefined) expect(m.aadsts).toBe(c.aadsts);
      expect(m.message).toMatch(c.says);
      expect(m.message.endsWith(MANUAL_REGISTRATION_HINT)).toBe(true);
      // Said once, on one line, drawable as is.
      expect(m.message.split(MANUAL_REGISTRATION_HINT)).toHaveLength(2);
      expect(m.message.split('\n')).toHaveLength(1);
      expect(terminalActive(m.message)).toEqual([]);
    });
  }
});
