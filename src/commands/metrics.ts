import type { Command } from 'commander';
import { metricsText, writeMetricsFile } from '../services/index.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { runWithStore, type StoreOptions } from './runtime.js';
import { addStoreOptions } from './store-options.js';

/** `metrics` (contracts §8.4): the Prometheus text format on stdout, or atomically into a .prom file; never writes the store. */
export function registerMetrics(program: Command, io: Io, setExit: (code: number) => void): void {
  addStoreOptions(
    program
      .command('metrics')
      .description("Prometheus text format (for node_exporter's textfile collector): per job its last cycle, per storage its size, alerts per category")
      .option('--out <file>', 'write the file atomically (a temporary file, then a rename) instead of printing'),
  ).action(async (opts: StoreOptions & { out?: string }) => {
    setExit(
      await runWithStore(io, { ...opts, readOnly: true }, async ({ ctx }) => {
        const text = await metricsText(ctx);
        if (opts.out) await writeMetricsFile(opts.out, text);
        else io.stdout.write(text);
        return EXIT.ok;
      }),
    );
  });
}
