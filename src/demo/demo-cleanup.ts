import { rmSync } from 'node:fs';

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

/**
 * The demo folder (a store and a key, in /tmp) goes away when the program ends: at a normal exit,
 * and after Ctrl-C, SIGTERM or a dropped SSH session (SIGHUP), which would otherwise end the
 * process without running any cleanup. Returns the function that removes it now.
 */
export function removeDemoAtExit(dir: string): () => void {
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    for (const [signal, handler] of handlers) process.off(signal, handler);
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Nothing more can be done while exiting; the folder is private (0700).
    }
  };
  const handlers = Object.entries(SIGNALS).map(([signal, number]) => {
    const handler = () => {
      remove();
      // The shell's convention for "ended by signal N"; 'exit' listeners (the TUI restoring the terminal) still run.
      process.exit(128 + number);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  process.on('exit', remove);
  return remove;
}
