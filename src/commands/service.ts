import type { Command } from 'commander';
import { fstatSync } from 'node:fs';
import { Writable } from 'node:stream';
import { version } from '../../package.json';
import { ServiceError } from '../services/index.js';
import type { Io } from './output.js';
import { runWithStore, type StoreOptions } from './runtime.js';
import { addStoreOptions } from './store-options.js';

/** `backup-panel service [--once]` (contracts §8.3): the backup service in the foreground. */

export const DEFAULT_MAX_CYCLES = 4;

/** Whether stderr is systemd's journal stream (JOURNAL_STREAM names its device and inode): then lines carry syslog priorities. */
function stderrIsJournal(): boolean {
  const wanted = process.env.JOURNAL_STREAM;
  if (!wanted) return false;
  try {
    const stat = fstatSync(2);
    return wanted === `${stat.dev}:${stat.ino}`;
  } catch {
    return false;
  }
}

/** Under journald the command's own error line (the store unreadable, another service running) is logged as an error. */
function journalErrors(io: Io): Io {
  const stderr = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      io.stderr.write(`<3>${String(chunk)}`);
      done();
    },
  });
  return { ...io, stderr };
}

function parseMaxCycles(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_CYCLES;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new ServiceError('bad-input', '--max-cycles must be a whole number from 1 to 64.');
  return n;
}

export function registerService(program: Command, io: Io, setExit: (code: number) => void): void {
  addStoreOptions(
    program
      .command('service')
      .description('the backup service: runs jobs on their schedule until SIGTERM (for systemd: Type=simple); one plain line per event on stderr')
      .option('--once', 'run every cycle due now once, then exit (1 if one failed)')
      .option('--max-cycles <n>', `cycles at once (default ${DEFAULT_MAX_CYCLES})`)
      .option('--metrics-file <path>', 'keep a Prometheus .prom file up to date there (node_exporter textfile collector)'),
  ).action(async (opts: StoreOptions & { once?: boolean; maxCycles?: string; metricsFile?: string }) => {
    const journal = stderrIsJournal();
    setExit(
      await runWithStore(journal ? journalErrors(io) : io, opts, async ({ ctx }) => {
        const maxCycles = parseMaxCycles(opts.maxCycles);
        const { runService, createServiceLog } = await import('../scheduler/index.js');
        const log = createServiceLog(io.stderr, { journal, now: ctx.now });
        return runService({ ctx, log, version, maxCycles, ...(opts.once ? { once: true } : {}), ...(opts.metricsFile ? { metricsFile: opts.metricsFile } : {}) });
      }),
    );
  });
}
