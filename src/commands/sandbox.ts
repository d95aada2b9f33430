import type { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { printError } from './output.js';

/** `backup-panel sandbox [--port N]`: the loopback Microsoft 365 tenant, for manual tries. */
export function registerSandbox(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('sandbox')
    .description('start the loopback Microsoft 365 sandbox tenant (prints its URL; Ctrl-C stops it)')
    .option('--port <n>', 'port on 127.0.0.1 (default: any free port)')
    .option('--auto-approve <ms>', 'approve device-code sign-ins by itself after this many milliseconds')
    .action(async (opts: { port?: string; autoApprove?: string }) => {
      const port = opts.port === undefined ? 0 : Number(opts.port);
      const autoApprove = opts.autoApprove === undefined ? undefined : Number(opts.autoApprove);
      if (!Number.isInteger(port) || port < 0 || port > 65535 || (autoApprove !== undefined && !(autoApprove >= 0))) {
        printError(io, 'usage: backup-panel sandbox [--port 0-65535] [--auto-approve MILLISECONDS]');
        setExit(EXIT.badInput);
        return;
      }
      const { runSandboxCommand } = await import('../sandbox/index.js');
      const sandbox = await runSandboxCommand({ port, ...(autoApprove !== undefined ? { autoApproveAfterMs: autoApprove } : {}), out: io.stdout });
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await sandbox.close();
      setExit(EXIT.ok);
    });
}
