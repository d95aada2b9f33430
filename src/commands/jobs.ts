import type { Command } from 'commander';
import { displayText } from '../domain/index.js';
import { jobRowJson, jobRows, jobRunWarning, runJob } from '../services/index.js';
import { formatCheck } from './checks-output.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { formatTable, println, printError, toSafeJson } from './output.js';
import { runWithStore, type StoreOptions } from './runtime.js';
import { addStoreOptions } from './store-options.js';

export function registerJobs(program: Command, io: Io, setExit: (code: number) => void): void {
  const jobs = program.command('jobs').description('backup and restore jobs: list, run');

  addStoreOptions(jobs.command('list').description('list jobs').option('--json', 'one JSON document on stdout')).action(
    async (opts: StoreOptions & { json?: boolean }) => {
      setExit(
        await runWithStore(io, opts, async ({ store }) => {
          const rows = jobRows(store.current());
          if (opts.json) println(io.stdout, toSafeJson(rows.map(jobRowJson)));
          else
            io.stdout.write(
              formatTable(rows, [
                { header: 'ID', value: (r) => r.id, max: 40 },
                { header: 'NAME', value: (r) => r.name, max: 50 },
                { header: 'KIND', value: (r) => `${r.kind}${r.continuous ? ' (continuous)' : ''}` },
                { header: 'CONNECTION', value: (r) => (r.connectionObsolete ? `${r.connectionName} [obsolete]` : r.connectionName), max: 60 },
                { header: 'LAST RUN', value: (r) => (r.lastRun ? `${r.lastRun.result} ${r.lastRun.at.slice(0, 16).replace('T', ' ')}` : 'never') },
              ]),
            );
          return EXIT.ok;
        }),
      );
    },
  );

  addStoreOptions(jobs.command('run <job>').description('run a job: warns about an obsolete connection, preflights it, records the outcome')).action(
    async (ref: string, opts: StoreOptions) => {
      setExit(
        await runWithStore(io, opts, async ({ ctx }) => {
          const warning = jobRunWarning(ctx, ref);
          if (warning) printError(io, `warning: ${warning}`);
          const { job, outcome } = await runJob(ctx, ref);
          for (const check of outcome.checks) println(io.stdout, formatCheck(check));
          const name = displayText(job.name);
          if (outcome.result === 'failed') {
            const failed = outcome.checks.find((c) => c.status === 'fail');
            printError(io, `Job '${name}' failed${failed ? ` at "${failed.name}"` : ''}; the failure is recorded on the Bad news card.`);
            return EXIT.failed;
          }
          println(io.stdout, `Job '${name}' ${outcome.result}: ${displayText(outcome.message)}`);
          return EXIT.ok;
        }),
      );
    },
  );
}
