import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { displayText } from '../domain/display-text.js';
import { StoreError } from '../store/api.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { printError } from './output.js';
import { exitCodeFor, openRuntime, reportError, type Runtime, type StoreOptions } from './runtime.js';

export interface TuiFlags extends StoreOptions {
  readonly color: boolean;
  /** --ascii (true) or --unicode (false); undefined: decided from the locale and TERM. */
  readonly ascii: boolean | undefined;
  readonly readOnly?: boolean;
}

export const NOT_A_TERMINAL =
  'the panel needs an interactive terminal (stdin and stdout must be a TTY). For scripts use the commands: ' +
  'backup-panel connections list | alerts list | jobs list | check (backup-panel --help lists them all).';

/**
 * Ink decides at import time whether it runs in CI (any CI variable) and then renders nothing until
 * exit; an admin's SSH session may well carry CI=… from a shared profile.
 */
function neutraliseCiDetection(): void {
  for (const key of Object.keys(process.env)) {
    if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) delete process.env[key];
  }
}

async function openForTui(flags: TuiFlags, io: Io, create = false): Promise<{ runtime: Runtime; banner?: string } | number> {
  try {
    const runtime = await openRuntime({ ...flags, ...(flags.readOnly ? { readOnly: true } : {}), create, readyApp: true });
    const banner = runtime.demoDir
      ? 'Demo: a copy of the sample store in a temporary folder. Microsoft 365 is the sandbox tenant, which approves sign-ins by itself after a few seconds.'
      : undefined;
    return { runtime, ...(banner ? { banner } : {}) };
  } catch (error) {
    // No store there yet: the panel may create one, but asks first (reading never creates).
    if (error instanceof StoreError && error.code === 'missing' && error.path && !flags.readOnly && !create) {
      const { askToCreateStore } = await import('./create-prompt.js');
      const firstStart = !flags.store && !process.env.BACKUP_PANEL_STORE;
      if (await askToCreateStore(error.path, firstStart, process.stdin, process.stdout)) return openForTui(flags, io, true);
      printError(io, `nothing was created at ${displayText(error.path)}`);
      return EXIT.failed;
    }
    // A store that cannot be read is never overwritten; its last good backup can still be looked at.
    if (error instanceof StoreError && error.path && ['invalid', 'newer-version', 'too-large'].includes(error.code) && existsSync(`${error.path}.bak`)) {
      try {
        const runtime = await openRuntime({ store: `${error.path}.bak`, readOnly: true });
        // What the admin is looking at comes first: the banner has two lines, and the reason can be long.
        return { runtime, banner: `Showing the last good backup (${displayText(error.path)}.bak), read-only: ${displayText(error.message)}` };
      } catch {
        // fall through to the original error
      }
    }
    reportError(io, error);
    return exitCodeFor(error);
  }
}

export async function runTui(flags: TuiFlags, io: Io): Promise<number> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  if (!stdin.isTTY || !stdout.isTTY) {
    printError(io, NOT_A_TERMINAL);
    return EXIT.badInput;
  }
  if (!flags.color) process.env.FORCE_COLOR = '0';
  neutraliseCiDetection();
  // Loading Ink and the views is most of start-up: do it while the store is read.
  const loadingTui = import('../app/start-tui.js').then(async (module) => {
    await module.preloadTui(flags.color);
    return module;
  });
  loadingTui.catch(() => undefined); // reported below when awaited; not if the store fails first
  const opened = await openForTui(flags, io);
  if (typeof opened === 'number') return opened;
  const { runtime, banner } = opened;
  try {
    const { startTui } = await loadingTui;
    return await startTui({ ctx: runtime.ctx, color: flags.color, ascii: flags.ascii, host: hostname(), demo: runtime.demoDir !== undefined, ...(runtime.readyApp ? { demoApp: runtime.readyApp } : {}), ...(banner ? { banner } : {}) });
  } finally {
    await runtime.dispose();
  }
}
