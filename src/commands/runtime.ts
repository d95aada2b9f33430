import type { AuthApi } from '../auth/api.js';
import type { DemoAppHooks } from '../app/container/options.js';
import type { ServiceContext } from '../services/index.js';
// Single modules, not the services barrel: the panel's start-up goes through here before the store is read.
import { lazyAuth } from '../services/context.js';
import { describeError, errorLine } from '../services/describe-error.js';
import type { Store } from '../store/api.js';
import type { DemoTenant } from '../demo/demo-sandbox.js';
import type { ReadyApp } from '../demo/ready-app.js';
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
  /** With --demo: make the sandbox tenant's ready app for Manual registration (the panel asks; commands need none). */
  readonly readyApp?: boolean;
}


export interface Runtime {
  readonly ctx: ServiceContext;
  readonly store: Store;
  readonly demoDir?: string;
  /** The demo's ready app (src/demo/ready-app.ts) and its tenant playing the Entra admin center for it. */
  readonly readyApp?: DemoAppHooks;
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

/** The demo's sandbox tenant, started on first use with the demo connection's app and the ready app registered. */
function demoTenantLoader(disposers: Array<() => Promise<void>>, store: Store, readyApp: ReadyApp | undefined): () => Promise<DemoTenant> {
  let pending: Promise<DemoTenant> | undefined;
  return () =>
    (pending ??= (async () => {
      const { startDemoSandbox } = await import('../demo/demo-sandbox.js');
      const tenant = await startDemoSandbox();
      disposers.push(() => tenant.close());
      const { registerDemoApp, readyAppRoles, DEMO_APP_ROLES } = await import('../services/demo-data.js');
      await registerDemoApp(store, (secret) => tenant.registerApp('backup-panel demo', secret, DEMO_APP_ROLES));
      if (readyApp) tenant.registerReadyApp(readyApp, readyAppRoles());
      return tenant;
    })());
}

function authLoader(demoTenant: (() => Promise<DemoTenant>) | undefined): () => Promise<AuthApi> {
  return lazyAuth(async () => {
    const { createAuth } = await import('../auth/index.js');
    if (demoTenant) return createAuth({ endpoint: (await demoTenant()).url });
    return createAuth();
  });
}

/** The ready app's certificate (made while the store opens and the panel loads) written into the demo folder. */
async function makeReadyApp(demoDir: string): Promise<ReadyApp> {
  const [{ generateCertificate }, { writeReadyApp }] = await Promise.all([import('../auth/index.js'), import('../demo/ready-app.js')]);
  const material = await generateCertificate('CN=backup-panel demo ready app');
  return writeReadyApp(demoDir, { certificatePem: material.certificatePem, privateKeyPem: material.privateKeyPem.reveal() });
}

export async function openRuntime(options: StoreOptions & OpenOptions): Promise<Runtime> {
  const { path, demoDir } = await resolveStorePath(options);
  let removeDemo: (() => void) | undefined;
  if (demoDir && !options.keepDemo) {
    const { removeDemoAtExit } = await import('../demo/demo-cleanup.js');
    removeDemo = removeDemoAtExit(demoDir);
  }
  try {
    // The demo's own tenant, unless the environment names another Microsoft 365 endpoint (tests).
    const sandboxed = demoDir !== undefined && !process.env.BACKUP_PANEL_M365_ENDPOINT;
    const makingReadyApp = sandboxed && options.readyApp && !options.readOnly ? makeReadyApp(demoDir) : undefined;
    // Settled here even if the store fails first (awaited below otherwise).
    makingReadyApp?.catch(() => undefined);
    const { openStore, currentActor } = await import('../store/index.js');
    const store = await openStore({ path, actor: currentActor(), create: options.create === true, ...(options.readOnly ? { readOnly: true } : {}) });
    const disposers: Array<() => Promise<void>> = [() => store.close()];
    const readyApp = makingReadyApp ? await makingReadyApp : undefined;
    const demoTenant = sandboxed ? demoTenantLoader(disposers, store, readyApp) : undefined;
    const ctx: ServiceContext = { store, now: () => new Date(), auth: authLoader(demoTenant) };
    if (demoDir && !store.readOnly) {
      const { seedDemoData } = await import('../services/demo-data.js');
      await seedDemoData(ctx, demoDir);
    }
    const hooks: DemoAppHooks | undefined =
      readyApp && demoTenant
        ? {
            app: { tenant: readyApp.tenant, clientId: readyApp.clientId, certificatePath: readyApp.certificatePath, newCertificatePath: readyApp.newCertificatePath },
            addCertificate: async (certificatePem) => (await demoTenant()).addCertificate(readyApp.clientId, certificatePem),
          }
        : undefined;
    return {
      ctx,
      store,
      ...(demoDir ? { demoDir } : {}),
      ...(hooks ? { readyApp: hooks } : {}),
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
