import type { Command } from 'commander';
import type { CheckResult } from '../auth/api.js';
import { displayText } from '../domain/index.js';
import { connectionRowJson, connectionRows, deleteConnection, deleteConnectionAndApp, describeAppRemoval, renameConnection, testConnection } from '../services/index.js';
import { checkJson, formatCheck } from './checks-output.js';
import { registerCreate } from './connections-create.js';
import { deviceCodeLine, registerReconfigure } from './connections-reconfigure.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { formatTable, println, printError, toSafeJson } from './output.js';
import { runWithStore, type StoreOptions } from './runtime.js';
import { addStoreOptions } from './store-options.js';

export function registerConnections(program: Command, io: Io, setExit: (code: number) => void): void {
  const connections = program.command('connections').description('server connections: list, create, test, reconfigure, rename, delete');

  addStoreOptions(connections.command('list').description('list server connections').option('--json', 'one JSON document on stdout'))
    .action(async (opts: StoreOptions & { json?: boolean }) => {
      setExit(
        await runWithStore(io, opts, async ({ store }) => {
          const rows = connectionRows(store.current());
          if (opts.json) {
            println(io.stdout, toSafeJson(rows.map(connectionRowJson)));
          } else {
            io.stdout.write(
              formatTable(rows, [
                { header: 'ID', value: (r) => r.id, max: 40 },
                { header: 'TYPE', value: (r) => r.typeLabel },
                { header: 'CONNECTION NAME', value: (r) => (r.obsolete ? `${r.name} [obsolete]` : r.name), max: 60 },
                { header: 'LOCATION', value: (r) => r.locationLabel },
                { header: 'AUTHENTICATION', value: (r) => r.authType },
                // With the id, what tells two connections of the same name apart.
                { header: 'TENANT', value: (r) => r.tenant ?? '-', max: 60 },
                { header: 'USED BY', value: (r) => r.usedBy.join(', ') || '-', max: 80 },
              ]),
            );
          }
          return EXIT.ok;
        }),
      );
    });

  addStoreOptions(connections.command('test <connection>').description('run the verification checks of a connection (id or name)').option('--json', 'one JSON document on stdout'))
    .action(async (ref: string, opts: StoreOptions & { json?: boolean }) => {
      setExit(
        await runWithStore(io, opts, async ({ ctx }) => {
          const printed: CheckResult[] = [];
          const outcome = await testConnection(ctx, ref, {
            onProgress: (p) => {
              if (opts.json) return;
              for (const check of p.results.slice(printed.length)) {
                printed.push(check);
                println(io.stdout, formatCheck(check, ref));
              }
            },
          });
          if (opts.json) {
            println(io.stdout, toSafeJson({ connection: outcome.connectionId, checks: outcome.checks.map((c) => checkJson(c, outcome.connectionId)) }));
          } else {
            for (const check of outcome.checks.slice(printed.length)) println(io.stdout, formatCheck(check, outcome.connectionId));
          }
          return outcome.failed ? EXIT.failed : EXIT.ok;
        }),
      );
    });

  registerCreate(connections, io, setExit);
  registerReconfigure(connections, io, setExit);

  addStoreOptions(
    connections
      .command('rename <connection> <name>')
      .description('give a connection (id or name) a new name; names are unique')
      .option('--json', 'print the outcome as one JSON document'),
  ).action(async (ref: string, name: string, opts: StoreOptions & { json?: boolean }) => {
    setExit(
      await runWithStore(io, opts, async ({ ctx }) => {
        const outcome = await renameConnection(ctx, ref, name);
        if (opts.json) println(io.stdout, toSafeJson({ id: outcome.id, from: outcome.from, name: outcome.to, changed: outcome.changed }));
        else if (!outcome.changed) println(io.stdout, `Server connection ${displayText(outcome.id)} is already named '${displayText(outcome.to)}'.`);
        else println(io.stdout, `Renamed server connection ${displayText(outcome.id)}: '${displayText(outcome.from)}' is now '${displayText(outcome.to)}'.`);
        return EXIT.ok;
      }),
    );
  });

  addStoreOptions(
    connections
      .command('delete <connection>')
      .description('delete a connection (refused while a job uses it)')
      .option('--remove-app', 'also remove the tenant’s app registration when no other connection uses it (admin sign-in by device code)'),
  ).action(async (ref: string, opts: StoreOptions & { removeApp?: boolean }) => {
    setExit(
      await runWithStore(io, opts, async ({ ctx }) => {
        if (!opts.removeApp) {
          const deleted = await deleteConnection(ctx, ref);
          println(io.stdout, `Deleted server connection '${displayText(deleted.name)}' (${displayText(deleted.id)}).`);
          return EXIT.ok;
        }
        const stop = new AbortController();
        const onInterrupt = () => stop.abort();
        process.once('SIGINT', onInterrupt);
        try {
          const { deleted, app } = await deleteConnectionAndApp(ctx, ref, { signal: stop.signal, onPrompt: (prompt) => println(io.stderr, deviceCodeLine(prompt)) });
          println(io.stdout, `Deleted server connection '${displayText(deleted.name)}' (${displayText(deleted.id)}).`);
          const line = describeAppRemoval(app);
          if (line) println(io.stdout, line);
          return EXIT.ok;
        } catch (error) {
          if (stop.signal.aborted) {
            printError(io, 'Cancelled; nothing was deleted.');
            return EXIT.failed;
          }
          throw error;
        } finally {
          process.off('SIGINT', onInterrupt);
        }
      }),
    );
  });
}
