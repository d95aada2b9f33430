import type { AuthApi } from '../auth/api.js';
import type { ServiceContext } from '../services/index.js';
// Single modules, not the services barrel: the panel's start-up goes through here before the store is read.
import { lazyAuth } from '../services/context.js';
import { describeError, errorLine } from '../services/describe-error.js';
import type { Store } from '../store/api.js';
import { CommandExit, EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { printError } from './output.js';

/** Options every command accepts (contracts §7). */
export interface StoreOptions {
  readonly store?: string;
  readonly demo?: boolean;
  /** With --demo: leave the demo folder behind at exit (it is removed otherwise). */
  readonly keepDemo?: boolean;
}

/**
 * How a command opens the store. Reading never creates (contracts §7): only commands that write
 * and make sense on an empty store (mute a category, create something) pass `create`; the TUI
 * passes it after asking.
 */
export interface OpenOptions {
  readonly readOnly?: boolean;
  readonly create?: boolean;
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
      const { registerDemoApp, DEMO_APP_ROLES } = await import('../services/demo-data.js');
      await registerDemoApp(store, (secret) => tenant.registerApp('backup-panel demo', secret, DEMO_APP_ROLES));
      return createAuth({ endpoint: tenant.url });
    }
    return createAuth();
  });
}

export async function openRuntime(options: StoreOptions & OpenOptions): Promise<Runtime> {
  const { path, demoDir } = await resolveStorePath(options);
  let removeDemo: (() => void) | undefined;
  if (demoDir && !options.keepDemo) {
    const { removeDemoAtExit } = await import('../demo/demo-cleanup.js');
    removeDemo = removeDemoAtExit(demoDir);
  }
  try {
    const { openStore, currentActor } = await import('../store/index.js');
    const store = await openStore({ path, actor: currentActor(), create: options.create === true, ...(options.readOnly ? { readOnly: true } : {}) });
    const disposers: Array<() => Promise<void>> = [() => store.close()];
    const ctx: ServiceContext = { store, now: () => new Date(), auth: authLoader(options.demo === true, disposers, store) };
    if (demoDir && !store.readOnly) {
      const { seedDemoData } = await import('../services/demo-data.js');
      await seedDemoData(ctx, demoDir);
    }
    return {
      ctx,
      store,
      ...(demoDir ? { demoDir } : {}),
      async dispose() {
        for (const dispose of disposers.reverse()) await dispose().catch(() => undefined);
        removeDemo?.();
      },
    };
  } catch (error) {
    removeDemo?.();
    throw error;
  }
}

/** The exit code for an error a command did not handle itself (the words: services/describe-error.ts). */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommandExit) return error.code;
  const { kind, storeCode } = describeError(error, 'cli');
  if (kind === 'bad-input') return EXIT.badInput;
  // A store that cannot be read as a store (format, version, key) is bad input; a busy or failing one is not.
  if (kind === 'store' && storeCode !== undefined && !['locked', 'write-failed'].includes(storeCode)) return EXIT.badInput;
  return EXIT.failed;
}

export function reportError(io: Io, error: unknown): void {
  if (error instanceof CommandExit) return;
  // printError makes the line safe for the terminal and cuts it; no stack trace, which could carry data.
  printError(io, errorLine(describeError(error, 'cli')));
}

/** Opens the store, runs a command, closes everything, and turns errors into exit codes. */
export async function runWithStore(
  io: Io,
  options: StoreOptions & OpenOptions,
  body: (runtime: Runtime) => Promise<number>,
): Promise<number> {
  let runtime: Runtime | undefined;
  try {
    runtime = await openRuntime(options);
    if (runtime.demoDir) {
      const fate = options.keepDemo ? 'kept at exit (--keep-demo): pass --store to reuse it' : 'removed at exit; --keep-demo keeps it';
      printError(io, `demo store: ${runtime.store.path} (a fresh copy of the sample, ${fate})`);
    }
    return await body(runtime);
  } catch (error) {
    reportError(io, error);
    return exitCodeFor(error);
  } finally {
    await runtime?.dispose();
  }
}
