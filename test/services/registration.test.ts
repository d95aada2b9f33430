import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceCodePrompt } from '../../src/auth/api.js';
import type { Connection } from '../../src/domain/index.js';
import {
  appRemovalPlan,
  reconfigureAutomatically,
  registerApplication,
  signInAdmin,
  tenantChange,
  TenantChangeRefused,
  assertSameTenant,
} from '../../src/services/index.js';
import type { Fixture } from '../screens/helpers/context.js';
import { openFixture } from '../screens/helpers/context.js';

/**
 * The registration services the CLI uses now and the TUI will: the tenant's one registration
 * shared by its connections (also through the wizard's sign-in → register path), and the tenant rule.
 */

let fixture: Fixture;
beforeAll(async () => {
  fixture = await openFixture();
});
afterAll(async () => {
  await fixture.close();
});

const approve = (prompt: DeviceCodePrompt) => {
  void fixture.sandbox().then((sb) => setTimeout(() => sb.approveDeviceCode(prompt.userCode), 50));
};

function certificateOf(connection: Connection | undefined) {
  if (!connection || connection.location !== 'online' || connection.credential.kind !== 'app-certificate') throw new Error('no certificate');
  return connection.credential;
}

describe('one registration per tenant', () => {
  it('after an automatic reconfigure, the wizard’s path (sign in → register) for another connection keeps the first certificate and adds its roles', async () => {
    const sb = await fixture.sandbox();
    const before = sb.appsIn('contoso').length;
    const first = await reconfigureAutomatically(fixture.ctx, 'c-1', { onPrompt: approve });
    expect(first.app.created).toBe(true);
    const c1 = certificateOf(fixture.store.current().connections.find((c) => c.id === 'c-1'));
    expect(appRemovalPlan(fixture.ctx, 'c-1')).toEqual({ kind: 'removed', clientId: c1.clientId });

    const session = await signInAdmin(fixture.ctx, { tenant: 'contoso.onmicrosoft.com', onPrompt: approve });
    const app = await registerApplication(fixture.ctx, session, { service: 'sharepoint', displayName: 'backup-panel SharePoint (backup01)', siteUrl: 'https://contoso.sharepoint.com', onProgress: () => undefined });
    expect(app.clientId).toBe(c1.clientId);
    expect(sb.appsIn('contoso').length - before).toBe(1);
    const inTenant = sb.getApp(app.clientId);
    expect(inTenant?.certificateThumbprintsSha256).toContain(c1.certificate.thumbprintSha256);
    expect(inTenant?.grantedRoles.sort()).toEqual(['Mail.ReadWrite', 'MailboxSettings.Read', 'Sites.ReadWrite.All', 'User.Read.All']);
  });
});

describe('a connection keeps its tenant', () => {
  it('the same tenant by another name is no change; another tenant is, naming the jobs', async () => {
    const c5 = fixture.store.current().connections.find((c) => c.id === 'c-5') as Connection;
    const sb = await fixture.sandbox();
    expect(await tenantChange(fixture.ctx, fixture.store.current(), c5, sb.tenants.fabrikam.id)).toBeUndefined();
    expect(await tenantChange(fixture.ctx, fixture.store.current(), c5, 'FABRIKAM.onmicrosoft.com')).toBeUndefined();
    expect(await tenantChange(fixture.ctx, fixture.store.current(), c5, 'contoso.com')).toEqual({
      from: 'fabrikam.onmicrosoft.com',
      to: 'contoso.com',
      jobs: ['Fabrikam mailboxes'],
      unconfirmed: false,
    });
    const refusal = await assertSameTenant(fixture.ctx, c5, 'contoso.com', { confirmWith: 'confirm in the dialog' }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(TenantChangeRefused);
    expect((refusal as TenantChangeRefused).kind).toBe('refused');
    expect((refusal as TenantChangeRefused).change.jobs).toEqual(['Fabrikam mailboxes']);
    expect((refusal as Error).message).toContain('Nothing was changed; confirm in the dialog to move it to the other tenant.');
    await expect(assertSameTenant(fixture.ctx, c5, 'contoso.com', { allowTenantChange: true })).resolves.toBeUndefined();
  });
});
