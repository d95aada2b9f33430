#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerAlerts } from './commands/alerts.js';
import { registerCheck } from './commands/check.js';
import { registerConnections } from './commands/connections.js';
import { EXIT } from './commands/exit-codes.js';
import { registerJobs } from './commands/jobs.js';
import { registerRestore } from './commands/restore.js';
import { registerStorages } from './commands/storages.js';
import { processIo } from './commands/output.js';
import { registerSandbox } from './commands/sandbox.js';
import { addStoreOptions } from './commands/store-options.js';
import { runTui } from './commands/tui.js';
import { version } from '../package.json';

const io = processIo;
let exitCode: number = EXIT.ok;
const setExit = (code: number) => {
  exitCode = code;
};

const program = new Command('backup-panel')
  .description('Administration panel of a Microsoft 365 / Exchange / SharePoint backup server. Without a command it opens the panel.')
  .version(version)
  .showHelpAfterError()
  // Root options (the TUI's) only before a command, so `connections list --store X` reaches the command.
  .enablePositionalOptions()
  .exitOverride();

addStoreOptions(program)
  .option('--no-color', 'no colours (also when NO_COLOR is set)')
  .option('--ascii', 'ASCII characters only (no box drawing)')
  .option('--read-only', 'open the store read-only')
  .action(async (opts: { store?: string; demo?: boolean; keepDemo?: boolean; color: boolean; ascii?: boolean; readOnly?: boolean }) => {
    const color = opts.color && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
    setExit(
      await runTui(
        {
          ...(opts.store ? { store: opts.store } : {}),
          ...(opts.demo ? { demo: true } : {}),
          ...(opts.keepDemo ? { keepDemo: true } : {}),
          ...(opts.readOnly ? { readOnly: true } : {}),
          color,
          ascii: opts.ascii === true,
        },
        io,
      ),
    );
  });

registerConnections(program, io, setExit);
registerAlerts(program, io, setExit);
registerJobs(program, io, setExit);
registerStorages(program, io, setExit);
registerRestore(program, io, setExit);
registerCheck(program, io, setExit);
registerSandbox(program, io, setExit);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here too, with code 0; everything else is bad input.
    exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  } else {
    throw error;
  }
}
process.exitCode = exitCode;
// Everything is closed by now; a stray handle (a socket in its keep-alive period) must not hold the shell.
setTimeout(() => process.exit(exitCode), 1500).unref();
