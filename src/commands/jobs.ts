import type { Command } from 'commander';
import { displayText, type CycleRecord, type JobSources } from '../domain/index.js';
import {
  createBackupJob,
  createRestoreJob,
  cycleJson,
  deleteJob,
  editJob,
  jobHistory,
  jobRowJson,
  jobRows,
  jobRunWarning,
  progressLine,
  runCycle,
  ServiceError,
  stopJob,
  type JobChanges,
} from '../services/index.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { formatTable, println, printError, toSafeJson } from './output.js';
import { runWithStore, type StoreOptions } from './runtime.js';
import { addStoreOptions } from './store-options.js';

/** `jobs list / create / edit / delete / run / stop / history` (contracts §7, §8.2). */

interface JobOptions {
  connection?: string;
  storage?: string;
  sources?: string;
  continuous?: boolean;
  oneTime?: boolean;
  idle?: string;
  activity?: string;
  restore?: boolean;
  from?: string;
  items?: string;
  to?: string;
  name?: string;
  json?: boolean;
}

function parseSources(text: string | undefined): JobSources | undefined {
  if (text === undefined) return undefined;
  if (text.trim().toLowerCase() === 'all') return 'all';
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!list.length) throw new ServiceError('bad-input', '--sources needs "all" or a comma-separated list of mailboxes or sites.');
  return list;
}

const list = (text: string | undefined) => (text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean));

function withJobOptions(command: Command): Command {
  return command
    .option('--connection <connection>', 'server connection (id or name)')
    .option('--storage <storage>', 'storage (id or name)')
    .option('--sources <list>', '"all" or mailboxes / sites, comma-separated')
    .option('--continuous', 'run cycle after cycle (backup jobs)')
    .option('--idle <hh:mm:ss>', 'pause after each cycle of a continuous job (default 00:01:00)')
    .option('--activity <period>', 'when cycles may start, e.g. "Mon-Fri 20:00-06:00"')
    .option('--from <path>', 'restore: what to restore, a path in the storage (see storages browse)')
    .option('--items <ids>', 'restore: item ids under --from, comma-separated')
    .option('--to <target>', 'restore: another mailbox or site of the same tenant')
    .option('--json', 'one JSON document on stdout');
}

function historyLine(record: CycleRecord): string {
  const when = record.startedAt.slice(0, 19).replace('T', ' ');
  const seconds = Math.max(0, Math.round((Date.parse(record.endedAt) - Date.parse(record.startedAt)) / 1000));
  const errors = record.errorCount ?? record.errors.length;
  return `${when}  ${record.result.padEnd(9)}  ${seconds}s  scanned ${record.scanned}, backed up ${record.backedUp}, removed ${record.removed}, restored ${record.restored}, ${(record.bytes / 1_048_576).toFixed(1)} MB${errors ? `, ${errors} errors` : ''}`;
}

