import type { AuthApi } from '../auth/api.js';
import { M365Error } from '../auth/api.js';
import { displayText } from '../domain/index.js';
import type { ServiceContext } from '../services/index.js';
import { lazyAuth, ServiceError } from '../services/index.js';
import type { Store } from '../store/api.js';
import { StoreError } from '../store/api.js';
import { CommandExit, EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { printError } from './output.js';

/** Options every command accepts (contracts §7). */
export interface StoreOptions {
  readonly store?: string;
  readonly demo?: boolean;
}

export interface Runtime {
  readonly ctx: ServiceContext;
  readonly store: Store;
  readonly demoDir?: string;
  dispose(): Promise<void>;
}

/** Where the store is: --demo (a fresh copy of the sample), --store, $BACKUP_PANEL_STORE, or the default. */
export async function resolveStorePath(options: StoreOptions): Promise<{ path: string; demoDir?: string }> {
  if (options.demo) {
    const { prepareDemoStore } = await import('../demo/demo-store.js');
    const { storePath, dir } = await prepareDemoStore();
    return { path: storePath, demoDir: dir };
  }
  if (options.store) return { path: options.store };
  const { defaultStorePath } = await import('../store/index.js');
  return { path: defaultStorePath() };
}

function authLoader(demo: boolean, disposers: Array<() => Promise<void>>, store: Store): () => Promise<AuthApi> {
  return lazyAuth(async () => {
    const { createAuth } = await import('../auth/index.js');
    if (demo && !process.env.BACKUP_PANEL_M365_ENDPOINT) {
      const { startDemoSandbox } = await import('../demo/demo-sandbox.js');
      const tenant = await startDemoSandbox();
      disposers.push(() => tenant.close());
      const { registerDemoApp, DEMO_APP_ROLES } = await import('../demo/demo-data.js');
      await registerDemoApp(store, (secret) => tenant.registerApp('backup-panel demo', secret, DEMO_APP_ROLES));
      return createAuth({ endpoint: tenant.url });
    }
    return createAuth();
  });
}

export async function openRuntime(options: StoreOptions & { readonly readOnly?: boolean }): Promise<Runtime> {
  const { path, demoDir } = await resolveStorePath(options);
  const { openStore, currentActor } = await import('../store/index.js');
  const store = await openStore({ path, actor: currentActor(), ...(options.readOnly ? { readOnly: true } : {}) });
  const disposers: Array<() => Promise<void>> = [() => store.close()];
  const ctx: ServiceContext = { store, now: () => new Date(), auth: authLoader(options.demo === true, disposers, store) };
  if (demoDir && !store.readOnly) {
    const { seedDemoData } = await import('../demo/demo-data.js');
    await seedDemoData(ctx, demoDir);
  }
  return {
    ctx,
    store,
    ...(demoDir ? { demoDir } : {}),
    async dispose() {
      for (const dispose of disposers.reverse()) await dispose().catch(() => undefined);
    },
  };
}

/** The exit code and the one line for an error a command did not handle itself. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommandExit) return error.code;
  if (error instanceof ServiceError) return error.kind === 'bad-input' ? EXIT.badInput : EXIT.failed;
  if (error instanceof StoreError) {
    return ['conflict', 'locked', 'write-failed', 'read-only'].includes(error.code) ? EXIT.failed : EXIT.badInput;
  }
  if (error instanceof M365Error) return EXIT.failed;
  return EXIT.failed;
}

export function reportError(io: Io, error: unknown): void {
  if (error instanceof CommandExit) return;
  if (error instanceof ServiceError || error instanceof StoreError) {
    printError(io, error.message);
    return;
  }
  if (error instanceof M365Error) {
    printError(io, error.hint ? `${error.message} ${error.hint}` : error.message);
    return;
  }
  // An unexpected failure: say so plainly, without a stack trace that could carry data.
  const message = error instanceof Error ? error.message : String(error);
  printError(io, `unexpected error: ${displayText(message, { maxLength: 300 })}`);
}

/** Opens the store, runs a command, closes everything, and turns errors into exit codes. */
export async function runWithStore(
  io: Io,
  options: StoreOptions & { readonly readOnly?: boolean },
  body: (runtime: Runtime) => Promise<number>,
): Promise<number> {
  let runtime: Runtime | undefined;
  try {
    runtime = await openRuntime(options);
    if (runtime.demoDir) printError(io, `demo store: ${runtime.store.path} (a fresh copy of the sample; pass --store to reuse it)`);
    return await body(runtime);
  } catch (error) {
    reportError(io, error);
    return exitCodeFor(error);
  } finally {
    await runtime?.dispose();
  }
}
