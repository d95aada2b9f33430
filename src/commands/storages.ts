import type { Command } from 'commander';
import { displayText } from '../domain/index.js';
import { attachStorage, browseStorage, checkStorage, createStorage, pruneStorage, ServiceError, storageRows } from '../services/index.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { formatTable, println, printError, toSafeJson } from './output.js';
import { runWithStore, type StoreOptions } from './runtime.js';
import { readSecretFile } from './secret-input.js';
import { addStoreOptions } from './store-options.js';

/** `storages create / list / browse / check / attach / prune` (contracts §8.1). */

function megabytes(bytes: number | null): string {
  return bytes === null ? '-' : `${(bytes / 1_048_576).toFixed(1)} MB`;
}

function retention(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new ServiceError('bad-input', `--retention-days must be a whole number of days, not '${displayText(text, { maxLength: 20 })}'.`);
  return Number(text);
}

export function registerStorages(program: Command, io: Io, setExit: (code: number) => void): void {
  const storages = program.command('storages').description('storages (folders holding backed-up data): create, list, browse, check, attach, prune');

  addStoreOptions(
    storages
      .command('create <name>')
      .description('create a storage in an empty or new folder; prints its recovery key once')
      .requiredOption('--path <dir>', 'the storage folder (empty or new)')
      .option('--retention-days <n>', 'days items deleted at the source stay restorable (default 30)')
      .option('--json', 'one JSON document on stdout'),
  ).action(async (name: string, opts: StoreOptions & { path: string; retentionDays?: string; json?: boolean }) => {
    setExit(
      // A write that makes sense on a new server: it may create the store (reading never does).
      await runWithStore(io, { ...opts, create: true }, async ({ ctx }) => {
        const retentionDays = retention(opts.retentionDays);
        const { storage, recoveryKey } = await createStorage(ctx, { name, path: opts.path, ...(retentionDays !== undefined ? { retentionDays } : {}) });
        // The recovery key goes to stdout once, by request of the admin who runs this; never to a log.
        if (opts.json) println(io.stdout, toSafeJson({ id: storage.id, name: storage.name, path: storage.path, retentionDays: storage.retentionDays, recoveryKey: recoveryKey.reveal() }));
        else {
          println(io.stdout, `Storage '${displayText(storage.name)}' created at ${displayText(storage.path)} (id ${storage.id}, retention ${storage.retentionDays} days).`);
          println(io.stdout, `Recovery key (shown once; keep it safe, away from this server): ${recoveryKey.reveal()}`);
        }
        return EXIT.ok;
      }),
    );
  });

  addStoreOptions(storages.command('list').description('list storages with their size').option('--json', 'one JSON document on stdout')).action(
    async (opts: StoreOptions & { json?: boolean }) => {
      setExit(
        await runWithStore(io, { ...opts, readOnly: true }, async ({ ctx }) => {
          const rows = await storageRows(ctx);
          if (opts.json) {
            println(io.stdout, toSafeJson(rows.map((r) => ({ id: r.id, name: r.name, path: r.path, retentionDays: r.retentionDays, items: r.items, bytesStored: r.bytesStored, bytesOriginal: r.bytesOriginal, ...(r.problem ? { problem: r.problem } : {}) }))));
          } else {
            io.stdout.write(
              formatTable(rows, [
                { header: 'ID', value: (r) => r.id, max: 40 },
                { header: 'NAME', value: (r) => r.name, max: 40 },
                { header: 'RETENTION', value: (r) => `${r.retentionDays} days` },
                { header: 'ITEMS', value: (r) => (r.items === null ? '-' : String(r.items)) },
                { header: 'STORED', value: (r) => megabytes(r.bytesStored) },
                { header: 'ORIGINAL', value: (r) => megabytes(r.bytesOriginal) },
                { header: 'PATH', value: (r) => (r.problem ? `${r.path} (${r.problem})` : r.path), max: 160 },
              ]),
            );
          }
          return EXIT.ok;
        }),
      );
    },
  );

  addStoreOptions(storages.command('browse <storage> [path]').description('one level of a storage: sources, folders, items').option('--json', 'one JSON document on stdout')).action(
    async (ref: string, path: string | undefined, opts: StoreOptions & { json?: boolean }) => {
      setExit(
        await runWithStore(io, { ...opts, readOnly: true }, async ({ ctx }) => {
          const listing = await browseStorage(ctx, ref, path);
          if (opts.json) println(io.stdout, toSafeJson({ path: listing.path, entries: listing.entries }));
          else
            io.stdout.write(
              formatTable(listing.entries, [
                { header: 'KIND', value: (e) => e.kind },
                { header: 'NAME', value: (e) => `${e.name}${e.deleted ? ' (deleted)' : ''}`, max: 80 },
                { header: 'SIZE', value: (e) => (e.size === undefined ? '' : String(e.size)) },
                { header: 'DATE', value: (e) => (e.date ? e.date.slice(0, 16).replace('T', ' ') : '') },
                { header: 'ID', value: (e) => e.id ?? '', max: 200 },
              ]),
            );
          return EXIT.ok;
        }),
      );
    },
  );

  addStoreOptions(storages.command('check <storage>').description('read and authenticate every object of a storage').option('--json', 'one JSON document on stdout')).action(
    async (ref: string, opts: StoreOptions & { json?: boolean }) => {
      setExit(
        await runWithStore(io, { ...opts, readOnly: true }, async ({ ctx }) => {
          const report = await checkStorage(ctx, ref);
          if (opts.json) println(io.stdout, toSafeJson(report));
          else {
            for (const p of report.problems) println(io.stdout, `damaged: ${displayText(p.file)}${p.object ? ` (${p.object})` : ''}: ${displayText(p.problem)}`);
            println(io.stdout, `${report.sound ? 'Sound' : 'DAMAGED'}: ${report.files} files, ${report.objects} objects, ${megabytes(report.bytes)} read${report.unreferencedFiles ? `; ${report.unreferencedFiles} unreferenced files (prune frees them)` : ''}.`);
          }
          return report.sound ? EXIT.ok : EXIT.failed;
        }),
      );
    },
  );

  addStoreOptions(
    storages
      .command('attach <name>')
      .description('open an existing storage with its recovery key (disaster recovery)')
      .requiredOption('--path <dir>', 'the storage folder')
      .requiredOption('--recovery-key-file <file>', 'file holding the recovery key, or - for standard input'),
  ).action(async (name: string, opts: StoreOptions & { path: string; recoveryKeyFile: string }) => {
    setExit(
      // Disaster recovery on a new server starts here: it may create the store.
      await runWithStore(io, { ...opts, create: true }, async ({ ctx }) => {
        const recoveryKey = await readSecretFile(opts.recoveryKeyFile, 'recovery key', io.stdin);
        try {
          const storage = await attachStorage(ctx, { name, path: opts.path, recoveryKey });
          println(io.stdout, `Storage '${displayText(storage.name)}' attached (id ${storage.id}).`);
          return EXIT.ok;
        } catch (error) {
          if (error instanceof ServiceError && error.kind === 'refused') {
            printError(io, error.message);
            return EXIT.failed;
          }
          throw error;
        }
      }),
    );
  });

  addStoreOptions(storages.command('prune <storage>').description('free items deleted at the source longer ago than the retention period').option('--json', 'one JSON document on stdout')).action(
    async (ref: string, opts: StoreOptions & { json?: boolean }) => {
      setExit(
        await runWithStore(io, opts, async ({ ctx }) => {
          const report = await pruneStorage(ctx, ref);
          if (opts.json) println(io.stdout, toSafeJson(report));
          else println(io.stdout, `Pruned: ${report.itemsExpired} items past retention, ${report.snapshotsRemoved} snapshots, ${report.packsRemoved + report.packsRewritten} packs; ${megabytes(report.bytesFreed)} freed.`);
          return EXIT.ok;
        }),
      );
    },
  );
}
