import type { Command } from 'commander';
import { displayText } from '../domain/index.js';
import { exportFromStorage } from '../services/index.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { println, printError, toSafeJson } from './output.js';
import { runWithStore, type StoreOptions } from './runtime.js';
import { addStoreOptions } from './store-options.js';

/** `restore export` (contracts §8.2): items to files as they were at the source. */
export function registerRestore(program: Command, io: Io, setExit: (code: number) => void): void {
  const restore = program.command('restore').description('restore from storages: export items to files');
  addStoreOptions(
    restore
      .command('export')
      .description('write items to a folder: messages as .eml (the MIME as backed up), files with their names and folders')
      .requiredOption('--storage <storage>', 'storage (id or name)')
      .requiredOption('--from <path>', 'a path in the storage: <source>/<folder>/… (see storages browse)')
      .option('--items <ids>', 'item ids under --from, comma-separated (deleted ones within retention too)')
      .requiredOption('--out <dir>', 'the folder to write to')
      .option('--json', 'one JSON document on stdout'),
  ).action(async (opts: StoreOptions & { storage: string; from: string; items?: string; out: string; json?: boolean }) => {
    setExit(
      await runWithStore(io, { ...opts, readOnly: true }, async ({ ctx }) => {
        const items = opts.items?.split(',').map((s) => s.trim()).filter(Boolean);
        let count = 0;
        const result = await exportFromStorage(ctx, {
          storage: opts.storage,
          from: opts.from,
          ...(items ? { items } : {}),
          out: opts.out,
          onEvent: (e) => {
            if (e.type === 'item' && ++count % 100 === 0) println(io.stderr, `progress: ${count} items exported`);
          },
        });
        if (opts.json) println(io.stdout, toSafeJson({ exported: result.exported, bytes: result.bytes, files: result.files, errors: result.errors }));
        else println(io.stdout, `Exported ${result.exported} items (${(result.bytes / 1_048_576).toFixed(1)} MB) to ${displayText(opts.out)}.`);
        for (const e of result.errors) printError(io, displayText(e.message));
        return EXIT.ok;
      }),
    );
  });
}
