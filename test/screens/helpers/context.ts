import { copyFile, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuthApi, VerifyTarget } from '../../../src/auth/api.js';
import { createAuth } from '../../../src/auth/index.js';
import type { StoreDocument } from '../../../src/domain/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { startSandbox } from '../../../src/sandbox/index.js';
import type { ServiceContext } from '../../../src/services/index.js';
import type { Edit, Store } from '../../../src/store/index.js';
import { openStore } from '../../../src/store/index.js';

/** After the EWS phase-out began and after SharePoint's legacy sign-in was blocked. */
export const NOW = new Date('2026-11-20T10:00:00Z');

const FIXTURE_V1 = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'store-v1.json');

export interface Fixture {
  readonly ctx: ServiceContext;
  readonly store: Store;
  /** Every verification the app asked for (Test, and the preflight of Run), in order. */
  readonly verified: readonly VerifyTarget[];
  /** The loopback Microsoft 365 tenant (and on-premises servers) the checks talk to; started on first use. */
  sandbox(): Promise<Sandbox>;
  /**
   * A save by another session: the file replaced the way another process writes it. With the
   * app's usual polling the view notices within half a second; tests of stale edits give the app a
   * long poll interval so that it has not noticed yet.
   */
  otherSession(edit: (draft: StoreDocument) => void): Promise<void>;
  /** The document as saved on disk, read afresh. */
  saved(): Promise<StoreDocument>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  readonly readOnly?: boolean;
  /** A change saved through the store before the test starts (so it is validated like any edit). */
  readonly prepare?: (doc: StoreDocument) => void;
}

async function prepare(store: Store, change: (doc: StoreDocument) => void): Promise<void> {
  const edit: Edit<void> = (draft) => {
    change(draft);
    return { change: { action: 'test.prepare' }, result: undefined };
  };
  await store.update(edit);
}

/**
 * The real store on a private copy of the version-1 fixture (migrated on open: three [obsolete]
 * Microsoft 365 connections), and the real Microsoft identity code against the sandbox tenant.
 */
export async function openFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'bp-tui-'));
  const path = join(dir, 'store.json');
  await copyFile(FIXTURE_V1, path);
  let store = await openStore({ path, now: () => NOW });
  if (options.prepare) await prepare(store, options.prepare);
  if (options.readOnly) {
    await store.close();
    store = await openStore({ path, readOnly: true, now: () => NOW });
  }

  let sandbox: Promise<Sandbox> | undefined;
  let auth: Promise<AuthApi> | undefined;
  const verified: VerifyTarget[] = [];
  const startTenant = () => (sandbox ??= startSandbox({ deviceCodeIntervalSec: 1 }));
  const loadAuth = async (): Promise<AuthApi> => {
    const real = createAuth({ endpoint: (await startTenant()).url, now: () => NOW, retry: { maxAttempts: 1 } });
    return {
      ...real,
      verify: (target, callOptions) => {
        verified.push(target);
        return real.verify(target, callOptions);
      },
    };
  };
  const ctx: ServiceContext = { store, now: () => NOW, auth: () => (auth ??= loadAuth()) };

  return {
    ctx,
    store,
    verified,
    sandbox: startTenant,
    async otherSession(edit) {
      const doc = JSON.parse(await readFile(path, 'utf8')) as StoreDocument;
      edit(doc);
      doc.revision += 1;
      const temp = join(dir, 'other-session.tmp');
      await writeFile(temp, JSON.stringify(doc, null, 2), { mode: 0o600 });
      await rename(temp, path);
    },
    async saved() {
      return JSON.parse(await readFile(path, 'utf8')) as StoreDocument;
    },
    async close() {
      await store.close();
      if (sandbox) await (await sandbox).close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
