import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceCodePrompt } from '../../src/auth/api.js';
import { MANUAL_REGISTRATION_HINT } from '../../src/auth/errors.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { approveAs, authFor, rejectionOf, sandbox, tokenRequests } from './sandbox-helpers.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox();
});
afterAll(async () => {
  await sb.close();
});

describe('admin sign-in by device code (real msal-node against the sandbox)', () => {
  it('approved: the prompt shows URL, code and expiry; the session names the admin and the tenant', async () => {
    const prompts: DeviceCodePrompt[] = [];
    const before = Date.now();
    const session = await authFor(sb).signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: approveAs(sb, undefined, prompts) });
    expect(session.userPrincipalName).toBe('admin@contoso.onmicrosoft.com');
    expect(session.tenantId).toBe(sb.tenants.contoso.id);
    expect(prompts).toHaveLength(1);
    const prompt = prompts[0] as DeviceCodePrompt;
    expect(prompt.verificationUri).toBe('https://microsoft.com/devicelogin');
    expect(prompt.userCode).toMatch(/^[A-Z0-9]{8}$/);
    expect(prompt.message).toContain(prompt.userCode);
    expect(prompt.expiresAt.getTime()).toBeGreaterThan(before + 800_000);
  });

  it('approved with the default authority (organizations)', async () => {
    const session = await authFor(sb).signInAdmin({ onPrompt: approveAs(sb) });
    expect(session.userPrincipalName).toBe('admin@contoso.onmicrosoft.com');
    expect(session.tenantId).toBe(sb.tenants.contoso.id);
  });

  it('declined → DeviceCodeDeclined with the manual-registration hint', async () => {
    const error = await rejectionOf(
      authFor(sb).signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: (p) => setTimeout(() => sb.declineDeviceCode(p.userCode), 100) }),
    );
    expect(error.category).toBe('DeviceCodeDeclined');
    expect(error.message).toContain('declined');
    expect(error.message.endsWith(MANUAL_REGISTRATION_HINT)).toBe(true);
  });

  it('expired → DeviceCodeExpired', async () => {
    const error = await rejectionOf(
      authFor(sb).signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: (p) => setTimeout(() => sb.expireDeviceCode(p.userCode), 100) }),
    );
    expect(error.category).toBe('DeviceCodeExpired');
    expect(error.message).toContain('expired');
    expect(error.message.endsWith(MANUAL_REGISTRATION_HINT)).toBe(true);
  });

  it('expires by itself when the code lifetime runs out (msal device_code_expired)', async () => {
    const short = await sandbox({ deviceCodeExpiresInSec: 2 });
    try {
      const error = await rejectionOf(authFor(short).signInAdmin({ tenant: short.tenants.contoso.domain, onPrompt: () => undefined }));
      expect(error.category).toBe('DeviceCodeExpired');
    } finally {
      await short.close();
    }
  });

  it('cancelled through the AbortSignal: rejects at once, and polling stops within one interval', async () => {
    const controller = new AbortController();
    let cancelledAt = 0;
    const pending = rejectionOf(
      authFor(sb).signInAdmin({
        tenant: sb.tenants.contoso.domain,
        signal: controller.signal,
        onPrompt: () =>
          setTimeout(() => {
            cancelledAt = tokenRequests(sb);
            controller.abort();
          }, 1500),
      }),
    );
    const error = await pending;
    expect(error.category).toBe('DeviceCodeCancelled');
    const afterCancel = tokenRequests(sb);
    // Wait two intervals (1 s each): no new poll after the cancel, at most one already under way.
    await new Promise((r) => setTimeout(r, 2000));
    expect(tokenRequests(sb)).toBe(afterCancel);
    expect(afterCancel - cancelledAt).toBeLessThanOrEqual(1);
    // The code is still pending in the tenant (nobody approved it) — the panel just stopped asking.
    expect(sb.pendingDeviceCodes().length).toBeGreaterThan(0);
  });

  it('an already aborted signal cancels before anything is sent', async () => {
    const before = sb.requests.length;
    const error = await rejectionOf(authFor(sb).signInAdmin({ signal: AbortSignal.abort(), onPrompt: () => undefined }));
    expect(error.category).toBe('DeviceCodeCancelled');
    expect(sb.requests.length).toBe(before);
  });

  it('/devicecode failing with AADSTS700016 (sign-in app unknown): reported at once, with the code and the hint', async () => {
    const polls = tokenRequests(sb);
    let prompted = false;
    const error = await rejectionOf(
      authFor(sb, { adminClientId: '0b0e5c1e-1111-4222-8333-944455556666' }).signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: () => (prompted = true) }),
    );
    expect(error.category).toBe('AppNotFound');
    expect(error.aadsts).toBe(700016);
    expect(error.message).toMatch(/the sign-in app .* is not available in this tenant \(AADSTS700016\)/i);
    expect(error.message.endsWith(MANUAL_REGISTRATION_HINT)).toBe(true);
    expect(prompted).toBe(false);
    expect(tokenRequests(sb)).toBe(polls); // cancelled before any /token poll
  });

  it('/devicecode failing with AADSTS53003 (Conditional Access blocks device code)', async () => {
    sb.setTenant('contoso', { deviceCode: 'conditional-access-blocked' });
    try {
      const error = await rejectionOf(authFor(sb).signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: () => undefined }));
      expect(error.category).toBe('ConditionalAccessBlocked');
      expect(error.aadsts).toBe(53003);
      expect(error.message).toContain('Conditional Access');
      expect(error.message).toContain('AADSTS53003');
      expect(error.message.endsWith(MANUAL_REGISTRATION_HINT)).toBe(true);
      // With /organizations the policy bites at /token after approval: msal-node only says
      // post_request_failed; the AADSTS code comes from the body the network module kept.
      const later = await rejectionOf(authFor(sb).signInAdmin({ onPrompt: approveAs(sb) }));
      expect([later.category, later.aadsts]).toEqual(['ConditionalAccessBlocked', 53003]);
      expect(later.message.endsWith(MANUAL_REGISTRATION_HINT)).toBe(true);
    } finally {
      sb.setTenant('contoso', { deviceCode: 'allowed' });
    }
  });

  it('an unknown tenant is reported with AADSTS90002', async () => {
    const error = await rejectionOf(authFor(sb).signInAdmin({ tenant: 'nosuchtenant.onmicrosoft.com', onPrompt: () => undefined }));
    expect(error.category).toBe('Configuration');
    expect(error.message).toContain('AADSTS90002');
  });
});
