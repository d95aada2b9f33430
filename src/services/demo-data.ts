import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Permission } from '../auth/index.js';
import { permissionsFor } from '../auth/index.js';
import type { Connection } from '../domain/index.js';
import { CONNECTION_SECRET_FIELDS, connectionSecretRef } from '../domain/index.js';
import type { ServiceContext } from './context.js';
import { createBackupJob } from './job-admin.js';
import { createStorage } from './storages.js';
import type { Store } from '../store/api.js';

/**
 * The demo backs up and restores with no tenant: a storage in the demo's temp folder, a Modern
 * Authentication connection to the sandbox tenant (contoso) and a backup job of its mailboxes.
 * The sandbox starts only when something talks to Microsoft 365; it then registers the demo
 * connection's app (with the secret kept sealed in the demo store) and the store takes its id.
 */

export const DEMO_CONNECTION_ID = 'c-demo';
export const DEMO_JOB_NAME = 'Demo mailboxes';
export const DEMO_STORAGE_NAME = 'Demo storage';
const DEMO_TENANT = 'contoso.onmicrosoft.com';
/** What the demo app may do in the sandbox: read users, back up and restore mail and files. */
export const DEMO_APP_ROLES = ['User.Read.All', 'Mail.ReadWrite', 'graph:Sites.ReadWrite.All', 'graph:Files.ReadWrite.All'];

const SANDBOX_API: Readonly<Record<Permission['resource'], string>> = {
  'Microsoft Graph': 'graph',
  'Office 365 Exchange Online': 'exchange',
  'Office 365 SharePoint Online': 'sharepoint',
};

/**
 * What the demo's ready app holds for Manual registration: what automatic registration grants for
 * Exchange and SharePoint (auth/permissions.ts), in the sandbox's 'api:role' form.
 */
export function readyAppRoles(): string[] {
  const roles = [...permissionsFor('exchange'), ...permissionsFor('sharepoint')].map((p) => `${SANDBOX_API[p.resource]}:${p.name}`);
  return [...new Set(roles)];
}

export async function seedDemoData(ctx: ServiceContext, demoDir: string): Promise<void> {
  if (ctx.store.current().connections.some((c) => c.id === DEMO_CONNECTION_ID)) return;
  const secret = randomBytes(24).toString('base64url');
  await ctx.store.update((draft, tools) => {
    const connection: Connection = {
      id: DEMO_CONNECTION_ID,
      displayName: 'demo@contoso.onmicrosoft.com',
      created: tools.now.toISOString(),
      service: 'exchange',
      location: 'online',
      mailbox: 'admin@contoso.onmicrosoft.com',
      credential: {
        kind: 'app-secret',
        tenantId: DEMO_TENANT,
        // Replaced by the sandbox's own id when it registers the demo app (registerDemoApp).
        clientId: randomUUID(),
        clientSecret: tools.seal(secret, connectionSecretRef(DEMO_CONNECTION_ID, CONNECTION_SECRET_FIELDS.clientSecret)),
      },
    };
    draft.connections.push(connection);
    return { change: { action: 'demo.seed', entity: { type: 'connection', id: DEMO_CONNECTION_ID } }, result: undefined };
  });
  const { storage } = await createStorage(ctx, { name: DEMO_STORAGE_NAME, path: join(demoDir, 'storage'), retentionDays: 30 });
  await createBackupJob(ctx, { name: DEMO_JOB_NAME, connection: DEMO_CONNECTION_ID, storage: storage.id, sources: 'all' });
}

/** Registers the demo app in the sandbox with the demo connection's secret and records its client id. */
export async function registerDemoApp(store: Store, register: (secret: string) => { appId: string }): Promise<void> {
  const connection = store.current().connections.find((c) => c.id === DEMO_CONNECTION_ID);
  if (!connection || connection.location !== 'online' || connection.credential.kind !== 'app-secret') return;
  const secret = store.reveal(connection.credential.clientSecret, connectionSecretRef(DEMO_CONNECTION_ID, CONNECTION_SECRET_FIELDS.clientSecret));
  const { appId } = register(secret.reveal());
  if (store.readOnly) return;
  await store.update((draft) => {
    const target = draft.connections.find((c) => c.id === DEMO_CONNECTION_ID);
    if (!target || target.location !== 'online' || target.credential.kind !== 'app-secret') return 'unchanged';
    target.credential.clientId = appId;
    return { change: { action: 'demo.register', entity: { type: 'connection', id: DEMO_CONNECTION_ID }, fields: ['credential.clientId'] }, result: undefined };
  });
}
