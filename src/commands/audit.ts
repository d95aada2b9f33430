import type { Command } from 'commander';
import { auditTime, parseSince } from '../domain/index.js';
import type { AuditFilter, AuditRow } from '../services/index.js';
import { auditStream, recentAudit, ServiceError } from '../services/index.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { println, printError, toSafeJson } from './output.js';
import { runWithStore, type StoreOptions } from './runtime.js';
import { addStoreOptions } from './store-options.js';

interface AuditOptions extends StoreOptions {
  readonly json?: boolean;
  readonly since?: string;
  readonly who?: string;
  readonly what?: string;
  readonly limit?: string;
}

/** One row for people: when, who, from where, what (the service made every part safe to print). */
function line(row: AuditRow): string {
  return `${auditTime(row.at)}  ${row.who}  ${row.from}  ${row.what}`;
}

function filterOf(opts: AuditOptions, now: Date): AuditFilter {
  let since: Date | undefined;
  if (opts.since !== undefined) {
    const parsed = parseSince(opts.since, now);
    if ('problem' in parsed) throw new ServiceError('bad-input', `--since: ${parsed.problem}`);
    since = parsed.since;
  }
  return { ...(since ? { since } : {}), ...(opts.who ? { who: opts.who } : {}), ...(opts.what ? { what: opts.what } : {}) };
}

function limitOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,7}$/.test(value.trim()) || Number(value) < 1) throw new ServiceError('bad-input', '--limit: give a whole number of changes, 1 or more (e.g. --limit 50).');
  return Number(value);
}

export function registerAudit(program: Command, io: Io, setExit: (code: number) => void): void {
  const audit = program.command('audit').description('who changed what, from the audit log beside the store');

  addStoreOptions(
    audit
      .command('list')
      .description('list changes, oldest first: when, who (uid and login; sudo and SSH as claimed), from where, what')
      .option('--json', 'one JSON document on stdout (an array of changes)')
      .option('--since <when>', 'only changes since YYYY-MM-DD, an ISO time, or an age (30m, 12h, 7d)')
      .option('--who <text>', 'only changes by a user, login, uid, claimed sudo user or SSH client containing this')
      .option('--what <text>', 'only changes whose action, connection or job (id or name) or field contains this')
      .option('--limit <n>', 'only the newest n matching changes'),
  ).action(async (opts: AuditOptions) => {
    setExit(
      // Reading never creates, and never migrates a version-1 file on disk.
      await runWithStore(io, { ...opts, readOnly: true }, async ({ ctx }) => {
        const filter = filterOf(opts, ctx.now());
        const limit = limitOf(opts.limit);
        let count = 0;
        let unreadable: number;
        const emit = (row: AuditRow) => {
          if (opts.json) io.stdout.write(`${count === 0 ? '[\n' : ',\n'}${toSafeJson(row)}`);
          else println(io.stdout, line(row));
          count += 1;
        };
        if (limit !== undefined) {
          const page = await recentAudit(ctx, filter, limit);
          for (const row of [...page.rows].reverse()) emit(row);
          unreadable = page.unreadable;
        } else {
          // Streamed: a log of years is printed as it is read, never held whole.
          const stream = auditStream(ctx, filter);
          for await (const row of stream.rows) emit(row);
          unreadable = stream.unreadable();
        }
        if (opts.json) io.stdout.write(count === 0 ? '[]\n' : '\n]\n');
        else if (count === 0) println(io.stdout, 'No changes recorded' + (filter.since || filter.who || filter.what ? ' that match.' : '.'));
        if (unreadable > 0) printError(io, `${unreadable} line${unreadable === 1 ? '' : 's'} of the audit log could not be read and ${unreadable === 1 ? 'was' : 'were'} left out`);
        return EXIT.ok;
      }),
    );
  });
}
