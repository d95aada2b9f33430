import { Command, CommanderError } from 'commander';
import { EXIT } from './commands/exit-codes.js';
import { processIo, type Io } from './commands/output.js';
import { addStoreOptions } from './commands/store-options.js';
import { version } from '../package.json';

type Register = (program: Command, io: Io, setExit: (code: number) => void) => void;

/**
 * The command groups, loaded only when named: opening the panel (no command) loads none of them,
 * which keeps their code and what it pulls in off the path to the first frame.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  connections: async () => (await import('./commands/connections.js')).registerConnections,
  alerts: async () => (await import('./commands/alerts.js')).registerAlerts,
  jobs: async () => (await import('./commands/jobs.js')).registerJobs,
  storages: async () => (await import('./commands/storages.js')).registerStorages,
  restore: async () => (await import('./commands/restore.js')).registerRestore,
  check: async () => (await import('./commands/check.js')).registerCheck,
  metrics: async () => (await import('./commands/metrics.js')).registerMetrics,
  service: async () => (await import('./commands/service.js')).registerService,
  audit: async () => (await import('./commands/audit.js')).registerAudit,
  sandbox: async () => (await import('./commands/sandbox.js')).registerSandbox,
};

/** Root options that take a value (the value is not a command name). */
const ROOT_VALUE_OPTIONS = new Set(['--store']);

/** The first word that is not an option or a root option's value: the command, if any. */
function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return argv[i + 1];
    if (ROOT_VALUE_OPTIONS.has(arg)) i += 1;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** The command groups this command line needs: the one it names; all of them for help. */
function commandsFor(argv: readonly string[]): string[] {
  const names = Object.keys(COMMANDS);
  if (argv.some((arg) => arg === '-h' || arg === '--help')) return names;
  const word = commandWord(argv);
  if (word === undefined) return [];
  return word in COMMANDS ? [word] : names;
}

const io = processIo;
// A word that is no command would reach the panel's own (argument-less) action as "too many arguments".
let word = commandWord(process.argv.slice(2));
if (word === 'help') {
  // `backup-panel help [command]`, as git and npm take it: the help of that command.
  const at = process.argv.indexOf('help', 2);
  process.argv.splice(at, 1);
  process.argv.push('--help');
  word = commandWord(process.argv.slice(2));
}
if (word !== undefined && !(word in COMMANDS)) {
  const { unknownCommandLine } = await import('./commands/unknown-command.js');
  const { printError } = await import('./commands/output.js');
  printError(io, unknownCommandLine(word, Object.keys(COMMANDS)));
  process.exit(EXIT.badInput);
}
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
  .option('--ascii', 'ASCII characters only (no box drawing); chosen by itself when the locale is not UTF-8 or TERM is linux/dumb')
  .option('--unicode', 'box drawing and symbols even where the locale or TERM suggests ASCII')
  .option('--read-only', 'open the store read-only')
  .action(async (opts: { store?: string; demo?: boolean; keepDemo?: boolean; color: boolean; ascii?: boolean; unicode?: boolean; readOnly?: boolean }) => {
    const color = opts.color && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
    const { runTui } = await import('./commands/tui.js');
    setExit(
      await runTui(
        {
          ...(opts.store ? { store: opts.store } : {}),
          ...(opts.demo ? { demo: true } : {}),
          ...(opts.keepDemo ? { keepDemo: true } : {}),
          ...(opts.readOnly ? { readOnly: true } : {}),
          color,
          // Neither flag: the panel decides from the locale and TERM (theme/capabilities.ts).
          ascii: opts.ascii ? true : opts.unicode ? false : undefined,
        },
        io,
      ),
    );
  });

// In the order `--help` lists them.
for (const register of await Promise.all(commandsFor(process.argv.slice(2)).map((name) => COMMANDS[name]?.()))) register?.(program, io, setExit);

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
