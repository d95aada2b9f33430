import type { Command } from 'commander';
import { checkSummary, serviceLiveness, unknownSummary } from '../services/index.js';
import { StoreError } from '../store/api.js';
import type { Io } from './output.js';
import { println } from './output.js';
import { openRuntime, type StoreOptions } from './runtime.js';
import { addStoreOptions } from './store-options.js';

/** Monitoring: one line on stdout, Nagios exit codes; never writes the store. */
export function registerCheck(program: Command, io: Io, setExit: (code: number) => void): void {
  addStoreOptions(program.command('check').description('one-line summary for monitoring (Nagios plugin convention: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)')).action(
    async (opts: StoreOptions) => {
      let summary;
      let dispose: (() => Promise<void>) | undefined;
      try {
        const runtime = await openRuntime({ ...opts, readOnly: true });
        dispose = () => runtime.dispose();
        summary = checkSummary(runtime.store.current(), runtime.ctx.now(), { service: await serviceLiveness(runtime.ctx) });
      } catch (error) {
        summary = unknownSummary(error instanceof StoreError ? error.message : `cannot read the store: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await dispose?.();
      }
      println(io.stdout, summary.line);
      setExit(summary.status);
    },
  );
}
