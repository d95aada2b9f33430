import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuth } from '../../src/auth/index.js';
import type { Connection } from '../../src/domain/index.js';
import { CONNECTION_SECRET_FIELDS, connectionSecretRef } from '../../src/domain/index.js';
import type { Sandbox, SandboxDataOptions } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { ServiceContext } from '../../src/services/index.js';
import { createBackupJob, createStorage, lazyAuth } from '../../src/services/index.js';
import type { Store } from '../../src/store/api.js';
import { openStore } from '../../src/store/index.js';

/**
 * A real store in a temp folder, the real msal-node and engine, and the loopback sandbox holding
 * mail and sites: what the engine's tests share. Connections are added as the wizard would save them.
 */

export const APP_ROLES = ['User.Read.All', 'Mail.ReadWrite', 'graph:Sites.ReadWrite.All', 'graph:Files.ReadWrite.All'];

export interface EngineWorld {
  readonly sandbox: Sandbox;
  readonly dir: string;
  readonly store: Store;
  readonly ctx: ServiceContext;
  /** Clock the services see (tests move it past the retention period). */
  now: Date;
  readonly storageId: string;
  readonly storagePath: string;
  addConnection(input: { id: string; service: 'exchange' | 'sharepoint'; tenant?: 'contoso' | 'fabrikam' }): Promise<void>;
  addJob(name: string, connectionId: string, sources: 'all' | string[]): Promise<string>;
  close(): Promise<void>;
}

export async function engineWorld(data: SandboxDataOptions, options: { storeFrom?: string } = {}): Promise<EngineWorld> {
  const sandbox = await startSandbox({ data });
  const dir = await mkdtemp(join(tmpdir(), 'bp-engine-'));
  if (options.storeFrom) await copyFile(options.storeFrom, join(dir, 'store.json'));
  const store = await openStore({ path: join(dir, 'store.json') });
  let auth: ReturnType<typeof createAuth> | undefined;
  const world: EngineWorld = {
    sandbox,
    dir,
    store,
    now: new Date(),
    ctx: { store, now: () => world.now, auth: lazyAuth(async () => (auth ??= createAuth({ endpoint: sandbox.url }))) },
    storageId: '',
    storagePath: join(dir, 'storage'),
    async addConnection({ id, service, tenant = 'contoso' }) {
      const secret = `engine-test-secret-${id}`;
      const app = sandbox.registerApp(tenant, { displayName: `engine ${id}`, secret, roles: APP_ROLES });
      const info = sandbox.tenants[tenant];
      await store.update((draft, tools) => {
        const credential = {
          kind: 'app-secret' as const,
          tenantId: info.domain,
          clientId: app.appId,
          clientSecret: tools.seal(secret, connectionSecretRef(id, CONNECTION_SECRET_FIELDS.clientSecret)),
        };
        const connection: Connection =
          service === 'exchange'
            ? { id, displayName: `${id}@${info.domain}`, created: tools.now.toISOString(), service, location: 'online', credential }
            : { id, displayName: new URL(info.sharePointUrl).host, created: tools.now.toISOString(), service, location: 'online', url: info.sharePointUrl, credential };
        draft.connections.push(connection);
        return { change: { action: 'test.connection', entity: { type: 'connection', id } }, result: undefined };
      });
    },
    async addJob(name, connectionId, sources) {
      const job = await createBackupJob(world.ctx, { name, connection: connectionId, storage: world.storageId, sources });
      return job.id;
    },
    async close() {
      await store.close();
      await sandbox.close();
    },
  };
  const { storage } = await createStorage(world.ctx, { name: 'Main', path: world.storagePath, retentionDays: 30 });
  (world as { storageId: string }).storageId = storage.id;
  return world;
}
