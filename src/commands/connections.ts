import type { Command } from 'commander';
import type { CheckResult } from '../auth/api.js';
import { displayText } from '../domain/index.js';
import {
  connectionRowJson,
  connectionRows,
  deleteConnection,
  findConnection,
  readCertificateFile,
  reconfigureConnection,
  ServiceError,
  testConnection,
  VerificationFailed,
  type AppCredentialInput,
} from '../services/index.js';
import { checkJson, formatCheck } from './checks-output.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { formatTable, println, printError, toSafeJson } from './output.js';
import { runWithStore, type StoreOptions } from './runtime.js';
import { readSecretFile } from './secret-input.js';
import { addStoreOptions } from './store-options.js';

export function registerConnections(program: Command, io: Io, setExit: (code: number) => void): void {
  const connections = program.command('connections').description('server connections: list, test, reconfigure, delete');

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
                println(io.stdout, formatCheck(check));
              }
            },
          });
          if (opts.json) {
            println(io.stdout, toSafeJson({ connection: outcome.connectionId, checks: outcome.checks.map(checkJson) }));
          } else {
            for (const check of outcome.checks.slice(printed.length)) println(io.stdout, formatCheck(check));
          }
          return outcome.failed ? EXIT.failed : EXIT.ok;
        }),
      );
    });

  addStoreOptions(
    connections
      .command('reconfigure <connection>')
      .description('manual registration: switch a Microsoft 365 connection to Modern Authentication (verify, then save)')
      .requiredOption('--tenant <id-or-domain>', 'directory (tenant) ID or domain, e.g. contoso.onmicrosoft.com')
      .requiredOption('--client-id <guid>', 'application (client) ID of the app registration')
      .option('--certificate <file>', 'certificate with its private key: PEM, or PFX/PKCS#12')
      .option('--certificate-password-file <file>', 'file holding the PFX or key password (- for standard input)')
      .option('--client-secret-file <file>', 'file holding the client secret (- for standard input)')
      .option('--mailbox <upn>', 'Exchange: mailbox of a licensed user to verify access with')
      .option('--json', 'print the checks as one JSON document'),
  ).action(
    async (
      ref: string,
      opts: StoreOptions & { tenant: string; clientId: string; certificate?: string; certificatePasswordFile?: string; clientSecretFile?: string; mailbox?: string; json?: boolean },
    ) => {
      setExit(
        await runWithStore(io, opts, async ({ ctx, store }) => {
          if (Boolean(opts.certificate) === Boolean(opts.clientSecretFile)) {
            throw new ServiceError('bad-input', 'Give exactly one credential: --certificate <file> (recommended) or --client-secret-file <file>.');
          }
          const connection = findConnection(store.current(), ref);
          let credential: AppCredentialInput;
          if (opts.certificate) {
            const { bytes, warning } = await readCertificateFile(opts.certificate);
            if (warning) printError(io, `warning: ${warning}`);
            const password = opts.certificatePasswordFile ? await readSecretFile(opts.certificatePasswordFile, 'certificate password', io.stdin) : undefined;
            const auth = await ctx.auth();
            const certificate = await auth.loadCertificate(bytes, password).catch((error: unknown) => {
              throw new ServiceError('bad-input', error instanceof Error ? error.message : String(error));
            });
            credential = { kind: 'certificate', certificate };
          } else {
            credential = { kind: 'secret', clientSecret: await readSecretFile(opts.clientSecretFile ?? '', 'client secret', io.stdin) };
          }
          try {
            const result = await reconfigureConnection(ctx, connection.id, {
              tenantId: opts.tenant,
              clientId: opts.clientId,
              credential,
              ...(opts.mailbox ? { mailbox: opts.mailbox } : {}),
              registration: { method: 'manual' },
            });
            if (opts.json) println(io.stdout, toSafeJson({ saved: true, connection: result.connection.id, checks: result.checks.map(checkJson) }));
            else {
              for (const check of result.checks) println(io.stdout, formatCheck(check));
              println(io.stdout, `Saved: '${displayText(result.connection.displayName)}' now uses Modern Authentication.`);
            }
            return EXIT.ok;
          } catch (error) {
            if (!(error instanceof VerificationFailed)) throw error;
            if (opts.json) println(io.stdout, toSafeJson({ saved: false, connection: connection.id, checks: error.checks.map(checkJson) }));
            else for (const check of error.checks) println(io.stdout, formatCheck(check));
            printError(io, error.message);
            return EXIT.failed;
          }
        }),
      );
    },
  );

  addStoreOptions(connections.command('delete <connection>').description('delete a connection (refused while a job uses it)')).action(
    async (ref: string, opts: StoreOptions) => {
      setExit(
        await runWithStore(io, opts, async ({ ctx }) => {
          const deleted = await deleteConnection(ctx, ref);
          println(io.stdout, `Deleted server connection '${displayText(deleted.name)}' (${displayText(deleted.id)}).`);
          return EXIT.ok;
        }),
      );
    },
  );
}