export function registerJobs(program: Command, io: Io, setExit: (code: number) => void): void {
  const jobs = program.command('jobs').description('backup and restore jobs: list, create, edit, delete, run, stop, history');

  addStoreOptions(jobs.command('list').description('list jobs').option('--json', 'one JSON document on stdout')).action(async (opts: StoreOptions & { json?: boolean }) => {
    setExit(
      await runWithStore(io, opts, async ({ store }) => {
        const rows = jobRows(store.current());
        if (opts.json) println(io.stdout, toSafeJson(rows.map(jobRowJson)));
        else
          io.stdout.write(
            formatTable(rows, [
              { header: 'ID', value: (r) => r.id, max: 40 },
              { header: 'NAME', value: (r) => r.name, max: 50 },
              { header: 'KIND', value: (r) => r.kind },
              { header: 'CONNECTION', value: (r) => (r.connectionObsolete ? `${r.connectionName} [obsolete]` : r.connectionName), max: 60 },
              { header: 'STORAGE', value: (r) => r.storageName ?? '(none)', max: 40 },
              { header: 'SOURCES', value: (r) => (r.sources === 'all' ? 'all' : r.sources.join(',')), max: 40 },
              { header: 'SCHEDULE', value: (r) => r.schedule, max: 50 },
              { header: 'LAST RUN', value: (r) => (r.lastRun ? `${r.lastRun.result} ${r.lastRun.at.slice(0, 16).replace('T', ' ')}` : 'never') },
            ]),
          );
        return EXIT.ok;
      }),
    );
  });

  addStoreOptions(withJobOptions(jobs.command('create <name>').description('create a backup job, or with --restore a restore job')).option('--restore', 'a restore job (run manually)')).action(
    async (name: string, opts: StoreOptions & JobOptions) => {
      setExit(
        await runWithStore(io, opts, async ({ ctx }) => {
          if (!opts.connection) throw new ServiceError('bad-input', 'jobs create needs --connection <connection>.');
          if (!opts.storage) throw new ServiceError('bad-input', 'jobs create needs --storage <storage> (see storages list, or storages create).');
          const items = list(opts.items);
          const job = opts.restore
            ? await createRestoreJob(ctx, { name, connection: opts.connection, storage: opts.storage, from: opts.from ?? '', ...(items ? { items } : {}), ...(opts.to ? { to: opts.to } : {}) })
            : await createBackupJob(ctx, {
                name,
                connection: opts.connection,
                storage: opts.storage,
                ...(opts.sources !== undefined ? { sources: parseSources(opts.sources) as JobSources } : {}),
                ...(opts.continuous ? { continuous: true } : {}),
                ...(opts.idle !== undefined ? { idleTime: opts.idle } : {}),
                ...(opts.activity !== undefined ? { activity: opts.activity } : {}),
              });
          if (opts.json) println(io.stdout, toSafeJson(jobRowJson(jobRows(ctx.store.current()).find((r) => r.id === job.id) ?? jobRows({ ...ctx.store.current(), jobs: [job] })[0]!)));
          else println(io.stdout, `Job '${displayText(job.name)}' created (id ${job.id}).`);
          return EXIT.ok;
        }),
      );
    },
  );

  addStoreOptions(withJobOptions(jobs.command('edit <job>').description('change a job; takes effect at the next cycle')).option('--name <name>', 'a new name').option('--one-time', 'no longer continuous')).action(
    async (ref: string, opts: StoreOptions & JobOptions) => {
      setExit(
        await runWithStore(io, opts, async ({ ctx }) => {
          const items = list(opts.items);
          const sources = parseSources(opts.sources);
          const changes: JobChanges = {
            ...(opts.name !== undefined ? { name: opts.name } : {}),
            ...(opts.connection !== undefined ? { connection: opts.connection } : {}),
            ...(opts.storage !== undefined ? { storage: opts.storage } : {}),
            ...(sources !== undefined ? { sources } : {}),
            ...(opts.continuous ? { continuous: true } : opts.oneTime ? { continuous: false } : {}),
            ...(opts.idle !== undefined ? { idleTime: opts.idle } : {}),
            ...(opts.activity !== undefined ? { activity: opts.activity } : {}),
            ...(opts.from !== undefined ? { from: opts.from } : {}),
            ...(items !== undefined ? { items } : {}),
            ...(opts.to !== undefined ? { to: opts.to } : {}),
          };
          const job = await editJob(ctx, ref, changes);
          if (opts.json) println(io.stdout, toSafeJson(jobRowJson(jobRows(ctx.store.current()).find((r) => r.id === job.id)!)));
          else println(io.stdout, `Job '${displayText(job.name)}' saved; the changes take effect at its next cycle.`);
          return EXIT.ok;
        }),
      );
    },
  );

  addStoreOptions(jobs.command('delete <job>').description("remove a job (never the data in its storage)").option('--yes', 'confirm')).action(async (ref: string, opts: StoreOptions & { yes?: boolean }) => {
    setExit(
      await runWithStore(io, opts, async ({ ctx }) => {
        if (!opts.yes) throw new ServiceError('bad-input', `Deleting a job needs --yes (its backed-up data stays in the storage): backup-panel jobs delete ${ref} --yes`);
        const job = await deleteJob(ctx, ref);
        println(io.stdout, `Job '${displayText(job.name)}' deleted; its data stays in the storage.`);
        return EXIT.ok;
      }),
    );
  });

  addStoreOptions(
    jobs
      .command('run <job>')
      .description('run one cycle now, in the foreground; progress on stderr')
      .option('--json', 'the cycle as one JSON document on stdout')
      .option('--events', "also every engine event on stderr as one JSON line ('event: {…}'), for scripts"),
  ).action(
    async (ref: string, opts: StoreOptions & { json?: boolean; events?: boolean }) => {
      setExit(
        await runWithStore(io, opts, async ({ ctx }) => {
          const warning = jobRunWarning(ctx, ref, 'cli');
          if (warning) printError(io, `warning: ${warning}`);
          // Ctrl-C / SIGTERM: end at the next item boundary, record the cycle as stopped.
          const abort = new AbortController();
          const onSignal = () => abort.abort();
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          try {
            const { job, record } = await runCycle(ctx, ref, {
              signal: abort.signal,
              onProgress: (p) => println(io.stderr, `progress: ${progressLine(p)}`),
              ...(opts.events ? { onEvent: (e) => println(io.stderr, `event: ${toSafeJson(e).replace(/\n\s*/g, "")}`) } : {}),
            });
            const name = displayText(job.name);
            if (opts.json) println(io.stdout, toSafeJson(cycleJson(job, record)));
            else println(io.stdout, `Job '${name}' ${record.result}: ${historyLine(record)}`);
            for (const e of record.errors.slice(0, 20)) printError(io, `${e.source ? `${displayText(e.source)}: ` : ''}${e.item ? `item ${displayText(e.item, { maxLength: 60 })}: ` : ''}${displayText(e.message)}`);
            if (record.result === 'failed') {
              if (!opts.json) printError(io, `Job '${name}' failed; the failure is recorded on the Bad news card.`);
              return EXIT.failed;
            }
            return EXIT.ok;
          } finally {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          }
        }),
      );
    },
  );

  addStoreOptions(jobs.command('stop <job>').description('end a running cycle at the next item boundary')).action(async (ref: string, opts: StoreOptions) => {
    setExit(
      await runWithStore(io, opts, async ({ ctx }) => {
        const job = await stopJob(ctx, ref);
        println(io.stdout, `Asked job '${displayText(job.name)}' to stop at the next item; its cycle is recorded as stopped.`);
        return EXIT.ok;
      }),
    );
  });

  addStoreOptions(jobs.command('history <job>').description("a job's cycles, newest first").option('--json', 'one JSON document on stdout')).action(async (ref: string, opts: StoreOptions & { json?: boolean }) => {
    setExit(
      await runWithStore(io, { ...opts, readOnly: true }, async ({ ctx }) => {
        const { job, cycles } = jobHistory(ctx, ref);
        if (opts.json) println(io.stdout, toSafeJson(cycles.map((c) => cycleJson(job, c))));
        else if (!cycles.length) println(io.stdout, `Job '${displayText(job.name)}' has not run a cycle yet.`);
        else for (const c of cycles) println(io.stdout, historyLine(c));
        return EXIT.ok;
      }),
    );
  });
}
