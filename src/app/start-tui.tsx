import type * as InkModule from 'ink';
import { displayText } from '../domain/index.js';
import type * as AppModule from './App.js';
import type { ServiceContext } from '../services/index.js';
import type { DemoAppHooks } from './container/options.js';
import { detectCapabilities } from '../theme/capabilities.js';
import { ScreenWriter } from './terminal/screen-writer.js';
import { CLEAR_SCREEN, ENTER_ALTERNATE_SCREEN, LEAVE_ALTERNATE_SCREEN, NOT_A_TTY_MESSAGE, SHOW_CURSOR } from './terminal/screen.js';

export { NOT_A_TTY_MESSAGE } from './terminal/screen.js';

const MAX_FPS = 60;

export interface TuiOptions {
  ctx: ServiceContext;
  /** false for NO_COLOR / --no-color. */
  color: boolean;
  /** --ascii (true) or --unicode (false); undefined: decided from the locale and TERM. */
  ascii: boolean | undefined;
  host: string;
  banner?: string;
  /** The demo (--demo): the connection wizard says the sandbox tenant approves sign-ins by itself. */
  demo?: boolean;
  /** The demo's ready app for Manual registration. */
  demoApp?: DemoAppHooks | undefined;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/**
 * Ink decides at import time whether it runs under CI and then draws nothing until exit; chalk
 * decides its colour level at import time too. Both must be settled before ink is first loaded,
 * which is why ink and the views are imported dynamically below (React itself reads neither).
 */
function prepareEnvironment(color: boolean): void {
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) if (key in process.env) process.env[key] = 'false';
  if (!color) process.env.FORCE_COLOR = '0';
}

type TuiModules = readonly [typeof InkModule, typeof AppModule];
let loading: Promise<TuiModules> | undefined;

/**
 * Starts loading Ink and the views (the bulk of start-up) so that the caller can open the store
 * meanwhile. Settles the environment first, for the reason above.
 */
export function preloadTui(color: boolean): Promise<TuiModules> {
  prepareEnvironment(color);
  loading ??= Promise.all([import('ink'), import('./App.js')]);
  return loading;
}

/** Runs the panel full-screen until the admin quits; resolves with the exit code. */
export async function startTui(options: TuiOptions): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  if (!stdin.isTTY || !stdout.isTTY) {
    process.stderr.write(`${NOT_A_TTY_MESSAGE}\n`);
    return 2;
  }
  const [{ render }, { App }] = await preloadTui(options.color);
  // Decided once: the theme is made from this and nothing else reads TERM or the locale.
  const caps = detectCapabilities({ env: process.env, platform: process.platform, colorFlag: options.color, asciiFlag: options.ascii });

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      stdout.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
    } catch {
      // The terminal is gone (SSH dropped); there is nothing left to restore.
    }
  };
  // Ink hands over whole frames (debug mode); the writer puts only what changed on the screen. With
  // BACKUP_PANEL_FULL_REDRAW=1 Ink draws every frame whole itself, as a fallback and for comparison.
  const fullRedraw = process.env.BACKUP_PANEL_FULL_REDRAW === '1';
  const writer = fullRedraw ? undefined : new ScreenWriter(stdout, { maxFps: MAX_FPS });
  // Full redraws only: blank the screen before Ink redraws at the new size (registered before Ink's listener).
  const onResize = () => stdout.write(CLEAR_SCREEN);
  const onCrash = (error: unknown) => {
    restore();
    // The message only: a stack or a dump could carry data from the store.
    process.stderr.write(`backup-panel: unexpected error: ${displayText(error instanceof Error ? error.message : String(error), { maxLength: 300 })}\n`);
    process.exit(1);
  };
  stdout.write(ENTER_ALTERNATE_SCREEN + CLEAR_SCREEN);
  if (fullRedraw) stdout.on('resize', onResize);
  process.once('exit', restore);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  // Stdin may have been paused by an earlier reader; Ink's useInput would then stay silent.
  stdin.resume();
  try {
    const instance = render(<App ctx={options.ctx} color={caps.color} ascii={caps.ascii} host={options.host} banner={options.banner} demo={options.demo === true} demoApp={options.demoApp} onRedraw={writer ? () => writer.repaint() : undefined} />, {
      stdin,
      stdout: writer ? writer.inkStdout() : stdout,
      // Ink's debug mode writes each frame whole, unthrottled, to the writer (which throttles).
      debug: writer !== undefined,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: MAX_FPS,
    });
    const result = await instance.waitUntilExit();
    return typeof result === 'number' ? result : 0;
  } catch (error) {
    restore();
    process.stderr.write(`backup-panel: unexpected error: ${displayText(error instanceof Error ? error.message : String(error), { maxLength: 300 })}\n`);
    return 1;
  } finally {
    stdout.off('resize', onResize);
    writer?.dispose();
    process.off('exit', restore);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    restore();
  }
}
