import { PanelSession, type PanelOptions } from '../../e2e/terminal.js';
import { cliPath, spawned } from './programs.js';

export { KEY } from '../../e2e/terminal.js';

/** A panel these tests started: the end-to-end harness's session. */
export type Panel = PanelSession;

/**
 * The panel in a real pseudo-terminal, as the end-to-end tests run it, but from this worker's
 * private copy of the build, without colour unless asked, at 100×30, and recorded (argv,
 * environment, pid) for the secret scans.
 */
export const Panel = {
  async open(args: readonly string[], options: Omit<PanelOptions, 'cli'> = {}): Promise<Panel> {
    const session = new PanelSession(args, {
      cols: 100,
      rows: 30,
      ...options,
      cli: await cliPath(),
      env: { NO_COLOR: '1', ...options.env },
    });
    spawned.push({ argv: session.argv, env: session.env, pid: session.pid });
    return session;
  },
};
