import type { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { printError } from './output.js';

/** `backup-panel sandbox [--port N] [--mailboxes N] [--messages M] [--files F] [--seed S]`: the loopback Microsoft 365 tenant, for manual tries. */
export function registerSandbox(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('sandbox')
    .description('start the loopback Microsoft 365 sandbox tenant (prints its URL; Ctrl-C stops it)')
    .option('--port <n>', 'port on 127.0.0.1 (default: any free port)')
    .option('--auto-approve <ms>', 'approve device-code sign-ins by itself after this many milliseconds')
    .option('--mailboxes <n>', 'mailboxes of contoso holding seeded mail (default: every mailbox user)')
    .option('--messages <n>', 'messages per mailbox (default 24)')
    .option('--files <n>', 'files per document library (default 24)')
    .option('--seed <text>', 'seed of the generated mail and files (default backup-panel)')
    .action(async (opts: { port?: string; autoApprove?: string; mailboxes?: string; messages?: string; files?: string; seed?: string }) => {
      const port = opts.port === undefined ? 0 : Number(opts.port);
      const autoApprove = opts.autoApprove === undefined ? undefined : Number(opts.autoApprove);
      const count = (v: string | undefined): number | undefined | null => (v === undefined ? undefined : /^\d+$/.test(v) && Number(v) <= 10_000_000 ? Number(v) : null);
      const mailboxes = count(opts.mailboxes);
      const messages = count(opts.messages);
      const files = count(opts.files);
      if (!Number.isInteger(port) || port < 0 || port > 65535 || (autoApprove !== undefined && !(autoApprove >= 0)) || mailboxes === null || messages === null || files === null || opts.seed === '') {
        printError(io, 'usage: backup-panel sandbox [--port 0-65535] [--auto-approve MILLISECONDS] [--mailboxes N] [--messages N] [--files N] [--seed TEXT]');
        setExit(EXIT.badInput);
        return;
      }
      const data = {
        ...(mailboxes !== undefined ? { mailboxes } : {}),
        ...(messages !== undefined ? { messages } : {}),
        ...(files !== undefined ? { files } : {}),
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      };
      const { runSandboxCommand } = await import('../sandbox/index.js');
      const sandbox = await runSandboxCommand({ port, ...(autoApprove !== undefined ? { autoApproveAfterMs: autoApprove } : {}), data, out: io.stdout });
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await sandbox.close();
      setExit(EXIT.ok);
    });
}
